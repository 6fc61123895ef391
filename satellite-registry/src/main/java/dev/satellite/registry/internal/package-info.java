/**
 * How the registry client works, not API: each operation ({@code ManifestEndpoints}, {@code
 * BlobEndpoints}, {@code TagLister}, the uploads in {@code blob}) describes its requests as {@code
 * RegistryRequest}s, and one {@code RegistryCaller} sends them all over OkHttp, whose interceptors
 * authenticate ({@code auth.RegistryAuth}), retry ({@code RetryInterceptor}) and bound redirects
 * ({@code RedirectGuard}); the caller maps what comes back to {@code RegistryException}s.
 */
package dev.satellite.registry.internal;
