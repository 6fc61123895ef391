package dev.satellite.persistence.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Rethrows failures of the underlying stream as {@link UncheckedIOException}, so that a reader can
 * tell a failing disk (an I/O error) from undecodable bytes (a corrupt file): the JSON parser
 * reports both as {@link IOException}.
 */
final class FailureMarkingInputStream extends FilterInputStream {
  FailureMarkingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() {
    try {
      return super.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    try {
      return super.read(buffer, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      super.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
