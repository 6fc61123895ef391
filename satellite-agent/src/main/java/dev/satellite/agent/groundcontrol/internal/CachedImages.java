package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.agent.groundcontrol.Heartbeat.CachedImage;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.RegistryClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images a heartbeat lists: what the checkpoint records as in place at the edge (no catalog
 * walk), each as {@code <edge-host>/<repository>:<tag>@<digest>} with its size, the manifest's
 * config and layer sizes added up (an index: its images' sizes). A manifest's size cannot change
 * (its digest names its content), so each is read from the edge once and remembered; one that
 * cannot be read counts 0 this time and is read again next time.
 */
public final class CachedImages {
  private static final Logger log = LoggerFactory.getLogger(CachedImages.class);
  /** Bound on remembered sizes, far above any edge's image count; cleared when reached. */
  private static final int MAX_REMEMBERED = 100_000;

  private final Map<String, Long> sizes = new ConcurrentHashMap<>();

  /** The images {@code checkpoint} records, once per repository and tag, sizes read at {@code edge}. */
  public List<CachedImage> of(Checkpoint checkpoint, RegistryClient edge) {
    Map<String, Entity> inPlace = new LinkedHashMap<>();
    checkpoint.groups().values().forEach(
        entities -> entities.forEach(entity -> inPlace.putIfAbsent(entity.toString(), entity)));
    if (sizes.size() > MAX_REMEMBERED) {
      sizes.clear();
    }
    List<CachedImage> images = new ArrayList<>(inPlace.size());
    for (Entity entity : inPlace.values()) {
      images.add(new CachedImage(edge.registry() + "/" + entity, size(edge, entity)));
    }
    return images;
  }

  private long size(RegistryClient edge, Entity entity) {
    String key = edge.registry() + "/" + entity.repository() + "@" + entity.digest();
    Long known = sizes.get(key);
    if (known != null) {
      return known;
    }
    try {
      long size = manifestSize(edge, entity.repository(), entity.digest(), true);
      sizes.put(key, size);
      return size;
    } catch (RuntimeException e) {
      log.debug("size of {} at {} unknown for now: {}", entity, edge.registry(), e.getMessage());
      return 0;
    }
  }

  private static long manifestSize(RegistryClient edge, String repository, String digest,
      boolean descend) {
    Manifest manifest = edge.getManifest(repository, digest);
    long size = 0;
    if (manifest.isIndex()) {
      if (descend) {
        for (Descriptor child : manifest.children()) {
          try {
            size += manifestSize(edge, repository, child.digest().toString(), false);
          } catch (RuntimeException e) {
            // a platform left out by a platform filter is not at the edge: it takes no space
            log.debug("child {} of {}@{} not counted: {}", child.digest(), repository, digest,
                e.getMessage());
          }
        }
      }
      return size;
    }
    for (Descriptor blob : manifest.blobs()) {
      size += blob.size();
    }
    return size;
  }
}
