package dev.satellite.registry.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and private keys from PEM files. Keys may be PKCS#8 ({@code PRIVATE KEY}, RSA
 * or EC), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}); encrypted keys are not
 * supported. Every error names the file and says what is wrong.
 */
public final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private PemFiles() {}

  /**
   * All certificates in {@code file}.
   *
   * @throws IllegalArgumentException naming the file when it is unreadable or holds none
   */
  public static List<X509Certificate> certificates(Path file, String role) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(file, role)) {
        if (block.type().equals("CERTIFICATE")) {
          certificates.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (GeneralSecurityException e) {
      throw invalid(file, role, "invalid certificate: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw invalid(file, role, "no PEM CERTIFICATE block found", null);
    }
    return certificates;
  }

  /**
   * The first private key in {@code file}.
   *
   * @throws IllegalArgumentException naming the file when it is unreadable, holds no key, or the
   *     key is encrypted or of an unsupported kind
   */
  public static PrivateKey privateKey(Path file, String role) {
    for (Block block : blocks(file, role)) {
      if (block.type().equals("ENCRYPTED PRIVATE KEY")) {
        throw invalid(file, role, "encrypted private keys are not supported", null);
      }
      try {
        switch (block.type()) {
          case "PRIVATE KEY":
            return pkcs8(block.der());
          case "RSA PRIVATE KEY":
            return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Der.rsaPkcs1ToPkcs8(block.der())));
          case "EC PRIVATE KEY":
            return KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Der.ecSec1ToPkcs8(block.der())));
          default:
            break;
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw invalid(file, role, "invalid " + block.type() + ": " + e.getMessage(), e);
      }
    }
    throw invalid(
        file, role, "no PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block found", null);
  }

  /**
   * Every public key ({@code PUBLIC KEY}, X.509 SubjectPublicKeyInfo, RSA or EC) in {@code file}.
   *
   * @throws IllegalArgumentException naming the file when it is unreadable, holds no public key,
   *     or one is invalid or of another kind
   */
  public static List<PublicKey> publicKeys(Path file, String role) {
    List<PublicKey> keys = new ArrayList<>();
    for (Block block : blocks(file, role)) {
      if (!block.type().equals("PUBLIC KEY")) {
        continue;
      }
      X509EncodedKeySpec spec = new X509EncodedKeySpec(block.der());
      PublicKey key = null;
      for (String algorithm : List.of("EC", "RSA")) {
        try {
          key = KeyFactory.getInstance(algorithm).generatePublic(spec);
          break;
        } catch (GeneralSecurityException e) {
          // try the next algorithm
        }
      }
      if (key == null) {
        throw invalid(file, role, "PUBLIC KEY #" + (keys.size() + 1)
            + " is neither an EC nor an RSA key", null);
      }
      keys.add(key);
    }
    if (keys.isEmpty()) {
      throw invalid(file, role, "no PEM PUBLIC KEY block found", null);
    }
    return keys;
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("not an RSA, EC or Ed25519 key", last);
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file, String role) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw invalid(file, role, "cannot read file: " + e, e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw invalid(file, role, "invalid base64 in " + m.group(1) + " block", e);
      }
    }
    return blocks;
  }

  private static IllegalArgumentException invalid(
      Path file, String role, String problem, Throwable cause) {
    return new IllegalArgumentException(role + " " + file + ": " + problem, cause);
  }
}
