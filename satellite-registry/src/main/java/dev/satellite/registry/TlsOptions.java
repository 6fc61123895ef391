package dev.satellite.registry;

import dev.satellite.registry.internal.tls.TlsConfigurer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;

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
   * Configures {@code builder}, an OkHttp client builder for another HTTPS endpoint of the same
   * deployment (Ground Control, say), with these options exactly as a registry client gets them:
   * trust, client certificate, host name verification, TLS 1.2 and 1.3 only. TLS settings the
   * builder had before are replaced.
   *
   * @param endpoint names the endpoint in the warning logged for insecure-skip-verify
   * @throws IllegalArgumentException naming the PEM file when a certificate or key is unusable
   */
  public void applyTo(OkHttpClient.Builder builder, String endpoint) {
    TlsConfigurer.apply(
        Objects.requireNonNull(builder, "builder"), this, Objects.requireNonNull(endpoint));
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
