package dev.satellite.registry.internal.copy;

import dev.satellite.core.ReplicationProgress;
import dev.satellite.registry.Digest;
import dev.satellite.registry.internal.blob.SelfVerifyingStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through unchanged, counting them and reporting each read to a progress callback.
 * Since it changes nothing, it verifies whatever the stream it wraps verifies.
 */
final class ProgressInputStream extends FilterInputStream implements SelfVerifyingStream {
  private final ReplicationProgress progress;
  private long count;

  ProgressInputStream(InputStream in, ReplicationProgress progress) {
    super(in);
    this.progress = progress;
  }

  @Override
  public boolean verifies(Digest digest) {
    return in instanceof SelfVerifyingStream wrapped && wrapped.verifies(digest);
  }

  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b != -1) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    if (skipped > 0) {
      advance(skipped);
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void advance(long n) {
    count += n;
    progress.transferred(n);
  }
}
