package dev.satellite.registry;

import dev.satellite.registry.internal.tls.PemFiles;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Images are placed at the edge only when signed: a cosign signature for the image's digest (the
 * tag {@code sha256-<hex>.sig} in its source repository) must verify with one of these public
 * keys, and its simple-signing payload must name that digest in {@code
 * critical.image.docker-manifest-digest}. Keys are ECDSA P-256 ({@code SHA256withECDSA}, the
 * signature ASN.1 DER-encoded, as {@code cosign generate-key-pair} makes) or RSA of at least 2048
 * bits ({@code SHA256withRSA}, PKCS #1 v1.5). Keyless signatures (Fulcio certificates, Rekor
 * transparency log) are not verified. Immutable.
 */
public final class SignaturePolicy {
  private final List<PublicKey> keys;

  private SignaturePolicy(List<PublicKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a signature policy needs at least one public key");
    }
    for (PublicKey key : keys) {
      Objects.requireNonNull(key, "key");
      if (key instanceof ECPublicKey ec) {
        if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
          throw new IllegalArgumentException("EC public key on a "
              + ec.getParams().getCurve().getField().getFieldSize()
              + "-bit curve: only P-256 is supported");
        }
      } else if (key instanceof RSAPublicKey rsa) {
        if (rsa.getModulus().bitLength() < 2048) {
          throw new IllegalArgumentException("RSA public key of "
              + rsa.getModulus().bitLength() + " bits: at least 2048 are required");
        }
      } else {
        throw new IllegalArgumentException(key.getAlgorithm()
            + " public key: only ECDSA P-256 and RSA keys are supported");
      }
    }
    this.keys = List.copyOf(keys);
  }

  /**
   * Accepts signatures made with any of {@code keys}.
   *
   * @throws IllegalArgumentException when none is given, or one is not ECDSA P-256 or RSA >= 2048
   */
  public static SignaturePolicy publicKeys(PublicKey... keys) {
    return new SignaturePolicy(List.of(keys));
  }

  /**
   * Accepts signatures made with any public key ({@code -----BEGIN PUBLIC KEY-----}, as {@code
   * cosign generate-key-pair} writes {@code cosign.pub}) in these PEM files.
   *
   * @throws IllegalArgumentException naming the file when one is unreadable, holds no public key,
   *     or a key is not supported
   */
  public static SignaturePolicy publicKeyFiles(Path... pemFiles) {
    List<PublicKey> keys = new ArrayList<>();
    for (Path file : pemFiles) {
      keys.addAll(PemFiles.publicKeys(file, "signature public key file"));
    }
    return new SignaturePolicy(keys);
  }

  /** The keys a signature may verify with, in the order given. */
  public List<PublicKey> keys() {
    return keys;
  }

  @Override
  public String toString() {
    return "SignaturePolicy[" + keys.size() + " key(s)]";
  }
}
