package dev.satellite.registry.internal.tls;

import javax.net.ssl.SSLSocketFactory;
import okhttp3.tls.HandshakeCertificates;

/**
 * TLS with the system trust store, set up once per process when a client first needs it, and
 * shared by every client that uses the system default (so that they can share pooled connections).
 * Setting it up reads the JDK's CA store and initialises an SSL context: a noticeable share of the
 * start-up of a short-lived process, paid only by processes that speak HTTPS.
 */
final class SystemTls {
  private SystemTls() {}

  private static final class Holder {
    static final HandshakeCertificates CERTIFICATES =
        new HandshakeCertificates.Builder().addPlatformTrustedCertificates().build();
    static final SSLSocketFactory SOCKET_FACTORY = CERTIFICATES.sslSocketFactory();
  }

  static HandshakeCertificates certificates() {
    return Holder.CERTIFICATES;
  }

  static SSLSocketFactory socketFactory() {
    return Holder.SOCKET_FACTORY;
  }
}
