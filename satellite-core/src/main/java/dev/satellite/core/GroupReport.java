package dev.satellite.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one pass did for one group. Counts are entities (one per tag) unless named blobs or bytes.
 * Made by the reconciler with {@link #builder}; later versions may add figures without breaking
 * callers.
 */
public final class GroupReport {
  /** How a group's part of the pass ended. */
  public enum Status {
    /** The group state was read and every entity was worked on (some may have failed). */
    SYNCED,
    /** The group state could not be read: its checkpoint entries were kept and nothing pruned. */
    FETCH_FAILED,
    /** The group is no longer in the satellite state: its entities were pruned. */
    REMOVED,
    /** The pass was interrupted before the group's work was done. */
    INTERRUPTED
  }

  private final String ref;
  private final Status status;
  private final int replicated;
  private final int unchanged;
  private final int pruned;
  private final int retained;
  private final int failed;
  private final TransferFigures transfer;
  private final int referrersCopied;
  private final Optional<String> error;

  private GroupReport(Builder builder) {
    this.ref = builder.ref;
    this.status = builder.status;
    this.replicated = builder.replicated;
    this.unchanged = builder.unchanged;
    this.pruned = builder.pruned;
    this.retained = builder.retained;
    this.failed = builder.failed;
    this.transfer = builder.transfer;
    this.referrersCopied = builder.referrersCopied;
    this.error = Optional.ofNullable(builder.error);
  }

  /** A report of group {@code ref} that ended with {@code status}; every count starts at zero. */
  public static Builder builder(String ref, Status status) {
    return new Builder(ref, status);
  }

  /**
   * The group state reference, as listed in the satellite state (or, for a removed group, as
   * recorded in the checkpoint).
   */
  public String ref() {
    return ref;
  }

  /** How the group's part of the pass ended. */
  public Status status() {
    return status;
  }

  /** Entities copied to the edge. */
  public int replicated() {
    return replicated;
  }

  /** Desired entities already in place (per the checkpoint, or found at the edge). */
  public int unchanged() {
    return unchanged;
  }

  /** Entities no longer desired that were removed from the edge. */
  public int pruned() {
    return pruned;
  }

  /**
   * Tags no longer desired that were left in place because their manifest is still desired
   * under another tag and the registry cannot delete a tag alone (a warning).
   */
  public int retained() {
    return retained;
  }

  /** Entities that failed: copy, invalid entry, or prune; listed in the report. */
  public int failed() {
    return failed;
  }

  /** What moving the group's blobs took: the transfer figures of its copies together. */
  public TransferFigures transfer() {
    return transfer;
  }

  /** Blobs streamed from the source to the edge. */
  public int blobsUploaded() {
    return transfer.blobsUploaded();
  }

  /** Blobs mounted from another repository of the edge. */
  public int blobsMounted() {
    return transfer.blobsMounted();
  }

  /** Blobs the edge already had. */
  public int blobsSkipped() {
    return transfer.blobsSkipped();
  }

  /** Blob bytes streamed to the edge, in total for the group. */
  public long bytesCopied() {
    return transfer.bytesCopied();
  }

  /** Blob bytes not fetched again because an interrupted copy had read them. */
  public long bytesResumed() {
    return transfer.bytesResumed();
  }

  /** Interrupted blob copies that had to start over, each naming the blob and why. */
  public List<String> restartedUploads() {
    return transfer.restartedUploads();
  }

  /** Referrer manifests (signatures, SBOMs, attestations, their referrers) put at the edge. */
  public int referrersCopied() {
    return referrersCopied;
  }

  /** Why the group state could not be read, when {@code status} is {@link Status#FETCH_FAILED}. */
  public Optional<String> error() {
    return error;
  }

  @Override
  public String toString() {
    return "GroupReport[ref=" + ref + ", status=" + status + ", replicated=" + replicated
        + ", unchanged=" + unchanged + ", pruned=" + pruned + ", retained=" + retained
        + ", failed=" + failed + ", " + transfer + ", referrersCopied=" + referrersCopied
        + ", error=" + error + "]";
  }

  /** Collects the figures of one group's part of a pass. */
  public static final class Builder {
    private final String ref;
    private final Status status;
    private int replicated;
    private int unchanged;
    private int pruned;
    private int retained;
    private int failed;
    private TransferFigures transfer = TransferFigures.NONE;
    private int referrersCopied;
    private String error;

    private Builder(String ref, Status status) {
      this.ref = Objects.requireNonNull(ref, "ref");
      this.status = Objects.requireNonNull(status, "status");
    }

    public Builder replicated(int value) {
      this.replicated = count("replicated", value);
      return this;
    }

    public Builder unchanged(int value) {
      this.unchanged = count("unchanged", value);
      return this;
    }

    public Builder pruned(int value) {
      this.pruned = count("pruned", value);
      return this;
    }

    public Builder retained(int value) {
      this.retained = count("retained", value);
      return this;
    }

    public Builder failed(int value) {
      this.failed = count("failed", value);
      return this;
    }

    /** Sets every transfer figure at once. */
    public Builder transfer(TransferFigures figures) {
      this.transfer = Objects.requireNonNull(figures, "figures");
      return this;
    }

    public Builder blobsUploaded(int value) {
      transfer = transfer.withBlobsUploaded(value);
      return this;
    }

    public Builder blobsMounted(int value) {
      transfer = transfer.withBlobsMounted(value);
      return this;
    }

    public Builder blobsSkipped(int value) {
      transfer = transfer.withBlobsSkipped(value);
      return this;
    }

    public Builder bytesCopied(long value) {
      transfer = transfer.withBytesCopied(value);
      return this;
    }

    public Builder bytesResumed(long value) {
      transfer = transfer.withBytesResumed(value);
      return this;
    }

    public Builder restartedUploads(List<String> lines) {
      transfer = transfer.withRestartedUploads(lines);
      return this;
    }

    public Builder referrersCopied(int value) {
      this.referrersCopied = count("referrersCopied", value);
      return this;
    }

    public Builder error(String reason) {
      this.error = reason;
      return this;
    }

    public GroupReport build() {
      return new GroupReport(this);
    }

    private <N extends Number> N count(String name, N value) {
      if (value.longValue() < 0) {
        throw new IllegalArgumentException(
            "group report " + ref + ": " + name + " cannot be negative: " + value);
      }
      return value;
    }
  }
}
