package dev.satellite.registry.internal.tls;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/** Accepts every certificate: used only when insecure-skip-verify was set explicitly. */
final class TrustAllManager implements X509TrustManager {
  static final TrustAllManager INSTANCE = new TrustAllManager();

  private TrustAllManager() {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
