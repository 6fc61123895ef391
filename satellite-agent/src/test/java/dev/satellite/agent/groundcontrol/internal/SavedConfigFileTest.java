package dev.satellite.agent.groundcontrol.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.SatelliteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applied config, kept for a start without Harbor: exact bytes, owner only, checksummed. */
class SavedConfigFileTest {
  private static final String DIGEST = "sha256:" + "c".repeat(64);
  private static final byte[] BODY = ("{\"app_config\": {\"local_registry\": {\"url\":"
      + " \"http://127.0.0.1:5000\", \"password\": \"edge-Secret\"}}}").getBytes(UTF_8);

  @TempDir Path directory;
  private SavedConfigFile file;

  @BeforeEach
  void open() {
    file = new SavedConfigFile(directory,
        Clock.fixed(Instant.parse("2026-12-01T21:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void keepsTheBodyByteForByteWithItsDigestOwnerOnly() throws Exception {
    file.save(DIGEST, BODY);

    SavedConfigFile.Saved saved = file.load().orElseThrow();
    assertThat(saved.body()).isEqualTo(BODY);
    assertThat(saved.digest()).isEqualTo(DIGEST);
    assertThat(saved.savedAt()).isEqualTo(Instant.parse("2026-12-01T21:00:00Z"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())))
        .isEqualTo("rw-------");
  }

  @Test
  void nothingSavedIsEmpty() {
    assertThat(file.load()).isEmpty();
  }

  @Test
  void aChangedCharacterIsCaughtAndNamed() throws Exception {
    file.save(DIGEST, BODY);
    Files.writeString(file.path(), Files.readString(file.path()).replace("cccc", "cccd"));

    assertThatThrownBy(file::load).isInstanceOf(SatelliteException.class)
        .hasMessageContaining(file.path().toString())
        .hasMessageContaining("checksum does not match");
  }

  @Test
  void aTruncatedFileIsCaught() throws Exception {
    file.save(DIGEST, BODY);
    byte[] bytes = Files.readAllBytes(file.path());
    Files.write(file.path(), java.util.Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(file::load).hasMessageContaining("not valid JSON");
  }
}
