package dev.satellite.registry.internal.state;

import dev.satellite.core.SatelliteException;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/**
 * Fetches the {@code artifacts.json} of one state artifact: its manifest (OCI or Docker v2 schema
 * 2, never an index), then its single layer, streamed through a {@link StateLayerReader}. Every
 * failure is a {@link SatelliteException} whose message starts with the action, which names the
 * reference.
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

  private final StateLayerReader reader;

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
    try {
      Manifest manifest = client.getManifest(ref.repository(), ref.reference());
      Descriptor layer = singleLayer(manifest, ref, action);
      try (InputStream in = client.openBlob(ref.repository(), layer.digest())) {
        return reader.read(in, action);
      }
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
