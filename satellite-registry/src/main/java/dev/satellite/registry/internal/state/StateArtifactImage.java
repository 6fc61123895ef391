package dev.satellite.registry.internal.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satellite.registry.Digest;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;

/**
 * The blobs and manifest of one state artifact image: an image config naming the layer's diff ID,
 * the {@link StateLayerWriter deterministic} layer holding {@code artifacts.json}, and an image
 * manifest (OCI by default, Docker v2 schema 2 on request) referencing both. The config has no
 * creation time, so the same {@code artifacts.json} always gives the same manifest digest.
 *
 * @param config the image config JSON
 * @param layer the gzip-compressed tar layer
 * @param manifest the image manifest
 */
public record StateArtifactImage(byte[] config, byte[] layer, Manifest manifest) {

  /** Builds the image for {@code artifactsJson}. */
  public static StateArtifactImage of(byte[] artifactsJson, boolean dockerMediaTypes) {
    StateLayerWriter.Layer layer = StateLayerWriter.write(artifactsJson);
    ObjectNode config = StateJson.newObject();
    config.put("architecture", "");
    config.put("os", "");
    config.putObject("config");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(Digest.of(layer.tar()).toString());
    byte[] configBytes = StateJson.write(config);

    String manifestType = dockerMediaTypes ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
    ObjectNode manifest = StateJson.newObject();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", manifestType);
    descriptor(
        manifest.putObject("config"),
        dockerMediaTypes ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG,
        configBytes);
    descriptor(
        manifest.putArray("layers").addObject(),
        dockerMediaTypes ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP,
        layer.gzip());
    return new StateArtifactImage(
        configBytes, layer.gzip(), Manifest.of(manifestType, StateJson.write(manifest)));
  }

  private static void descriptor(ObjectNode node, String mediaType, byte[] content) {
    node.put("mediaType", mediaType);
    node.put("digest", Digest.of(content).toString());
    node.put("size", content.length);
  }
}
