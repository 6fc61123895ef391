package dev.satellite.persistence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFileTest {
  @TempDir Path directory;

  @Test
  void absentFileReadsEmpty() {
    assertThat(OwnerOnlyFile.at(directory.resolve("secret.json")).read()).isEmpty();
  }

  @Test
  void writtenFileIsOwnerOnlyEvenWhenItReplacesAReadableOne() throws Exception {
    Path path = directory.resolve("secret.json");
    Files.writeString(path, "old");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
    Files.writeString(directory.resolve("secret.json.tmp-0123456789abcdef"), "left by a crash");

    OwnerOnlyFile file = OwnerOnlyFile.at(path);
    file.write("new".getBytes(UTF_8));

    assertThat(file.read()).hasValueSatisfying(bytes -> assertThat(new String(bytes, UTF_8))
        .isEqualTo("new"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-------");
    try (var files = Files.list(directory)) {
      assertThat(files).containsExactly(path);
    }
  }
}
