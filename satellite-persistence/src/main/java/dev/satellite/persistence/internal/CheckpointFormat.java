package dev.satellite.persistence.internal;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/**
 * Names and constants of the checkpoint file format, version 3:
 *
 * <pre>
 * {
 *   "format": "satellite-checkpoint",
 *   "version": 3,
 *   "savedAt": "2026-01-01T00:00:00.000Z",
 *   "configDigest": "sha256:..." | null,
 *   "groups": [
 *     {"ref": "...", "entities": [{"repository": "...", "tag": "...", "digest": "..."}]}
 *   ],
 *   "referrers": [{"image": "repository@sha256:...", "mark": "..."}],
 *   "sha256": "..."
 * }
 * </pre>
 *
 * Members appear in exactly this order, UTF-8 encoded; the file is read and written with {@link
 * Json#MAPPER}'s streaming parser and generator. The file has no trailing newline, so that
 * every truncation loses at least the closing brace.
 *
 * <p><b>The checksum (version 3).</b> {@code sha256} is the lowercase hex SHA-256 of the file's
 * <em>hashed region</em>: every byte from the start of the file (the opening {@code {}) up to and
 * including the {@code ]} that closes {@code referrers}. The region ends there, so it excludes the
 * {@code ,} separator, the whitespace, the {@code sha256} member itself and the closing brace. Any
 * change to a byte of the region is detected, whitespace included: a file re-indented by hand is
 * refused like any other edited file. What follows the region holds no value but the checksum,
 * which is compared itself.
 *
 * <p><b>Older versions, still read.</b> Version 2 has the same members, but its {@code sha256} is
 * the {@link CanonicalHash} of the values, independent of layout. Version 1 is version 2 without
 * {@code referrers} (no image has a referrers mark). Both are verified that way when read, so a
 * satellite upgraded in place keeps its checkpoint; the next save writes version 3.
 */
final class CheckpointFormat {
  static final String FORMAT = "satellite-checkpoint";
  static final int VERSION = 3;
  /** The oldest version still read. */
  static final int OLDEST_VERSION = 1;
  /** The first version whose checksum covers the file's bytes rather than canonical values. */
  static final int BYTE_CHECKSUM_VERSION = 3;

  static final String F_FORMAT = "format";
  static final String F_VERSION = "version";
  static final String F_SAVED_AT = "savedAt";
  static final String F_CONFIG_DIGEST = "configDigest";
  static final String F_GROUPS = "groups";
  static final String F_REF = "ref";
  static final String F_ENTITIES = "entities";
  static final String F_REPOSITORY = "repository";
  static final String F_TAG = "tag";
  static final String F_DIGEST = "digest";
  static final String F_REFERRERS = "referrers";
  static final String F_IMAGE = "image";
  static final String F_MARK = "mark";
  static final String F_SHA256 = "sha256";

  private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");

  /** Two-space indentation, {@code "key": value}, LF line ends on every platform. */
  static DefaultPrettyPrinter prettyPrinter() {
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withArrayEmptySeparator("")
            .withObjectEmptySeparator("");
    return new DefaultPrettyPrinter(separators)
        .withArrayIndenter(INDENT)
        .withObjectIndenter(INDENT);
  }

  private CheckpointFormat() {}
}
