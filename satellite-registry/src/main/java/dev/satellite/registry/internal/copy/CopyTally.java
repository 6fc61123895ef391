package dev.satellite.registry.internal.copy;

import dev.satellite.core.ReplicationResult;
import dev.satellite.core.TransferFigures;
import dev.satellite.registry.CopyResult;
import dev.satellite.registry.Digest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Counts what a copy does, from several blob threads at once. */
final class CopyTally {
  private static final TransferFigures ONE_UPLOADED = TransferFigures.NONE.withBlobsUploaded(1);
  private static final TransferFigures ONE_MOUNTED = TransferFigures.NONE.withBlobsMounted(1);
  private static final TransferFigures ONE_SKIPPED = TransferFigures.NONE.withBlobsSkipped(1);

  final AtomicInteger manifestsPushed = new AtomicInteger();
  final AtomicInteger manifestsSkipped = new AtomicInteger();
  private final AtomicReference<TransferFigures> transfer =
      new AtomicReference<>(TransferFigures.NONE);

  void blobUploaded() {
    add(ONE_UPLOADED);
  }

  void blobMounted() {
    add(ONE_MOUNTED);
  }

  void blobSkipped() {
    add(ONE_SKIPPED);
  }

  void bytesCopied(long bytes) {
    add(TransferFigures.NONE.withBytesCopied(bytes));
  }

  /** A resumable transfer saved {@code bytes}, and had to start parts over for {@code reasons}. */
  void resumed(long bytes, List<String> reasons) {
    add(TransferFigures.NONE.withBytesResumed(bytes).withRestartedUploads(reasons));
  }

  private void add(TransferFigures figures) {
    transfer.accumulateAndGet(figures, TransferFigures::plus);
  }

  CopyResult result(Digest digest) {
    return CopyResult.of(digest, manifestsSkipped.get(), ReplicationResult.builder()
        .transfer(transfer.get())
        .manifestsPushed(manifestsPushed.get())
        .build());
  }
}
