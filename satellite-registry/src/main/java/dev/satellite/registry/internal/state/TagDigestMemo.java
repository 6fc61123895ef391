package dev.satellite.registry.internal.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Looks up the digests of tags, each registry, repository and tag once until {@link #forget}: a
 * pass that finds the same digest-less entry in several group states asks the registry once, and
 * every group sees the same answer (a failure included), so the tag cannot move between them.
 * Thread-safe: concurrent lookups of one tag wait for the first.
 */
public final class TagDigestMemo implements GroupStateCodec.TagResolver {
  private final GroupStateCodec.TagResolver lookup;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  public TagDigestMemo(GroupStateCodec.TagResolver lookup) {
    this.lookup = lookup;
  }

  /** Drops every answer: the next lookup of any tag asks again. */
  public void forget() {
    answers.clear();
  }

  @Override
  public String digest(String sourceRegistry, String repository, String tag) {
    Answer answer = answers.computeIfAbsent(
        sourceRegistry + " " + repository + ":" + tag, key -> new Answer());
    return answer.get(() -> lookup.digest(sourceRegistry, repository, tag));
  }

  /** One lookup's outcome, computed by the first caller. */
  private static final class Answer {
    private String digest;
    private RuntimeException failure;
    private boolean done;

    synchronized String get(Supplier<String> lookup) {
      if (!done) {
        try {
          digest = lookup.get();
        } catch (RuntimeException e) {
          failure = e;
        }
        done = true;
      }
      if (failure != null) {
        throw failure;
      }
      return digest;
    }
  }
}
