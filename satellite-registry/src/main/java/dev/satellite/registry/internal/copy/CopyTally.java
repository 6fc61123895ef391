package dev.satellite.registry.internal.copy;

import dev.satellite.core.ReplicationResult;
import dev.satellite.registry.CopyResult;
import dev.satellite.registry.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what a copy does, from several blob threads at once. */
final class CopyTally {
  final AtomicInteger blobsUploaded = new AtomicInteger();
  final AtomicInteger blobsMounted = new AtomicInteger();
  final AtomicInteger blobsSkipped = new AtomicInteger();
  final AtomicLong bytesCopied = new AtomicLong();
  final AtomicInteger manifestsPushed = new AtomicInteger();
  final AtomicInteger manifestsSkipped = new AtomicInteger();
  private final AtomicLong bytesResumed = new AtomicLong();
  private final List<String> restartedUploads = new ArrayList<>();

  /** A resumable transfer saved {@code bytes}, and had to start parts over for {@code reasons}. */
  void resumed(long bytes, List<String> reasons) {
    bytesResumed.addAndGet(bytes);
    synchronized (restartedUploads) {
      restartedUploads.addAll(reasons);
    }
  }

  CopyResult result(Digest digest) {
    return CopyResult.of(digest, manifestsSkipped.get(), ReplicationResult.builder()
        .blobsUploaded(blobsUploaded.get())
        .blobsMounted(blobsMounted.get())
        .blobsSkipped(blobsSkipped.get())
        .bytesCopied(bytesCopied.get())
        .manifestsPushed(manifestsPushed.get())
        .bytesResumed(bytesResumed.get())
        .restartedUploads(restartedUploadsSoFar())
        .build());
  }

  private List<String> restartedUploadsSoFar() {
    synchronized (restartedUploads) {
      return List.copyOf(restartedUploads);
    }
  }
}
