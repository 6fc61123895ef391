package dev.satellite.registry.internal.tls;

import dev.satellite.registry.TlsOptions;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.TlsVersion;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TlsOptions} to one client's OkHttp builder, with okhttp-tls {@link
 * HandshakeCertificates} holding the trust and key material: the system CAs, or only the CAs of a
 * PEM bundle; a client certificate and its key for mutual TLS. Insecure-skip-verify replaces the
 * trust manager with one that accepts any certificate and turns host name verification off; nothing
 * else does. TLS 1.2 and 1.3 only. Whatever TLS settings the builder had before (from an
 * application's shared client, say) are replaced.
 *
 * <p>PEM files are read by {@link PemFiles}, which also reads the PKCS#1 and SEC1 keys that
 * neither the JDK nor {@link HeldCertificate#decode} accept, and names the file in every error.
 */
public final class TlsConfigurer {
  private static final Logger LOG = LoggerFactory.getLogger(TlsConfigurer.class);
  private static final ConnectionSpec TLS_12_PLUS =
      new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
          .tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2)
          .build();

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
    TlsOptions.Sockets sockets = sockets(options, registry);
    builder.connectionSpecs(List.of(TLS_12_PLUS, ConnectionSpec.CLEARTEXT));
    builder.sslSocketFactory(sockets.socketFactory(), sockets.trustManager());
    builder.hostnameVerifier(sockets.hostnameVerifier());
  }

  /**
   * The socket factory, trust manager and host name verifier {@code options} stand for; {@code
   * registry} names the endpoint in the insecure warning.
   *
   * @throws IllegalArgumentException naming the PEM file when a certificate or key is unusable
   */
  public static TlsOptions.Sockets sockets(TlsOptions options, String registry) {
    if (!isCustom(options)) {
      return new TlsOptions.Sockets(SystemTls.socketFactory(),
          SystemTls.certificates().trustManager(), StrictHostnames.VERIFIER);
    }
    HandshakeCertificates.Builder material = new HandshakeCertificates.Builder();
    options.trustedCertificates()
        .ifPresent(p -> PemFiles.certificates(p, "trusted certificates")
            .forEach(material::addTrustedCertificate));
    options.clientCertificate()
        .ifPresent(p -> addClientCertificate(material, p, options.clientKey().orElseThrow()));
    if (options.trustedCertificates().isEmpty() && !options.insecureSkipVerify()) {
      material.addPlatformTrustedCertificates();
    }
    HandshakeCertificates certificates = material.build();
    if (!options.insecureSkipVerify()) {
      return new TlsOptions.Sockets(certificates.sslSocketFactory(), certificates.trustManager(),
          StrictHostnames.VERIFIER);
    }
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {certificates.keyManager()},
          new TrustManager[] {TrustAllManager.INSTANCE}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for " + registry + ": " + e, e);
    }
    LOG.warn(
        "TLS verification is OFF for {} (insecureSkipVerify was set explicitly): any server"
            + " certificate is accepted",
        registry);
    return new TlsOptions.Sockets(context.getSocketFactory(), TrustAllManager.INSTANCE,
        (host, session) -> true);
  }

  private static void addClientCertificate(
      HandshakeCertificates.Builder material, Path certificatePem, Path keyPem) {
    List<X509Certificate> chain = PemFiles.certificates(certificatePem, "client certificate");
    PrivateKey key = PemFiles.privateKey(keyPem, "client key");
    X509Certificate leaf = chain.get(0);
    if (!leaf.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw new IllegalArgumentException("client key " + keyPem + " does not fit client certificate "
          + certificatePem + ": a " + key.getAlgorithm() + " key for a "
          + leaf.getPublicKey().getAlgorithm() + " certificate");
    }
    HeldCertificate held = new HeldCertificate(new KeyPair(leaf.getPublicKey(), key), leaf);
    material.heldCertificate(held, chain.subList(1, chain.size()).toArray(new X509Certificate[0]));
  }

  /** OkHttp's default host name verifier, from a client that needs no TLS set-up to be built. */
  private static final class StrictHostnames {
    static final HostnameVerifier VERIFIER =
        new OkHttpClient.Builder()
            .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
            .build()
            .hostnameVerifier();
  }
}
