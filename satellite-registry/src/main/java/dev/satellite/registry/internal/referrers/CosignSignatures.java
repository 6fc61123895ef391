package dev.satellite.registry.internal.referrers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.satellite.core.PolicyRefusalException;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryException;
import dev.satellite.registry.SignaturePolicy;
import dev.satellite.registry.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks an image against a {@link SignaturePolicy} at its source, before it is copied: reads
 * cosign's signature tag {@code sha256-<hex>.sig} (an image manifest whose layers are
 * simple-signing payloads, each with its base64 signature in the layer annotation {@code
 * dev.cosignproject.cosign/signature}), and accepts the image when one layer's signature verifies
 * over the layer's bytes with one of the keys and that payload is a {@code cosign container image
 * signature} whose {@code critical.image.docker-manifest-digest} is the image's digest. Nothing is
 * trusted before that: a payload's digest claim is read only once its signature verified.
 */
public final class CosignSignatures {
  static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  private static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  private final SignaturePolicy policy;

  public CosignSignatures(SignaturePolicy policy) {
    this.policy = policy;
  }

  /** The signature manifest and its tag, once verified. */
  public record Verified(String tag, Manifest manifest) {}

  /**
   * Verifies {@code source/repository@image}.
   *
   * @throws SatelliteException naming the image and why no signature passed the key check
   *     (unsigned, signed with another key, signed for another digest, malformed)
   */
  public Verified verify(RegistryClient source, String repository, Digest image) {
    String tag = ReferrerTags.signature(image);
    String subject = "signature policy: image " + repository + "@" + image;
    Manifest manifest;
    try {
      manifest = source.getManifest(repository, tag);
    } catch (RegistryException e) {
      if (e.statusCode().orElse(0) == 404) {
        throw new PolicyRefusalException(subject + " is unsigned: no cosign signature "
            + repository + ":" + tag + " at " + source.registry() + " to check against the "
            + keys());
      }
      throw e;
    }
    List<String> problems = new ArrayList<>();
    JsonNode layers = layers(manifest, tag, problems);
    for (int i = 0; i < layers.size(); i++) {
      String problem = check(source, repository, image, layers.get(i));
      if (problem == null) {
        return new Verified(tag, manifest);
      }
      problems.add("signature " + (i + 1) + " " + problem);
    }
    if (problems.isEmpty()) {
      problems.add("it holds no signature");
    }
    throw new PolicyRefusalException(subject + " has no cosign signature that verifies with the "
        + keys() + " (" + repository + ":" + tag + " at " + source.registry() + ": "
        + String.join("; ", problems) + ")");
  }

  private String keys() {
    int n = policy.keys().size();
    return n == 1 ? "configured public key" : n + " configured public keys";
  }

  private static JsonNode layers(Manifest manifest, String tag, List<String> problems) {
    try {
      JsonNode layers = Json.read(manifest.bytes()).path("layers");
      if (!layers.isArray()) {
        problems.add(tag + " is not an image manifest with layers");
      }
      return layers;
    } catch (IOException e) {
      problems.add(tag + " is not JSON: " + e.getMessage());
      return JsonNodeFactory.instance.arrayNode();
    }
  }

  /** Null when the layer passes; else what failed, for the reason. */
  private String check(RegistryClient source, String repository, Digest image, JsonNode layer) {
    String encoded = layer.path("annotations").path(SIGNATURE_ANNOTATION).asText("");
    if (encoded.isEmpty()) {
      return "has no " + SIGNATURE_ANNOTATION + " annotation";
    }
    byte[] signature;
    Digest payloadDigest;
    try {
      signature = Base64.getDecoder().decode(encoded.trim());
      payloadDigest = Digest.parse(layer.path("digest").asText(""));
    } catch (IllegalArgumentException e) {
      return "is malformed: " + e.getMessage();
    }
    if (layer.path("size").asLong(-1) > MAX_PAYLOAD_BYTES) {
      return "has a payload over " + MAX_PAYLOAD_BYTES + " bytes";
    }
    byte[] payload = payload(source, repository, payloadDigest);
    Optional<Integer> key = verifyingKey(payload, signature);
    if (key.isEmpty()) {
      return "does not verify with the " + keys();
    }
    JsonNode json;
    try {
      json = Json.read(payload);
    } catch (IOException e) {
      return "verifies with key " + (key.get() + 1) + " but its payload is not JSON: "
          + e.getMessage();
    }
    JsonNode critical = json.path("critical");
    String type = critical.path("type").asText("");
    String named = critical.path("image").path("docker-manifest-digest").asText("");
    if (!type.equals("cosign container image signature") || named.isEmpty()) {
      return "verifies with key " + (key.get() + 1) + " but its payload is not a simple-signing"
          + " payload (critical.type '" + type + "', critical.image.docker-manifest-digest '"
          + named + "')";
    }
    if (!named.equals(image.toString())) {
      return "verifies with key " + (key.get() + 1) + " but signs " + named + ", not " + image;
    }
    return null;
  }

  private static byte[] payload(RegistryClient source, String repository, Digest digest) {
    try (InputStream in = source.openBlob(repository, digest)) {
      byte[] bytes = in.readNBytes(MAX_PAYLOAD_BYTES + 1); // to the end: the digest is checked
      if (bytes.length > MAX_PAYLOAD_BYTES) {
        throw new SatelliteException("signature payload " + digest + " is over "
            + MAX_PAYLOAD_BYTES + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new SatelliteException("read signature payload " + repository + "@" + digest
          + " at " + source.registry() + ": " + e.getMessage(), e);
    }
  }

  /** The index of the first key the signature verifies with. */
  private Optional<Integer> verifyingKey(byte[] payload, byte[] signature) {
    List<PublicKey> keys = policy.keys();
    for (int i = 0; i < keys.size(); i++) {
      PublicKey key = keys.get(i);
      try {
        Signature verifier = Signature.getInstance(
            key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(payload);
        if (verifier.verify(signature)) {
          return Optional.of(i);
        }
      } catch (GeneralSecurityException e) {
        // a signature that cannot even be parsed for this key does not verify with it
      }
    }
    return Optional.empty();
  }
}
