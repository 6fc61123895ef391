package dev.satellite.registry;

import dev.satellite.core.SatelliteException;

/**
 * Content did not hash to the digest it was requested or announced by. Nothing built on that
 * content was committed.
 */
public class DigestMismatchException extends SatelliteException {
  private static final long serialVersionUID = 1L;

  private final Digest expected;
  private final Digest actual;

  /**
   * @param what the content and where it came from ({@code GET blob repo@sha256:.. at host})
   */
  public DigestMismatchException(String what, Digest expected, Digest actual) {
    super(what + ": digest mismatch: expected " + expected + " but content hashes to " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  public Digest expected() {
    return expected;
  }

  public Digest actual() {
    return actual;
  }
}
