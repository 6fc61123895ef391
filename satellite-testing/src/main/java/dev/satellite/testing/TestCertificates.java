package dev.satellite.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * Certificate authorities and the certificates they issue, generated in memory with okhttp-tls and
 * written as PEM files (certificate, PKCS#8 private key) for a registry's {@code config.yml} and for
 * a client's {@code TlsOptions}.
 *
 * <pre>{@code
 * Authority caA = TestCertificates.authority(tempDir, "ca-a");
 * Issued server = caA.issueServer();            // SANs 127.0.0.1 and localhost
 * Issued client = caA.issueClient("edge-1");
 * }</pre>
 *
 * <p>Keys are ECDSA P-256, certificates valid for one day.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private TestCertificates() {}

  /** A new self-signed certificate authority whose PEM certificate is written to {@code dir}. */
  public static Authority authority(Path dir, String name) {
    HeldCertificate ca =
        new HeldCertificate.Builder()
            .commonName(name)
            .certificateAuthority(0)
            .serialNumber(SERIAL.getAndIncrement())
            .duration(1, TimeUnit.DAYS)
            .build();
    Path pem = write(dir.resolve(name + "-ca.pem"), ca.certificatePem());
    return new Authority(name, dir, ca, pem);
  }

  /** A certificate and its private key, in memory and as PEM files. */
  public record Issued(HeldCertificate held, Path certificatePem, Path privateKeyPem) {}

  /** A certificate authority able to issue server and client certificates. */
  public static final class Authority {
    private final String name;
    private final Path dir;
    private final HeldCertificate certificate;
    private final Path certificatePem;

    private Authority(String name, Path dir, HeldCertificate certificate, Path certificatePem) {
      this.name = name;
      this.dir = dir;
      this.certificate = certificate;
      this.certificatePem = certificatePem;
    }

    public String name() {
      return name;
    }

    public HeldCertificate certificate() {
      return certificate;
    }

    /** The CA certificate as a PEM file: what a client trusts, or a registry's {@code clientcas}. */
    public Path certificatePem() {
      return certificatePem;
    }

    /** A server certificate for {@code 127.0.0.1} and {@code localhost}. */
    public Issued issueServer() {
      HeldCertificate held =
          signed("server")
              .addSubjectAlternativeName("127.0.0.1")
              .addSubjectAlternativeName("localhost")
              .build();
      return writeIssued("server-" + held.certificate().getSerialNumber(), held);
    }

    /** A client certificate (for mutual TLS) with common name {@code commonName}. */
    public Issued issueClient(String commonName) {
      HeldCertificate held = signed(commonName).build();
      return writeIssued("client-" + commonName + "-" + held.certificate().getSerialNumber(), held);
    }

    /** Client-side TLS material trusting only this authority (for raw OkHttp clients in tests). */
    public HandshakeCertificates trustingOnlyThis() {
      return new HandshakeCertificates.Builder()
          .addTrustedCertificate(certificate.certificate())
          .build();
    }

    private HeldCertificate.Builder signed(String commonName) {
      return new HeldCertificate.Builder()
          .commonName(commonName)
          .serialNumber(SERIAL.getAndIncrement())
          .duration(1, TimeUnit.DAYS)
          .signedBy(certificate);
    }

    private Issued writeIssued(String base, HeldCertificate held) {
      Path cert = write(dir.resolve(name + "-" + base + ".pem"), held.certificatePem());
      Path key = write(dir.resolve(name + "-" + base + "-key.pem"), held.privateKeyPkcs8Pem());
      return new Issued(held, cert, key);
    }
  }

  private static Path write(Path file, String pem) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("write " + file, e);
    }
  }
}
