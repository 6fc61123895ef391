package dev.satellite.registry.internal.copy;

import dev.satellite.registry.CopyResult;
import dev.satellite.registry.Digest;
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

  CopyResult result(Digest digest) {
    return new CopyResult(
        digest,
        false,
        blobsUploaded.get(),
        blobsMounted.get(),
        blobsSkipped.get(),
        bytesCopied.get(),
        manifestsPushed.get(),
        manifestsSkipped.get());
  }
}
