package dev.satellite.registry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Builds and pushes what signing tools leave next to an image, the way they lay it out: cosign's
 * {@code sha256-<hex>.sig} (simple-signing payloads signed with a key made here) and {@code .att}
 * (a DSSE envelope), and OCI 1.1 referrers (a manifest with {@code artifactType} and {@code
 * subject}) listed in the referrers tag {@code sha256-<hex>} by read, append, write, as a client
 * pushing to a registry without the referrers API does.
 */
public final class ReferrerFixtures {
  public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String DSSE = "application/vnd.dsse.envelope.v1+json";
  public static final String SPDX = "application/spdx+json";
  public static final String NOTATION_SIG = "application/vnd.cncf.notary.signature";
  public static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ReferrerFixtures() {}

  public static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair rsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** cosign's simple-signing payload for {@code digest}. */
  public static byte[] simpleSigning(String reference, Digest digest) {
    return ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + reference + "\"},"
        + "\"image\":{\"docker-manifest-digest\":\"" + digest + "\"},"
        + "\"type\":\"cosign container image signature\"},\"optional\":null}")
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] sign(PrivateKey key, byte[] payload) {
    try {
      Signature signer = Signature.getInstance(
          key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
      signer.initSign(key);
      signer.update(payload);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Pushes cosign's signature tag of {@code image}: one layer per payload, each annotated with
   * its signature (base64), as {@code cosign sign --key} does.
   */
  public static Manifest pushCosignSignature(RegistryClient client, String repository, Digest image,
      PrivateKey key, byte[] payload) {
    return pushCosignSignature(client, repository, image, payload,
        Base64.getEncoder().encodeToString(sign(key, payload)));
  }

  public static Manifest pushCosignSignature(RegistryClient client, String repository, Digest image,
      byte[] payload, String base64Signature) {
    ObjectNode layer = blob(client, repository, SIMPLE_SIGNING, payload);
    layer.putObject("annotations").put("dev.cosignproject.cosign/signature", base64Signature);
    return pushImageManifest(client, repository, Optional.empty(), layer, Optional.empty(),
        image.algorithm() + "-" + image.hex() + ".sig");
  }

  /** Pushes cosign's attestation tag of {@code image} (one DSSE envelope layer). */
  public static Manifest pushCosignAttestation(RegistryClient client, String repository, Digest image) {
    byte[] envelope = ("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\""
        + Base64.getEncoder().encodeToString(("{\"subject\":[{\"digest\":{\"sha256\":\""
            + image.hex() + "\"}}]}").getBytes(StandardCharsets.UTF_8))
        + "\",\"signatures\":[]}").getBytes(StandardCharsets.UTF_8);
    ObjectNode layer = blob(client, repository, DSSE, envelope);
    layer.putObject("annotations").put("predicateType", "https://slsa.dev/provenance/v0.2");
    return pushImageManifest(client, repository, Optional.empty(), layer, Optional.empty(),
        image.algorithm() + "-" + image.hex() + ".att");
  }

  /**
   * Pushes an OCI 1.1 referrer of {@code subject} by digest and lists it in the subject's
   * referrers tag.
   */
  public static Manifest pushReferrer(RegistryClient client, String repository, Descriptor subject,
      String artifactType, byte[] content) {
    Manifest referrer = pushUnlistedReferrer(client, repository, subject, artifactType, content);
    listInReferrersTag(client, repository, subject.digest(), referrer, artifactType);
    return referrer;
  }

  /** Pushes an OCI 1.1 referrer by digest only, for a registry that lists referrers itself. */
  public static Manifest pushUnlistedReferrer(RegistryClient client, String repository,
      Descriptor subject, String artifactType, byte[] content) {
    ObjectNode layer = blob(client, repository, artifactType, content);
    return pushImageManifest(client, repository, Optional.of(artifactType), layer,
        Optional.of(subject), null);
  }

  /** Appends {@code referrer} to the referrers tag of {@code subject} (read, append, write). */
  public static void listInReferrersTag(RegistryClient client, String repository, Digest subject,
      Manifest referrer, String artifactType) {
    String tag = subject.algorithm() + "-" + subject.hex();
    ObjectNode index;
    if (client.headManifest(repository, tag).isPresent()) {
      index = (ObjectNode) json(client.getManifest(repository, tag).bytes());
    } else {
      index = NODES.objectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", MediaTypes.OCI_INDEX);
      index.putArray("manifests");
    }
    ObjectNode entry = ((ArrayNode) index.get("manifests")).addObject();
    entry.put("mediaType", referrer.mediaType());
    entry.put("digest", referrer.digest().toString());
    entry.put("size", referrer.size());
    entry.put("artifactType", artifactType);
    client.putManifest(repository, tag, Manifest.of(MediaTypes.OCI_INDEX, bytes(index)));
  }

  /** The digests an index lists, in order. */
  public static List<String> listed(Manifest index) {
    return index.children().stream().map(d -> d.digest().toString()).toList();
  }

  private static Manifest pushImageManifest(RegistryClient client, String repository,
      Optional<String> artifactType, ObjectNode layer, Optional<Descriptor> subject, String tag) {
    ObjectNode manifest = NODES.objectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
    artifactType.ifPresent(type -> manifest.put("artifactType", type));
    manifest.set("config", artifactType.isPresent()
        ? blob(client, repository, EMPTY_CONFIG, "{}".getBytes(StandardCharsets.UTF_8))
        : blob(client, repository, MediaTypes.OCI_CONFIG, ("{\"architecture\":\"\",\"os\":\"\","
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer.get("digest").asText()
            + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8)));
    manifest.putArray("layers").add(layer);
    subject.ifPresent(s -> {
      ObjectNode node = manifest.putObject("subject");
      node.put("mediaType", s.mediaType());
      node.put("digest", s.digest().toString());
      node.put("size", s.size());
    });
    Manifest pushed = Manifest.of(MediaTypes.OCI_MANIFEST, bytes(manifest));
    client.putManifest(repository, pushed.digest().toString(), pushed);
    if (tag != null) {
      client.putManifest(repository, tag, pushed);
    }
    return pushed;
  }

  private static ObjectNode blob(RegistryClient client, String repository, String mediaType,
      byte[] content) {
    Digest digest = client.pushBlob(repository, content);
    ObjectNode descriptor = NODES.objectNode();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest.toString());
    descriptor.put("size", content.length);
    return descriptor;
  }

  public static JsonNode json(byte[] bytes) {
    try {
      return Json.read(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }
}
