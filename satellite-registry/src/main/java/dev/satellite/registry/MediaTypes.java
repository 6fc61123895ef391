package dev.satellite.registry;

import java.util.List;

/** Media types of the OCI image spec and of Docker image manifest v2 schema 2. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** The four manifest types this library reads, in the order sent in {@code Accept}. */
  public static final List<String> MANIFEST_TYPES =
      List.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

  private MediaTypes() {}

  /** True for an OCI image index or a Docker manifest list (a manifest of manifests). */
  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /** True for one of the four manifest types in {@link #MANIFEST_TYPES}. */
  public static boolean isManifest(String mediaType) {
    return MANIFEST_TYPES.contains(mediaType);
  }
}
