package dev.satellite.registry.internal.blob;

import dev.satellite.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A one-shot request body of exactly {@code length} bytes read from a stream and hashed on the way
 * (unless {@code hasher} is null: the stream then checks its digest itself). Before the last piece
 * is written, {@code beforeLastWrite} runs (the digest check): if it throws, the server never
 * receives a complete body, so nothing is committed.
 */
final class StreamedBody extends RequestBody {
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private static final int BUFFER = 64 * 1024;

  private final InputStream in;
  private final long length;
  private final MessageDigest hasher;
  private final Runnable beforeLastWrite;
  private final String action;

  StreamedBody(
      InputStream in, long length, MessageDigest hasher, Runnable beforeLastWrite, String action) {
    this.action = action;
    this.in = in;
    this.length = length;
    this.hasher = hasher;
    this.beforeLastWrite = beforeLastWrite;
  }

  @Override
  public MediaType contentType() {
    return OCTET_STREAM;
  }

  @Override
  public long contentLength() {
    return length;
  }

  @Override
  public boolean isOneShot() {
    return true;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long remaining = length;
    if (remaining == 0) {
      beforeLastWrite.run();
    }
    while (remaining > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        throw new RegistryException(
            action,
            "content ended after " + (length - remaining) + " of " + length + " bytes",
            null);
      }
      if (hasher != null) {
        hasher.update(buffer, 0, n);
      }
      remaining -= n;
      if (remaining == 0) {
        beforeLastWrite.run();
      }
      sink.write(buffer, 0, n);
    }
  }
}
