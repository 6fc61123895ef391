package dev.satellite.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.io.TempDir;

class RegistryAvailabilityTest {
  @TempDir Path tmp;

  @Test
  void runsWhenBothProgramsAreOnPath() throws IOException {
    Path bin = directoryWith("bin", "docker-registry", "htpasswd");

    ConditionEvaluationResult result = RegistryAvailability.evaluate(bin.toString(), false);

    assertThat(result.isDisabled()).isFalse();
  }

  @Test
  void skipsNamingTheMissingProgramAndItsPackage() throws IOException {
    Path first = directoryWith("first", "htpasswd");
    Path second = directoryWith("second", "docker-registry-not-quite");

    ConditionEvaluationResult result =
        RegistryAvailability.evaluate(first + File.pathSeparator + second, false);

    assertThat(result.isDisabled()).isTrue();
    assertThat(result.getReason())
        .hasValue(
            "real-registry integration tests skipped: docker-registry not found on PATH"
                + " (apt-get install docker-registry;"
                + " -Dsatellite.requireRegistry=true makes this a failure)");
  }

  @Test
  void skipsNamingBothWhenNeitherIsOnPath() throws IOException {
    Path empty = directoryWith("empty");

    ConditionEvaluationResult result = RegistryAvailability.evaluate(empty.toString(), false);

    assertThat(result.getReason().orElseThrow())
        .contains("docker-registry and htpasswd not found on PATH")
        .contains("apt-get install docker-registry apache2-utils");
  }

  @Test
  void aFileThatIsNotExecutableDoesNotCount() throws IOException {
    Path bin = directoryWith("bin", "docker-registry", "htpasswd");
    Files.setPosixFilePermissions(
        bin.resolve("htpasswd"), PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(RegistryAvailability.evaluate(bin.toString(), false).isDisabled()).isTrue();
  }

  @Test
  void requiredRegistryRunsTheTestsEvenWhenProgramsAreMissing() throws IOException {
    Path empty = directoryWith("empty");

    ConditionEvaluationResult result = RegistryAvailability.evaluate(empty.toString(), true);

    assertThat(result.isDisabled()).isFalse();
    assertThat(result.getReason().orElseThrow()).contains("satellite.requireRegistry=true");
  }

  @Test
  void missingProgramFailsNamingTheDebianPackageToInstall() {
    Executables.Program absent =
        new Executables.Program("no-such-registry-binary", "docker-registry");

    assertThatThrownBy(() -> Executables.find(absent))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'no-such-registry-binary' was not found on PATH")
        .hasMessageContaining("install the Debian package 'docker-registry'");
  }

  private Path directoryWith(String name, String... programs) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String program : programs) {
      Path file = Files.writeString(dir.resolve(program), "#!/bin/sh\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return dir;
  }
}
