package dev.satellite.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a registry's access log (combined log format, one line per answered request, mixed with
 * its other log lines), so tests can count what a client asked a real registry for: blob GETs,
 * manifest GETs, bytes served.
 */
public final class AccessLog {
  private static final Pattern LINE =
      Pattern.compile("^\\S+ - \\S+ \\[[^\\]]+\\] \"([A-Z]+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) (\\d+|-) .*");

  private AccessLog() {}

  /**
   * One answered request.
   *
   * @param path the request target, query included
   * @param bytes body bytes sent back
   */
  public record Entry(String method, String path, int status, long bytes) {
    /** A GET of a blob ({@code /v2/<name>/blobs/<digest>}). */
    public boolean isBlobGet() {
      return method.equals("GET") && path.matches("/v2/.+/blobs/[a-z0-9]+:[a-f0-9]+");
    }

    /** A GET of a manifest ({@code /v2/<name>/manifests/<reference>}). */
    public boolean isManifestGet() {
      return method.equals("GET") && path.matches("/v2/.+/manifests/[^/]+");
    }

    /** Whether the request was for a repository under {@code prefix} (e.g. {@code satellite/}). */
    public boolean inRepositoryUnder(String prefix) {
      return path.startsWith("/v2/" + prefix);
    }
  }

  static List<Entry> read(Path logFile) {
    List<Entry> entries = new ArrayList<>();
    try {
      if (!Files.exists(logFile)) {
        return entries;
      }
      for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
        Matcher m = LINE.matcher(line);
        if (m.matches()) {
          long bytes = m.group(4).equals("-") ? 0 : Long.parseLong(m.group(4));
          entries.add(new Entry(m.group(1), m.group(2), Integer.parseInt(m.group(3)), bytes));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("read access log " + logFile, e);
    }
    return entries;
  }
}
