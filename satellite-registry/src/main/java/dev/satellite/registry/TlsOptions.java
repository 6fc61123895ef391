package dev.satellite.registry;

import dev.satellite.registry.internal.tls.TlsConfigurer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS settings of one registry client. The default trusts the system CAs and verifies host names;
 * TLS 1.2 and 1.3 only. Each setting is separate and explicit: trusting a CA bundle does not turn
 * off host name verification, presenting a client certificate does not change trust, and {@link
 * Builder#insecureSkipVerify()} turns off only verification (credentials are still sent only to the
 * registry). Plain HTTP is not a TLS option: give the client an {@code http://} URL.
 */
public final class TlsOptions {
  private static final TlsOptions SYSTEM_DEFAULT = new Builder().build();

  private final Path trustedCertificates;
  private final Path clientCertificate;
  private final Path clientKey;
  private final boolean insecureSkipVerify;

  private TlsOptions(Builder b) {
    this.trustedCertificates = b.trustedCertificates;
    this.clientCertificate = b.clientCertificate;
    this.clientKey = b.clientKey;
    this.insecureSkipVerify = b.insecureSkipVerify;
  }

  /** System trust store, host name verification on, no client certificate. */
  public static TlsOptions systemDefault() {
    return SYSTEM_DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** PEM file of the CAs to trust instead of the system's. */
  public Optional<Path> trustedCertificates() {
    return Optional.ofNullable(trustedCertificates);
  }

  /** PEM file of the client certificate (chain) presented for mutual TLS. */
  public Optional<Path> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  /** PEM file of the client certificate's private key. */
  public Optional<Path> clientKey() {
    return Optional.ofNullable(clientKey);
  }

  public boolean insecureSkipVerify() {
    return insecureSkipVerify;
  }

  /**
   * These options as the JSSE objects an HTTPS client needs, for another endpoint of the same
   * deployment (Ground Control, say) that must trust and present exactly what a registry client
   * would: the trust (system CAs, a PEM bundle's, or none with insecure-skip-verify), the client
   * certificate, and host name verification (off only with insecure-skip-verify). The client
   * restricts the protocol to TLS 1.2 and 1.3 itself, as registry clients do (OkHttp's {@code
   * ConnectionSpec.MODERN_TLS}).
   *
   * @param endpoint names the endpoint in the warning logged for insecure-skip-verify
   * @throws IllegalArgumentException naming the PEM file when a certificate or key is unusable
   */
  public Sockets sockets(String endpoint) {
    return TlsConfigurer.sockets(this, Objects.requireNonNull(endpoint, "endpoint"));
  }

  /**
   * What {@link #sockets} makes of the options.
   *
   * @param socketFactory TLS sockets with this trust and client certificate
   * @param trustManager the trust manager behind {@code socketFactory}
   * @param hostnameVerifier checks the server's name against its certificate
   */
  public record Sockets(
      SSLSocketFactory socketFactory,
      X509TrustManager trustManager,
      HostnameVerifier hostnameVerifier) {
    public Sockets {
      Objects.requireNonNull(socketFactory, "socketFactory");
      Objects.requireNonNull(trustManager, "trustManager");
      Objects.requireNonNull(hostnameVerifier, "hostnameVerifier");
    }
  }

  @Override
  public String toString() {
    return "TlsOptions[trustedCertificates="
        + trustedCertificates
        + ", clientCertificate="
        + clientCertificate
        + ", insecureSkipVerify="
        + insecureSkipVerify
        + "]";
  }

  /** Collects the settings; files are read when the client is built. */
  public static final class Builder {
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private boolean insecureSkipVerify;

    private Builder() {}

    /** Trust only the CA certificates in this PEM file (one or several). */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /**
     * Present this certificate (PEM, leaf first, optionally followed by intermediates) and key
     * (PEM: PKCS#8 {@code PRIVATE KEY}, or {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY}) when
     * the server asks for a client certificate.
     */
    public Builder clientCertificate(Path certificatePem, Path privateKeyPem) {
      this.clientCertificate = Objects.requireNonNull(certificatePem, "certificatePem");
      this.clientKey = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
      return this;
    }

    /**
     * Accept any server certificate and host name. Insecure: for test setups only. It is logged at
     * WARN when the client is built.
     */
    public Builder insecureSkipVerify() {
      this.insecureSkipVerify = true;
      return this;
    }

    /**
     * @throws IllegalArgumentException when a CA bundle and insecure-skip-verify are both set (they
     *     contradict each other)
     */
    public TlsOptions build() {
      if (insecureSkipVerify && trustedCertificates != null) {
        throw new IllegalArgumentException(
            "TLS options: trustedCertificates("
                + trustedCertificates
                + ") and insecureSkipVerify() contradict each other; choose one");
      }
      return new TlsOptions(this);
    }
  }
}
