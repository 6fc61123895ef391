package dev.satellite.registry.internal.copy;

import dev.satellite.registry.Digest;
import dev.satellite.registry.DigestMismatchException;
import dev.satellite.registry.internal.Hashing;
import dev.satellite.registry.internal.blob.SelfVerifyingStream;
import dev.satellite.registry.internal.blob.VerifyingBlobStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * The content of one blob for an upload that may continue an interrupted copy: from byte {@code
 * start}, the bytes the spool file holds, then the rest from the source, each appended to the spool
 * before it is handed on (so the spool always holds at least what was sent).
 *
 * <p>The bytes before {@code start} are read from the spool and hashed only (the destination has
 * them already); every later byte is hashed as it passes, and the source stream takes the hash over
 * where the spool ends. The end of this stream therefore checks the whole blob against its digest,
 * whichever part came from where: a spool holding wrong bytes ends in a {@link
 * DigestMismatchException}, never in a committed blob.
 */
final class SpooledSource extends InputStream implements SelfVerifyingStream {

  /** Opens the source from {@code offset}, continuing {@code prefixHash}. */
  @FunctionalInterface
  interface SourceOpener {
    InputStream open(long offset, MessageDigest prefixHash);
  }

  private final FileChannel spool;
  private final Digest digest;
  private final long size;
  private final long spooled;
  private final MessageDigest hasher;
  private final SourceOpener opener;
  private long position;
  private InputStream source;
  private long appended;
  private boolean checked;
  private DigestMismatchException mismatch;

  private SpooledSource(
      FileChannel spool, Digest digest, long size, long spooled, SourceOpener opener) {
    this.spool = spool;
    this.digest = digest;
    this.size = size;
    this.spooled = spooled;
    this.hasher = Hashing.newMessageDigest(digest.algorithm());
    this.opener = opener;
  }

  /**
   * Opens the spool (created when missing; bytes past {@code size} are cut off) and hashes its
   * first {@code start} bytes.
   *
   * @throws IOException when the spool cannot be opened or read
   * @throws IllegalArgumentException when the spool holds fewer than {@code start} bytes
   */
  static SpooledSource open(
      Path spoolFile, Digest digest, long size, long start, SourceOpener opener)
      throws IOException {
    FileChannel channel =
        FileChannel.open(spoolFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    try {
      if (channel.size() > size) {
        channel.truncate(size);
      }
      SpooledSource source = new SpooledSource(channel, digest, size, channel.size(), opener);
      if (start > source.spooled) {
        throw new IllegalArgumentException("the spool of " + digest + " holds " + source.spooled
            + " bytes, fewer than the " + start + " to continue from");
      }
      source.hashPrefix(start);
      return source;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Bytes the spool held when opened (bytes this copy need not fetch from the source). */
  long spooled() {
    return spooled;
  }

  /**
   * Bytes fetched from the source so far, including any it sent again because it ignored the
   * range.
   */
  long fetchedFromSource() {
    return appended + (sourceIgnoredRange() ? spooled : 0);
  }

  /** Whether the source was asked for a range and sent the whole blob instead. */
  boolean sourceIgnoredRange() {
    InputStream opened =
        source instanceof ThrottledInputStream throttled ? throttled.unwrapped() : source;
    return opened instanceof VerifyingBlobStream stream && stream.rangeIgnored();
  }

  @Override
  public boolean verifies(Digest candidate) {
    return digest.equals(candidate);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (position < spooled) {
      int n = spool.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length,
          spooled - position)), position);
      if (n <= 0) {
        throw new IOException("spool " + digest + " ended early at byte " + position);
      }
      hasher.update(buffer, offset, n);
      position += n;
      return n;
    }
    if (source == null && position == size) {
      verifySpoolAlone();
      return -1;
    }
    if (source == null) {
      source = opener.open(position, hasher);
    }
    int n = source.read(buffer, offset, length);
    if (n > 0) {
      append(buffer, offset, n);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    try {
      if (source != null) {
        source.close();
      }
    } finally {
      spool.close();
    }
  }

  private void hashPrefix(long start) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    while (position < start) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), start - position));
      int n = spool.read(buffer, position);
      if (n <= 0) {
        throw new IOException("spool " + digest + " ended early at byte " + position);
      }
      hasher.update(buffer.array(), 0, n);
      position += n;
    }
  }

  private void append(byte[] buffer, int offset, int n) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(buffer, offset, n);
    while (bytes.hasRemaining()) {
      spool.write(bytes, position + (n - bytes.remaining()));
    }
    position += n;
    appended += n;
  }

  /** The whole blob came from the spool: check its digest here (once; a mismatch repeats). */
  private void verifySpoolAlone() {
    if (!checked) {
      checked = true;
      Digest actual = new Digest(digest.algorithm(), Hashing.hex(hasher));
      if (!actual.equals(digest)) {
        mismatch = new DigestMismatchException("read blob " + digest + " from its spool", digest,
            actual);
      }
    }
    if (mismatch != null) {
      throw mismatch;
    }
  }
}
