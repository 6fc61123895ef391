package dev.satellite.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link Replicator#replicate} call took. Made with {@link #builder()}: figures are added
 * as the copy goes, and later versions may add figures without breaking callers.
 */
public final class ReplicationResult {
  /** The edge already had the manifest under that tag; nothing was copied. */
  public static final ReplicationResult ALREADY_PRESENT = builder().alreadyPresent().build();

  private final boolean alreadyPresent;
  private final int blobsUploaded;
  private final int blobsMounted;
  private final int blobsSkipped;
  private final long bytesCopied;
  private final int manifestsPushed;
  private final long bytesResumed;
  private final List<String> restartedUploads;

  private ReplicationResult(Builder builder) {
    this.alreadyPresent = builder.alreadyPresent;
    this.blobsUploaded = builder.blobsUploaded;
    this.blobsMounted = builder.blobsMounted;
    this.blobsSkipped = builder.blobsSkipped;
    this.bytesCopied = builder.bytesCopied;
    this.manifestsPushed = builder.manifestsPushed;
    this.bytesResumed = builder.bytesResumed;
    this.restartedUploads = List.copyOf(builder.restartedUploads);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The edge already had the manifest under that tag; nothing was copied. */
  public boolean alreadyPresent() {
    return alreadyPresent;
  }

  /** Blobs streamed from the source to the edge. */
  public int blobsUploaded() {
    return blobsUploaded;
  }

  /** Blobs mounted from another repository of the edge. */
  public int blobsMounted() {
    return blobsMounted;
  }

  /** Blobs the edge already had. */
  public int blobsSkipped() {
    return blobsSkipped;
  }

  /** Blob bytes streamed from the source to the edge by this copy, in total. */
  public long bytesCopied() {
    return bytesCopied;
  }

  /** Manifests (the image, and for an index its children) pushed to the edge. */
  public int manifestsPushed() {
    return manifestsPushed;
  }

  /**
   * Blob bytes not fetched from the source again because an earlier, interrupted copy had already
   * read them (see {@link UploadJournal}).
   */
  public long bytesResumed() {
    return bytesResumed;
  }

  /**
   * One line per blob whose interrupted copy could not be continued where it stopped and was
   * started over, naming the blob and why.
   */
  public List<String> restartedUploads() {
    return restartedUploads;
  }

  @Override
  public String toString() {
    return "ReplicationResult[alreadyPresent=" + alreadyPresent + ", blobsUploaded="
        + blobsUploaded + ", blobsMounted=" + blobsMounted + ", blobsSkipped=" + blobsSkipped
        + ", bytesCopied=" + bytesCopied + ", manifestsPushed=" + manifestsPushed
        + ", bytesResumed=" + bytesResumed + ", restartedUploads=" + restartedUploads + "]";
  }

  /** Collects the figures of one copy; every figure starts at zero. */
  public static final class Builder {
    private boolean alreadyPresent;
    private int blobsUploaded;
    private int blobsMounted;
    private int blobsSkipped;
    private long bytesCopied;
    private int manifestsPushed;
    private long bytesResumed;
    private final List<String> restartedUploads = new ArrayList<>();

    private Builder() {}

    public Builder alreadyPresent() {
      this.alreadyPresent = true;
      return this;
    }

    public Builder blobsUploaded(int blobs) {
      this.blobsUploaded = count("blobsUploaded", blobs);
      return this;
    }

    public Builder blobsMounted(int blobs) {
      this.blobsMounted = count("blobsMounted", blobs);
      return this;
    }

    public Builder blobsSkipped(int blobs) {
      this.blobsSkipped = count("blobsSkipped", blobs);
      return this;
    }

    public Builder bytesCopied(long bytes) {
      this.bytesCopied = count("bytesCopied", bytes);
      return this;
    }

    public Builder manifestsPushed(int manifests) {
      this.manifestsPushed = count("manifestsPushed", manifests);
      return this;
    }

    public Builder bytesResumed(long bytes) {
      this.bytesResumed = count("bytesResumed", bytes);
      return this;
    }

    public Builder restartedUploads(List<String> lines) {
      restartedUploads.addAll(lines);
      return this;
    }

    public ReplicationResult build() {
      return new ReplicationResult(this);
    }

    private static <N extends Number> N count(String name, N value) {
      if (value.longValue() < 0) {
        throw new IllegalArgumentException(name + " cannot be negative: " + value);
      }
      return value;
    }
  }
}
