package dev.satellite.registry.internal.state;

import dev.satellite.core.GroupState;
import dev.satellite.registry.Digest;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group states decoded once per published version. A group state artifact is content-addressed: a
 * manifest digest names one layer, so one {@code artifacts.json}, so one decoding, as long as the
 * decoding asked no registry anything (entries published without a digest are looked up by tag,
 * and a tag may move between passes). A pass whose group manifest still has the digest of the
 * last decoding gets that {@link GroupState} again instead of parsing and checking every entry
 * once more: for a thousand tags, about a third of a warm pass's own work.
 *
 * <p>Holds one decoding per group reference, and only for the groups the satellite state listed
 * last ({@link #retain}), so it never grows beyond the fleet's group set. Thread-safe: groups are
 * read in parallel.
 */
public final class GroupStateMemo {
  private final StateReferenceResolver resolver;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  private record Known(Digest manifest, GroupState state) {}

  /** @param resolver settles each group's {@code registry} URL, as {@link GroupStateCodec} does */
  public GroupStateMemo(StateReferenceResolver resolver) {
    this.resolver = resolver;
  }

  /**
   * The group state of {@code artifact}, read from group reference {@code ref}: decoded by {@link
   * GroupStateCodec#decode(String, byte[], StateReferenceResolver, GroupStateCodec.TagResolver)}
   * unless the last decoding of {@code ref} was of the same manifest and looked up no tag.
   *
   * @param tags looks up digests by tag; {@code null} rejects entries without a valid digest
   * @throws dev.satellite.core.SatelliteException naming {@code ref} when the document itself is
   *     unusable (nothing is remembered then)
   */
  public GroupState decode(
      String ref, StateArtifactFetcher.Artifact artifact, GroupStateCodec.TagResolver tags) {
    Known last = known.get(ref);
    if (last != null && last.manifest().equals(artifact.manifestDigest())) {
      return last.state();
    }
    AtomicBoolean askedRegistry = new AtomicBoolean();
    GroupStateCodec.TagResolver noting = tags == null ? null
        : (registry, repository, tag) -> {
          askedRegistry.set(true);
          return tags.digest(registry, repository, tag);
        };
    GroupState state;
    try {
      state = GroupStateCodec.decode(ref, artifact.json(), resolver, noting);
    } catch (RuntimeException e) {
      known.remove(ref);
      throw e;
    }
    if (askedRegistry.get()) {
      known.remove(ref);
    } else {
      known.put(ref, new Known(artifact.manifestDigest(), state));
    }
    return state;
  }

  /** Forgets the decodings of every group not among {@code groupRefs} (the latest group set). */
  public void retain(Collection<String> groupRefs) {
    known.keySet().retainAll(new HashSet<>(groupRefs));
  }
}
