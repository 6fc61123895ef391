package dev.satellite.persistence;

import dev.satellite.core.StateStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child JVM of the crash and lock tests. Protocol on stdout, one line each:
 *
 * <ul>
 *   <li>{@code save-loop <file> <firstId>}: opens the store, prints {@code open}, then forever
 *       prints {@code before <id>}, saves {@link TestCheckpoints#numbered(long) numbered(id)},
 *       prints {@code after <id>}, with id counting up from firstId. Ends only when killed.
 *   <li>{@code hold-lock <file>}: opens the store and prints {@code locked} (or {@code refused
 *       <message>} and exits with status 3), then holds the lock until stdin closes.
 * </ul>
 */
public final class ChildStoreMain {
  private ChildStoreMain() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = System.out;
    Path file = Path.of(args[1]);
    switch (args[0]) {
      case "save-loop" -> saveLoop(out, file, Long.parseLong(args[2]));
      case "hold-lock" -> holdLock(out, file, System.in);
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void saveLoop(PrintStream out, Path file, long firstId) {
    try (AtomicFileStateStore store = AtomicFileStateStore.open(file)) {
      line(out, "open");
      for (long id = firstId; ; id++) {
        line(out, "before " + id);
        store.save(TestCheckpoints.numbered(id));
        line(out, "after " + id);
      }
    }
  }

  private static void holdLock(PrintStream out, Path file, InputStream in) throws IOException {
    AtomicFileStateStore store;
    try {
      store = AtomicFileStateStore.open(file);
    } catch (StateStoreException e) {
      line(out, "refused " + e.getMessage());
      System.exit(3);
      return;
    }
    try (store) {
      line(out, "locked");
      while (in.read() != -1) {
        // Hold the lock until the parent closes our stdin.
      }
    }
  }

  private static void line(PrintStream out, String text) {
    out.println(text);
    out.flush();
  }
}
