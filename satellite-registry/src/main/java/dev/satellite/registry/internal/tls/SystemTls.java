package dev.satellite.registry.internal.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS with the system trust store, set up once per process when a client first needs it, and
 * shared by every client that uses the system default (so that they can share pooled connections).
 * Setting it up reads the JDK's CA store and initialises an SSL context: a noticeable share of the
 * start-up of a short-lived process, paid only by processes that speak HTTPS.
 */
final class SystemTls {
  private SystemTls() {}

  private static final class Holder {
    static final X509TrustManager TRUST_MANAGER;
    static final SSLSocketFactory SOCKET_FACTORY;

    static {
      try {
        TRUST_MANAGER = TlsConfigurer.trustManager((KeyStore) null);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {TRUST_MANAGER}, null);
        SOCKET_FACTORY = context.getSocketFactory();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot set up TLS with the system trust store: " + e, e);
      }
    }
  }

  static X509TrustManager trustManager() {
    return Holder.TRUST_MANAGER;
  }

  static SSLSocketFactory socketFactory() {
    return Holder.SOCKET_FACTORY;
  }
}
