/**
 * Registry authentication, not API: Basic credentials sent to the registry's own origin, Bearer
 * challenges parsed from {@code WWW-Authenticate}, and tokens fetched from the realm and cached per
 * scope until they expire.
 */
package dev.satellite.registry.internal.auth;
