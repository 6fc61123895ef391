package dev.satellite.core;

import dev.satellite.core.internal.JsonWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * What one {@link Reconciler#sync()} pass did: per group and in total. Immutable; made by the
 * reconciler with {@link #builder}, and later versions may add figures without breaking callers.
 *
 * <p>{@link #ok()} is true when the pass did all its work: the satellite state and every group
 * state were read, every desired entity is in place, nothing failed (retained tags are warnings,
 * not failures), the pass was not interrupted, and the checkpoint in the store matches what is in
 * place. Entities {@linkplain #deferred() deferred} by a rule of the link (sync window closed, byte
 * budget spent) are not failures: they do not make a pass not ok, and {@link #complete()} tells
 * whether any were left for later. {@link #toJson()} gives a stable JSON form.
 */
public final class SyncReport {
  private final Instant startedAt;
  private final Duration duration;
  private final boolean interrupted;
  private final boolean checkpointSaved;
  private final List<GroupReport> groups;
  private final List<Failure> failures;
  private final List<RetainedTag> retainedTags;
  private final List<ResolvedTag> resolvedTags;
  private final List<String> errors;
  private final List<Deferral> deferred;
  private final long upstreamBytes;
  private final long upstreamBytesTotal;

  /** An entity whose copy was left for a later pass, and why (see {@link TransferDeferredException}). */
  public record Deferral(String group, Entity entity, String reason) {
    public Deferral {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(entity, "entity");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** What was being done when an entity failed. */
  public enum Operation {
    /** The artifact entry broke the distribution grammar or conflicted with another entry. */
    VALIDATE,
    /** Copying the image to the edge failed. */
    REPLICATE,
    /**
     * A policy of the replicator refused the image ({@link PolicyRefusalException}: its signature
     * does not verify); nothing was tagged, tried again next pass.
     */
    REFUSE,
    /** Removing the entity, no longer desired, from the edge failed. */
    PRUNE,
    /**
     * The image is in place, but copying its referrers (signatures, SBOMs, attestations) failed;
     * tried again next pass.
     */
    REFERRERS
  }

  /**
   * One failed entity. {@code repository} and {@code tag} are as received; for an invalid entry
   * either may be null or malformed.
   */
  public record Failure(
      String group, String repository, String tag, Operation operation, String reason) {
    public Failure {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A tag no longer desired, left at the edge because its manifest is still desired. */
  public record RetainedTag(String group, Entity entity) {
    public RetainedTag {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(entity, "entity");
    }
  }

  /**
   * A desired entity whose group state gave a tag without a valid digest: the digest is the one the
   * tag had at the source when the group state was read, and it is what was copied and recorded.
   */
  public record ResolvedTag(String group, Entity entity) {
    public ResolvedTag {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(entity, "entity");
    }
  }

  private SyncReport(Builder builder) {
    this.startedAt = builder.startedAt;
    this.duration = builder.duration;
    this.interrupted = builder.interrupted;
    this.checkpointSaved = builder.checkpointSaved;
    this.groups = List.copyOf(builder.groups);
    this.failures = List.copyOf(builder.failures);
    this.retainedTags = List.copyOf(builder.retainedTags);
    this.resolvedTags = List.copyOf(builder.resolvedTags);
    this.errors = List.copyOf(builder.errors);
    this.deferred = List.copyOf(builder.deferred);
    this.upstreamBytes = builder.upstreamBytes;
    this.upstreamBytesTotal = builder.upstreamBytesTotal;
  }

  /** A report of the pass that began at {@code startedAt} and took {@code duration}. */
  public static Builder builder(Instant startedAt, Duration duration) {
    return new Builder(startedAt, duration);
  }

  /** When the pass began, per the reconciler's clock. */
  public Instant startedAt() {
    return startedAt;
  }

  /** How long the pass took, per the reconciler's clock. */
  public Duration duration() {
    return duration;
  }

  /** The calling thread was interrupted and the pass stopped early. */
  public boolean interrupted() {
    return interrupted;
  }

  /**
   * The checkpoint in the store records what is in place at the end of the pass (also true when
   * nothing needed saving); false when a save failed (see {@link #errors()}).
   */
  public boolean checkpointSaved() {
    return checkpointSaved;
  }

  /** Per-group figures, groups of the satellite state first, removed groups after. */
  public List<GroupReport> groups() {
    return groups;
  }

  /** Every entity that failed, with its reason; retried next pass. */
  public List<Failure> failures() {
    return failures;
  }

  /** Tags left in place although no longer desired (see {@link PruneOutcome#RETAINED}). */
  public List<RetainedTag> retainedTags() {
    return retainedTags;
  }

  /**
   * Desired entities published without a valid digest, whose digest was looked up by tag at the
   * source this pass (a warning: what the tag pointed at then is what was copied).
   */
  public List<ResolvedTag> resolvedTags() {
    return resolvedTags;
  }

  /**
   * Failures of the pass itself: reading the satellite state, a group state or the config,
   * applying the config, loading or saving the checkpoint, an interrupt.
   */
  public List<String> errors() {
    return errors;
  }

  /**
   * Entities whose copy was left for the next pass by a rule of the link, with why; nothing of
   * theirs was tagged.
   */
  public List<Deferral> deferred() {
    return deferred;
  }

  /**
   * Bytes read from the upstream registries during the pass (blobs, manifests, state artifacts, on
   * the wire), 0 when no {@link UpstreamMeter} is configured.
   */
  public long upstreamBytes() {
    return upstreamBytes;
  }

  /**
   * The meter's running total after this pass (for a satellite, since its state directory was
   * created), 0 when no meter is configured.
   */
  public long upstreamBytesTotal() {
    return upstreamBytesTotal;
  }

  /** True when the pass is {@link #ok()} and left nothing for later ({@link #deferred()} empty). */
  public boolean complete() {
    return ok() && deferred.isEmpty();
  }

  /** True when the pass did all its work; see the class description. */
  public boolean ok() {
    return !interrupted && checkpointSaved && errors.isEmpty() && failures.isEmpty();
  }

  public int replicated() {
    return (int) sum(GroupReport::replicated);
  }

  public int unchanged() {
    return (int) sum(GroupReport::unchanged);
  }

  public int pruned() {
    return (int) sum(GroupReport::pruned);
  }

  public int retained() {
    return retainedTags.size();
  }

  public int failed() {
    return failures.size();
  }

  /** Desired entities whose digest was looked up by tag this pass ({@link #resolvedTags()}). */
  public int resolvedByTag() {
    return resolvedTags.size();
  }

  /** What moving blobs took in this pass: the transfer figures of its groups together. */
  public TransferFigures transfer() {
    return groups.stream().map(GroupReport::transfer)
        .reduce(TransferFigures.NONE, TransferFigures::plus);
  }

  public int blobsUploaded() {
    return transfer().blobsUploaded();
  }

  public int blobsMounted() {
    return transfer().blobsMounted();
  }

  public int blobsSkipped() {
    return transfer().blobsSkipped();
  }

  public long bytesCopied() {
    return transfer().bytesCopied();
  }

  /** Blob bytes not fetched from the source again because an interrupted copy had read them. */
  public long bytesResumed() {
    return transfer().bytesResumed();
  }

  /** Referrer manifests (signatures, SBOMs, attestations) put at the edge. */
  public int referrersCopied() {
    return (int) sum(GroupReport::referrersCopied);
  }

  /** Interrupted blob copies that had to start over, each naming the blob and why. */
  public List<String> restartedUploads() {
    return transfer().restartedUploads();
  }

  private long sum(ToLongFunction<GroupReport> figure) {
    return groups.stream().mapToLong(figure).sum();
  }

  /**
   * The report as one line of JSON. Members, in this order: {@code ok, interrupted, startedAt}
   * (ISO-8601), {@code durationMillis, checkpointSaved, replicated, unchanged, pruned, retained,
   * failed, blobsUploaded, blobsMounted, blobsSkipped, bytesCopied, bytesResumed,
   * restartedUploads} (strings), {@code referrersCopied}, {@code errors} (strings), {@code
   * failures} ({@code group, repository, tag, operation, reason}), {@code retainedTags} ({@code
   * group, repository, tag, digest}), {@code groups} (per group: {@code ref, status,} the counts
   * above, and {@code error}), then {@code resolvedByTag} (a count) and {@code resolvedTags}
   * ({@code group, repository, tag, digest}), then {@code upstreamBytes, upstreamBytesTotal,
   * complete} and {@code deferred} ({@code group, repository, tag, digest, reason}). Members are
   * only ever added.
   */
  public String toJson() {
    JsonWriter json = new JsonWriter().beginObject();
    json.name("ok").value(ok());
    json.name("interrupted").value(interrupted);
    json.name("startedAt").value(startedAt.toString());
    json.name("durationMillis").value(duration.toMillis());
    json.name("checkpointSaved").value(checkpointSaved);
    json.name("replicated").value(replicated());
    json.name("unchanged").value(unchanged());
    json.name("pruned").value(pruned());
    json.name("retained").value(retained());
    json.name("failed").value(failed());
    writeTransfer(json, transfer());
    json.name("referrersCopied").value(referrersCopied());
    json.name("errors").beginArray();
    errors.forEach(json::value);
    json.endArray();
    json.name("failures").beginArray();
    for (Failure failure : failures) {
      json.beginObject();
      json.name("group").value(failure.group());
      json.name("repository").value(failure.repository());
      json.name("tag").value(failure.tag());
      json.name("operation").value(failure.operation().name().toLowerCase(Locale.ROOT));
      json.name("reason").value(failure.reason());
      json.endObject();
    }
    json.endArray();
    json.name("retainedTags").beginArray();
    retainedTags.forEach(tag -> writeGroupEntity(json, tag.group(), tag.entity()));
    json.endArray();
    json.name("groups").beginArray();
    groups.forEach(group -> writeGroup(json, group));
    json.endArray();
    json.name("resolvedByTag").value(resolvedByTag());
    json.name("resolvedTags").beginArray();
    resolvedTags.forEach(tag -> writeGroupEntity(json, tag.group(), tag.entity()));
    json.endArray();
    json.name("upstreamBytes").value(upstreamBytes);
    json.name("upstreamBytesTotal").value(upstreamBytesTotal);
    json.name("complete").value(complete());
    json.name("deferred").beginArray();
    for (Deferral deferral : deferred) {
      json.beginObject();
      json.name("group").value(deferral.group());
      json.name("repository").value(deferral.entity().repository());
      json.name("tag").value(deferral.entity().tag());
      json.name("digest").value(deferral.entity().digest());
      json.name("reason").value(deferral.reason());
      json.endObject();
    }
    json.endArray();
    return json.endObject().toString();
  }

  private static void writeGroupEntity(JsonWriter json, String group, Entity entity) {
    json.beginObject();
    json.name("group").value(group);
    json.name("repository").value(entity.repository());
    json.name("tag").value(entity.tag());
    json.name("digest").value(entity.digest());
    json.endObject();
  }

  private static void writeGroup(JsonWriter json, GroupReport group) {
    json.beginObject();
    json.name("ref").value(group.ref());
    json.name("status").value(group.status().name().toLowerCase(Locale.ROOT));
    json.name("replicated").value(group.replicated());
    json.name("unchanged").value(group.unchanged());
    json.name("pruned").value(group.pruned());
    json.name("retained").value(group.retained());
    json.name("failed").value(group.failed());
    writeTransfer(json, group.transfer());
    json.name("referrersCopied").value(group.referrersCopied());
    json.name("error").value(group.error().orElse(null));
    json.endObject();
  }

  private static void writeTransfer(JsonWriter json, TransferFigures transfer) {
    json.name("blobsUploaded").value(transfer.blobsUploaded());
    json.name("blobsMounted").value(transfer.blobsMounted());
    json.name("blobsSkipped").value(transfer.blobsSkipped());
    json.name("bytesCopied").value(transfer.bytesCopied());
    json.name("bytesResumed").value(transfer.bytesResumed());
    json.name("restartedUploads").beginArray();
    transfer.restartedUploads().forEach(json::value);
    json.endArray();
  }

  @Override
  public String toString() {
    return "SyncReport" + toJson();
  }

  /** Collects what a pass did. */
  public static final class Builder {
    private final Instant startedAt;
    private final Duration duration;
    private boolean interrupted;
    private boolean checkpointSaved;
    private final List<GroupReport> groups = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<RetainedTag> retainedTags = new ArrayList<>();
    private final List<ResolvedTag> resolvedTags = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<Deferral> deferred = new ArrayList<>();
    private long upstreamBytes;
    private long upstreamBytesTotal;

    private Builder(Instant startedAt, Duration duration) {
      this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
      this.duration = Objects.requireNonNull(duration, "duration");
    }

    public Builder interrupted(boolean value) {
      this.interrupted = value;
      return this;
    }

    public Builder checkpointSaved(boolean value) {
      this.checkpointSaved = value;
      return this;
    }

    public Builder groups(List<GroupReport> reports) {
      groups.addAll(reports);
      return this;
    }

    public Builder failures(List<Failure> list) {
      failures.addAll(list);
      return this;
    }

    public Builder retainedTags(List<RetainedTag> list) {
      retainedTags.addAll(list);
      return this;
    }

    public Builder resolvedTags(List<ResolvedTag> list) {
      resolvedTags.addAll(list);
      return this;
    }

    public Builder errors(List<String> list) {
      errors.addAll(list);
      return this;
    }

    public Builder deferred(List<Deferral> list) {
      deferred.addAll(list);
      return this;
    }

    /** Bytes read from the upstream in the pass, and the running total after it. */
    public Builder upstreamBytes(long pass, long total) {
      if (pass < 0 || total < 0) {
        throw new IllegalArgumentException("upstream byte counts cannot be negative");
      }
      this.upstreamBytes = pass;
      this.upstreamBytesTotal = total;
      return this;
    }

    public SyncReport build() {
      return new SyncReport(this);
    }
  }
}
