package dev.satellite.registry.internal.state;

import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches the {@code artifacts.json} of one state artifact: its manifest (OCI or Docker v2 schema
 * 2, never an index), then its single layer, streamed through a {@link StateLayerReader}. Every
 * failure is a {@link SatelliteException} whose message starts with the action, which names the
 * reference.
 *
 * <p>The layer is content-addressed and its digest is verified as it streams, so the {@code
 * artifacts.json} read from it is remembered by layer digest: a state artifact read again whose
 * manifest still names that layer (an unchanged group state, the common case of a pass) costs only
 * its manifest request. Remembered: the most recently read layers, at most {@link
 * #MAX_REMEMBERED_BYTES} of {@code artifacts.json} in all. Thread-safe.
 */
public final class StateArtifactFetcher {
  private static final Set<String> MANIFEST_TYPES =
      Set.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
  private static final Set<String> LAYER_TYPES =
      Set.of(
          MediaTypes.OCI_LAYER_GZIP,
          MediaTypes.DOCKER_LAYER_GZIP,
          "application/vnd.oci.image.layer.v1.tar",
          "application/vnd.docker.image.rootfs.diff.tar");

  /** Bound on the {@code artifacts.json} bytes remembered across reads. */
  static final long MAX_REMEMBERED_BYTES = 16L << 20;

  private final StateLayerReader reader;
  private final Map<Digest, byte[]> remembered = new LinkedHashMap<>(16, 0.75f, true);
  private long rememberedBytes;

  public StateArtifactFetcher(StateLayerReader reader) {
    this.reader = reader;
  }

  /**
   * The {@code artifacts.json} of the state artifact {@code ref}, read through {@code client}.
   *
   * @param action what is being done, e.g. {@code "read group state <ref>"}
   * @throws SatelliteException starting with {@code action}
   */
  public byte[] read(RegistryClient client, StateReference ref, String action) {
    return readArtifact(client, ref, action).json();
  }

  /** A state artifact as read: its manifest's digest and its {@code artifacts.json}. */
  public record Artifact(Digest manifestDigest, byte[] json) {}

  /**
   * As {@link #read}, with the digest of the manifest read.
   *
   * @throws SatelliteException starting with {@code action}
   */
  public Artifact readArtifact(RegistryClient client, StateReference ref, String action) {
    try {
      Manifest manifest = client.getManifest(ref.repository(), ref.reference());
      Descriptor layer = singleLayer(manifest, ref, action);
      Optional<byte[]> known = recall(layer.digest());
      if (known.isPresent()) {
        return new Artifact(manifest.digest(), known.get());
      }
      byte[] json;
      try (InputStream in = client.openBlob(ref.repository(), layer.digest())) {
        json = reader.read(in, action);
      }
      remember(layer.digest(), json);
      return new Artifact(manifest.digest(), json);
    } catch (IOException e) {
      throw new SatelliteException(action + ": cannot read layer: " + e.getMessage(), e);
    } catch (SatelliteException e) {
      throw named(action, e);
    }
  }

  /**
   * The manifest digest of {@code ref}, from a {@code HEAD} request (no body is transferred).
   *
   * @throws SatelliteException starting with {@code action}, also when the manifest is absent
   */
  public Digest headDigest(RegistryClient client, StateReference ref, String action) {
    try {
      return client
          .headManifest(ref.repository(), ref.reference())
          .orElseThrow(
              () -> new SatelliteException(action + ": not found (404) at " + client.registry()))
          .digest();
    } catch (SatelliteException e) {
      throw named(action, e);
    }
  }

  private synchronized Optional<byte[]> recall(Digest layer) {
    return Optional.ofNullable(remembered.get(layer)).map(byte[]::clone);
  }

  private synchronized void remember(Digest layer, byte[] json) {
    if (json.length > MAX_REMEMBERED_BYTES || remembered.containsKey(layer)) {
      return;
    }
    remembered.put(layer, json.clone());
    rememberedBytes += json.length;
    Iterator<byte[]> oldest = remembered.values().iterator();
    while (rememberedBytes > MAX_REMEMBERED_BYTES) {
      rememberedBytes -= oldest.next().length;
      oldest.remove();
    }
  }

  private Descriptor singleLayer(Manifest manifest, StateReference ref, String action) {
    if (!MANIFEST_TYPES.contains(manifest.mediaType())) {
      throw new SatelliteException(
          action
              + ": "
              + ref
              + " is "
              + manifest.mediaType()
              + ", expected an image manifest (OCI or Docker v2 schema 2)");
    }
    List<Descriptor> layers = manifest.layers();
    if (layers.size() != 1) {
      throw new SatelliteException(
          action
              + ": manifest "
              + manifest.digest()
              + " has "
              + layers.size()
              + " layers, a state artifact has exactly one");
    }
    Descriptor layer = layers.get(0);
    if (!LAYER_TYPES.contains(layer.mediaType())) {
      throw new SatelliteException(
          action
              + ": layer "
              + layer.digest()
              + " has media type "
              + layer.mediaType()
              + ", expected a tar or gzip-compressed tar layer");
    }
    if (layer.size() > reader.maxLayerBytes()) {
      throw new SatelliteException(
          action
              + ": layer "
              + layer.digest()
              + " is "
              + layer.size()
              + " bytes, over the limit of "
              + reader.maxLayerBytes()
              + " bytes");
    }
    return layer;
  }

  private static SatelliteException named(String action, SatelliteException e) {
    return e.getMessage() != null && e.getMessage().startsWith(action)
        ? e
        : new SatelliteException(action + ": " + e.getMessage(), e);
  }
}
