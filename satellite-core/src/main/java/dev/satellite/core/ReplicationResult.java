package dev.satellite.core;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link Replicator#replicate} call took. Made with {@link #builder()}: figures are added
 * as the copy goes, and later versions may add figures without breaking callers.
 */
public final class ReplicationResult {
  /** The edge already had the manifest under that tag; nothing was copied. */
  public static final ReplicationResult ALREADY_PRESENT = builder().alreadyPresent().build();

  private final boolean alreadyPresent;
  private final TransferFigures transfer;
  private final int manifestsPushed;

  private ReplicationResult(Builder builder) {
    this.alreadyPresent = builder.alreadyPresent;
    this.transfer = builder.transfer;
    this.manifestsPushed = builder.manifestsPushed;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The edge already had the manifest under that tag; nothing was copied. */
  public boolean alreadyPresent() {
    return alreadyPresent;
  }

  /** What moving the blobs took. */
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

  /** Blob bytes streamed from the source to the edge by this copy, in total. */
  public long bytesCopied() {
    return transfer.bytesCopied();
  }

  /** Manifests (the image, and for an index its children) pushed to the edge. */
  public int manifestsPushed() {
    return manifestsPushed;
  }

  /** See {@link TransferFigures#bytesResumed()}. */
  public long bytesResumed() {
    return transfer.bytesResumed();
  }

  /** See {@link TransferFigures#restartedUploads()}. */
  public List<String> restartedUploads() {
    return transfer.restartedUploads();
  }

  @Override
  public String toString() {
    return "ReplicationResult[alreadyPresent=" + alreadyPresent + ", manifestsPushed="
        + manifestsPushed + ", " + transfer + "]";
  }

  /** Collects the figures of one copy; every figure starts at zero. */
  public static final class Builder {
    private boolean alreadyPresent;
    private TransferFigures transfer = TransferFigures.NONE;
    private int manifestsPushed;

    private Builder() {}

    public Builder alreadyPresent() {
      this.alreadyPresent = true;
      return this;
    }

    /** Sets every transfer figure at once. */
    public Builder transfer(TransferFigures figures) {
      this.transfer = Objects.requireNonNull(figures, "figures");
      return this;
    }

    public Builder blobsUploaded(int blobs) {
      transfer = transfer.withBlobsUploaded(blobs);
      return this;
    }

    public Builder blobsMounted(int blobs) {
      transfer = transfer.withBlobsMounted(blobs);
      return this;
    }

    public Builder blobsSkipped(int blobs) {
      transfer = transfer.withBlobsSkipped(blobs);
      return this;
    }

    public Builder bytesCopied(long bytes) {
      transfer = transfer.withBytesCopied(bytes);
      return this;
    }

    public Builder manifestsPushed(int manifests) {
      if (manifests < 0) {
        throw new IllegalArgumentException("manifestsPushed cannot be negative: " + manifests);
      }
      this.manifestsPushed = manifests;
      return this;
    }

    public Builder bytesResumed(long bytes) {
      transfer = transfer.withBytesResumed(bytes);
      return this;
    }

    public Builder restartedUploads(List<String> lines) {
      transfer = transfer.withRestartedUploads(lines);
      return this;
    }

    public ReplicationResult build() {
      return new ReplicationResult(this);
    }
  }
}
