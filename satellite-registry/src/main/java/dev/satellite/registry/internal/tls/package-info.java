/**
 * Per-client TLS, not API: PEM certificates and keys (PKCS#8, PKCS#1, SEC1) read into okhttp-tls
 * {@code HandshakeCertificates}, the trust and key managers of one client's OkHttp builder.
 */
package dev.satellite.registry.internal.tls;
