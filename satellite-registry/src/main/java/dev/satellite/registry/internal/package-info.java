/**
 * How the registry client works, not API: each operation ({@code ManifestEndpoints}, {@code
 * BlobEndpoints}, {@code TagLister}, the uploads in {@code blob}) describes its requests as {@code
 * RegistryRequest}s, and one {@code RegistryCaller} sends them all: authentication, redirects,
 * retries through {@code Transport}, and the mapping of failures to {@code RegistryException}.
 */
package dev.satellite.registry.internal;
