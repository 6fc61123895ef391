package dev.satellite.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.StateStore;
import dev.satellite.testing.StateStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFileStateStore} keeps every promise of a {@code StateStore}. */
class AtomicFileStateStoreConformanceTest extends StateStoreContract {
  @TempDir Path dir;
  private final FaultInjectingFileOps ops = new FaultInjectingFileOps();

  private Path file() {
    return dir.resolve("checkpoint.json");
  }

  @Override
  protected StateStore openStore() {
    return AtomicFileStateStore.open(file(), ops, Clock.systemUTC());
  }

  @Override
  protected Exclusivity exclusivity() {
    return Exclusivity.SECOND_OPEN_REFUSED;
  }

  /** One hex digit of a digest changed: still JSON, still a digest, caught by the checksum. */
  @Override
  protected void damage() {
    try {
      String json = Files.readString(file());
      int at = json.indexOf("sha256:") + "sha256:".length();
      char flipped = json.charAt(at) == '0' ? '1' : '0';
      Files.writeString(file(), json.substring(0, at) + flipped + json.substring(at + 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void assertBadCopyKept() {
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("checkpoint.json.corrupt-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The disk fills up: a write stops half way. */
  @Override
  protected Outage outage() {
    return new Outage() {
      @Override
      public void begin() {
        ops.failAt(FaultInjectingFileOps.Step.WRITE, () -> new IOException("No space left on device"));
      }

      @Override
      public void end() {
        ops.heal();
      }
    };
  }
}
