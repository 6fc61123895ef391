package dev.satellite.registry.internal.copy;

import dev.satellite.registry.Digest;
import dev.satellite.registry.internal.blob.SelfVerifyingStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through unchanged, each read at most {@link BandwidthLimit#burst()} bytes and paid
 * for in the {@link BandwidthLimit} before the next. Since it changes nothing, it verifies whatever
 * the stream it wraps verifies.
 */
final class ThrottledInputStream extends FilterInputStream implements SelfVerifyingStream {
  private final BandwidthLimit limit;

  ThrottledInputStream(InputStream in, BandwidthLimit limit) {
    super(in);
    this.limit = limit;
  }

  /** The stream read through the limit. */
  InputStream unwrapped() {
    return in;
  }

  @Override
  public boolean verifies(Digest digest) {
    return in instanceof SelfVerifyingStream wrapped && wrapped.verifies(digest);
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b != -1) {
      limit.take(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, (int) Math.min(len, limit.burst()));
    if (n > 0) {
      limit.take(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(Math.min(n, limit.burst()));
    if (skipped > 0) {
      limit.take(skipped);
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
