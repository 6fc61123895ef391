package dev.satellite.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.core.StateStoreException;
import dev.satellite.persistence.files.AtomicFileReplacer;
import dev.satellite.persistence.files.SystemFileOps;
import dev.satellite.persistence.internal.Json;
import dev.satellite.persistence.internal.Quarantine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running byte total kept in a small JSON file, e.g. the bytes a satellite has read from its
 * upstream since its state directory was created: {@code {"format": "satellite-byte-total",
 * "version": 1, "since": "<ISO-8601>", "bytes": <n>}}.
 *
 * <p>Each {@link #add} replaces the file atomically (temp file, {@code fsync}, atomic rename,
 * directory {@code fsync}; see {@code AtomicFileReplacer}), so a crash leaves the old or the new
 * total, never a mix. A file that cannot be read as such a total is moved aside (its name gets a
 * {@code .corrupt-<time>} suffix, with a warning naming it) and counting starts again at 0: a lost
 * meter must not stop a satellite. A file missing at {@link #open} starts a new total, its {@code
 * since} the moment of opening. Not a lock: one owner at a time (the satellite's state directory
 * lock guards it). Thread-safe.
 */
public final class AtomicFileByteTotal {
  static final String FORMAT = "satellite-byte-total";
  private static final Logger log = LoggerFactory.getLogger(AtomicFileByteTotal.class);

  private final Path file;
  private final AtomicFileReplacer replacer;
  private final Instant since;
  private long bytes;

  private AtomicFileByteTotal(Path file, Instant since, long bytes) {
    this.file = file;
    this.replacer = new AtomicFileReplacer(file, SystemFileOps.INSTANCE);
    this.since = since;
    this.bytes = bytes;
  }

  /**
   * Opens the total in {@code file}, starting a new one (written at once) when the file is
   * missing or unreadable.
   *
   * @throws StateStoreException when the file cannot be read, moved aside or written
   */
  public static AtomicFileByteTotal open(Path file) {
    return open(file, Clock.systemUTC());
  }

  /** A total as its file holds it. */
  public record Total(long bytes, Instant since) {}

  /**
   * Reads the total in {@code file} without opening it for counting: nothing is written or moved,
   * so a status tool may read it while its owner counts (each write replaces the file atomically).
   *
   * @return empty when there is no such file
   * @throws StateStoreException naming the file when it cannot be read as a total
   */
  public static Optional<Total> read(Path file) {
    try {
      JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
      return Optional.of(new Total(parseBytes(node), parseSince(node)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      throw new StateStoreException("read byte total " + file + ": " + e.getMessage(), e);
    }
  }

  static AtomicFileByteTotal open(Path file, Clock clock) {
    AtomicFileByteTotal total;
    try {
      JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
      total = new AtomicFileByteTotal(file, parseSince(node), parseBytes(node));
      total.replacer.removeStaleTempFiles();
      return total;
    } catch (NoSuchFileException e) {
      total = new AtomicFileByteTotal(file, clock.instant(), 0);
    } catch (IOException | IllegalArgumentException e) {
      Path aside = moveAside(file, clock, e);
      log.warn("byte total {} could not be read ({}); moved to {}, counting again from 0", file,
          e.getMessage(), aside);
      total = new AtomicFileByteTotal(file, clock.instant(), 0);
    }
    total.replacer.removeStaleTempFiles();
    total.write();
    return total;
  }

  /** The total so far. */
  public synchronized long bytes() {
    return bytes;
  }

  /** When this total started (the file was first written). */
  public Instant since() {
    return since;
  }

  /**
   * Adds {@code more} bytes and writes the new total; nothing is written when {@code more} is 0.
   *
   * @return the new total
   * @throws StateStoreException when the file cannot be written; the total in memory keeps the
   *     bytes, so the next add writes them too
   * @throws IllegalArgumentException when {@code more} is negative
   */
  public synchronized long add(long more) {
    if (more < 0) {
      throw new IllegalArgumentException("cannot add a negative byte count: " + more);
    }
    if (more == 0) {
      return bytes;
    }
    bytes += more;
    write();
    return bytes;
  }

  private void write() {
    replacer.replace(out -> {
      try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
        json.writeStartObject();
        json.writeStringField("format", FORMAT);
        json.writeNumberField("version", 1);
        json.writeStringField("since", since.toString());
        json.writeNumberField("bytes", bytes);
        json.writeEndObject();
        json.writeRaw('\n');
      }
    });
  }

  private static Instant parseSince(JsonNode node) {
    if (!FORMAT.equals(node.path("format").asText()) || node.path("version").asInt() != 1) {
      throw new IllegalArgumentException("not a " + FORMAT + " file of version 1");
    }
    try {
      return Instant.parse(node.path("since").asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'since' is not an ISO-8601 instant", e);
    }
  }

  private static long parseBytes(JsonNode node) {
    JsonNode bytes = node.path("bytes");
    if (!bytes.canConvertToExactIntegral() || !bytes.canConvertToLong() || bytes.asLong() < 0) {
      throw new IllegalArgumentException("'bytes' is not a whole number >= 0");
    }
    return bytes.asLong();
  }

  private static Path moveAside(Path file, Clock clock, Exception cause) {
    try {
      return new Quarantine(SystemFileOps.INSTANCE, clock).moveAside(file);
    } catch (IOException e) {
      throw new StateStoreException("byte total " + file + " could not be read ("
          + cause.getMessage() + ") nor moved aside: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "AtomicFileByteTotal[" + file + "]";
  }
}
