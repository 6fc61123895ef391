package dev.satellite.persistence.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A buffered {@link OutputStream} that writes through {@link FileOps#write}. Does not close. */
final class ChannelOutputStream extends OutputStream {
  private static final int BUFFER_SIZE = 64 * 1024;

  private final FileOps ops;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);

  ChannelOutputStream(FileOps ops, FileChannel channel) {
    this.ops = ops;
    this.channel = channel;
  }

  @Override
  public void write(int b) throws IOException {
    if (!buffer.hasRemaining()) {
      flush();
    }
    buffer.put((byte) b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int done = 0;
    while (done < length) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      int chunk = Math.min(buffer.remaining(), length - done);
      buffer.put(bytes, offset + done, chunk);
      done += chunk;
    }
  }

  @Override
  public void flush() throws IOException {
    buffer.flip();
    try {
      if (buffer.hasRemaining()) {
        ops.write(channel, buffer);
      }
    } finally {
      buffer.clear();
    }
  }
}
