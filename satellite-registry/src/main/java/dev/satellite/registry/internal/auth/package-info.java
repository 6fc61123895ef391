/**
 * Registry authentication, not API: one OkHttp application interceptor that sends Basic credentials
 * to the registry's own origin, answers Bearer challenges (as OkHttp parses them from {@code
 * WWW-Authenticate}) with tokens fetched from the realm and cached per scope until they expire.
 */
package dev.satellite.registry.internal.auth;
