package dev.satellite.agent.groundcontrol.spiffe;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A SPIFFE trust domain for tests, as a SPIRE server keeps one: a root CA whose certificate is
 * the trust bundle, and X.509 SVIDs it signs (EC P-256 keys, the SPIFFE ID as the only URI SAN,
 * digital signature key usage, server and client authentication), as the X509-SVID specification
 * has them.
 */
public final class TestTrustDomain {
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private final String name;
  private final KeyPair caKey;
  private final X509Certificate ca;

  private TestTrustDomain(String name) {
    this.name = name;
    this.caKey = ecKey();
    X500Name subject = new X500Name("O=SPIFFE, CN=" + name + " test root");
    this.ca = sign(new JcaX509v3CertificateBuilder(subject, serial(), notBefore(),
        Date.from(Instant.now().plus(Duration.ofDays(1))), subject, caKey.getPublic()), ext -> {
          ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
          ext.addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
          ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
              new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://" + name)));
        });
  }

  /** A new trust domain {@code name} (e.g. {@code example.org}) with a fresh root. */
  public static TestTrustDomain create(String name) {
    return new TestTrustDomain(name);
  }

  public String name() {
    return name;
  }

  /** The root certificate: the trust domain's X.509 bundle. */
  public X509Certificate bundle() {
    return ca;
  }

  /** A new SVID for {@code spiffe://<domain><path>}, valid for an hour. */
  public Svid svid(String path) {
    String id = "spiffe://" + name + path;
    KeyPair key = ecKey();
    X509Certificate certificate = sign(new JcaX509v3CertificateBuilder(ca, serial(), notBefore(),
        Date.from(Instant.now().plus(Duration.ofHours(1))), new X500Name("O=SPIRE"),
        key.getPublic()), ext -> {
          ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          ext.addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
          ext.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
          ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
              new GeneralName(GeneralName.uniformResourceIdentifier, id)));
        });
    return new Svid(id, certificate, key.getPrivate(), ca);
  }

  /** An X.509 SVID: the SPIFFE ID, its certificate and key, and the root it chains to. */
  public record Svid(String spiffeId, X509Certificate certificate, PrivateKey key,
      X509Certificate root) {
    /** The certificate, DER. */
    public byte[] certificateDer() {
      return der(certificate);
    }

    /**
     * A server-side TLS context presenting this SVID and requiring clients to chain to one of
     * {@code trusted}.
     */
    public SSLContext serverContext(X509Certificate... trusted) {
      try {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("svid", key, new char[0], new Certificate[] {certificate, root});
        KeyManagerFactory keyManagers =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
          roots.setCertificateEntry("root-" + i, trusted[i]);
        }
        TrustManagerFactory trustManagers =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(roots);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
      } catch (GeneralSecurityException | java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Certificates, DER, one after the other (the Workload API's encoding of chains and bundles). */
  public static byte[] der(X509Certificate... certificates) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (X509Certificate certificate : certificates) {
      try {
        out.writeBytes(certificate.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toByteArray();
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws CertIOException;
  }

  private X509Certificate sign(X509v3CertificateBuilder builder, Extensions extensions) {
    try {
      extensions.add(builder);
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ecKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  private static Date notBefore() {
    return Date.from(Instant.now().minus(Duration.ofMinutes(1)));
  }
}
