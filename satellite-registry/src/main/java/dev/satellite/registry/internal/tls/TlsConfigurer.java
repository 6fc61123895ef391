package dev.satellite.registry.internal.tls;

import dev.satellite.registry.TlsOptions;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.TlsVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TlsOptions} to one client's OkHttp builder: its own trust manager (system CAs, or
 * only the CAs of a PEM bundle, or trust-all when insecure-skip-verify was asked for), its own key
 * manager for a client certificate, host name verification (off only with insecure-skip-verify),
 * TLS 1.2 and 1.3 only. Whatever TLS settings the builder had before (from an application's shared
 * client, say) are replaced.
 */
public final class TlsConfigurer {
  private static final Logger LOG = LoggerFactory.getLogger(TlsConfigurer.class);
  private static final ConnectionSpec TLS_12_PLUS =
      new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
          .tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)
          .build();
  private static final char[] KEYSTORE_PASSWORD = "in-memory".toCharArray();

  private TlsConfigurer() {}

  /**
   * Whether {@code options} differ from the system default (and so read files or weaken checks when
   * applied).
   */
  public static boolean isCustom(TlsOptions options) {
    return options.insecureSkipVerify()
        || options.trustedCertificates().isPresent()
        || options.clientCertificate().isPresent();
  }

  /**
   * Configures {@code builder} for {@code options}; {@code registry} names the endpoint in the
   * insecure warning. Without custom options the builder gets the process-wide system default
   * ({@link SystemTls}), whatever TLS settings it had before.
   *
   * @throws IllegalArgumentException naming the PEM file when a certificate or key is unusable
   */
  public static void apply(OkHttpClient.Builder builder, TlsOptions options, String registry) {
    builder.connectionSpecs(List.of(TLS_12_PLUS, ConnectionSpec.CLEARTEXT));
    builder.hostnameVerifier(StrictHostnames.VERIFIER);
    if (!isCustom(options)) {
      builder.sslSocketFactory(SystemTls.socketFactory(), SystemTls.trustManager());
      return;
    }
    try {
      X509TrustManager trustManager =
          options.insecureSkipVerify()
              ? TrustAllManager.INSTANCE
              : trustManager(options.trustedCertificates().map(p -> trustStore(p)).orElse(null));
      KeyManager[] keyManagers =
          options.clientCertificate().isPresent()
              ? keyManagers(options.clientCertificate().get(), options.clientKey().orElseThrow())
              : null;
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, new TrustManager[] {trustManager}, null);
      builder.sslSocketFactory(context.getSocketFactory(), trustManager);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for " + registry + ": " + e, e);
    }
    if (options.insecureSkipVerify()) {
      builder.hostnameVerifier((host, session) -> true);
      LOG.warn(
          "TLS verification is OFF for {} (insecureSkipVerify was set explicitly): any server"
              + " certificate is accepted",
          registry);
    }
  }

  /** OkHttp's default host name verifier, from a client that needs no TLS set-up to be built. */
  private static final class StrictHostnames {
    static final HostnameVerifier VERIFIER =
        new OkHttpClient.Builder()
            .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
            .build()
            .hostnameVerifier();
  }

  private static KeyStore trustStore(Path pem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate certificate : PemFiles.certificates(pem, "trusted certificates")) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      return store;
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build trust store from " + pem + ": " + e, e);
    }
  }

  /** The trust manager for {@code trustStore}, or for the system's CAs when it is null. */
  static X509TrustManager trustManager(KeyStore trustStore)
      throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trustStore);
    return Arrays.stream(factory.getTrustManagers())
        .filter(X509TrustManager.class::isInstance)
        .map(X509TrustManager.class::cast)
        .findFirst()
        .orElseThrow(() -> new GeneralSecurityException("no X509TrustManager available"));
  }

  private static KeyManager[] keyManagers(Path certificatePem, Path keyPem)
      throws GeneralSecurityException {
    List<X509Certificate> chain = PemFiles.certificates(certificatePem, "client certificate");
    PrivateKey key = PemFiles.privateKey(keyPem, "client key");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    try {
      store.setKeyEntry("client", key, KEYSTORE_PASSWORD, chain.toArray(new Certificate[0]));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "client key "
              + keyPem
              + " does not fit client certificate "
              + certificatePem
              + ": "
              + e.getMessage(),
          e);
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, KEYSTORE_PASSWORD);
    return factory.getKeyManagers();
  }
}
