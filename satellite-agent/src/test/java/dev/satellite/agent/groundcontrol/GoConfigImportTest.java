package dev.satellite.agent.groundcontrol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.groundcontrol.internal.RegistrationFile;
import dev.satellite.agent.groundcontrol.internal.SavedConfigFile;
import dev.satellite.core.SatelliteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Go satellite's config.json moved into a state directory: registration and config. */
class GoConfigImportTest {
  private static final String GO_CONFIG = """
      {"state_config": {"auth": {"url": "https://harbor.example.com",
                                 "username": "robot$satellite-edge-7",
                                 "password": "Robot-Secret-1"},
                        "state": "harbor.example.com/satellite/satellite-state/edge-7/state:latest"},
       "app_config": {"ground_control_url": "https://gc.example.com", "log_level": "info",
                      "use_unsecure": false, "local_registry": {"url": "http://127.0.0.1:8585"}},
       "zot_config": {"storage": {"rootDirectory": "./zot"}}}
      """;

  @TempDir Path temp;

  private Path goConfig(String json) throws Exception {
    Path file = temp.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void writesTheRegistrationAndTheConfigWithoutItsCredentials() throws Exception {
    Path state = temp.resolve("state");

    GoConfigImport.Result result = GoConfigImport.importInto(goConfig(GO_CONFIG), null, state);

    assertThat(result.satelliteName()).isEqualTo("edge-7");
    RegistrationFile.Saved saved =
        new RegistrationFile(state, Clock.systemUTC()).load().orElseThrow();
    assertThat(saved.groundControl()).isEqualTo("https://gc.example.com");
    assertThat(saved.registration()).isEqualTo(new Registration(
        "harbor.example.com/satellite/satellite-state/edge-7/state:latest",
        "https://harbor.example.com", "robot$satellite-edge-7", "Robot-Secret-1"));
    SavedConfigFile.Saved config = new SavedConfigFile(state, Clock.systemUTC()).load()
        .orElseThrow();
    assertThat(new String(config.body(), UTF_8)).contains("\"app_config\"", "zot_config")
        .doesNotContain("state_config", "Robot-Secret-1");
    assertThat(config.digest()).startsWith("sha256:");
    for (Path written : new Path[] {result.registrationFile(), result.configFile()}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void theGroundControlGivenIsRecordedOverTheConfigs() throws Exception {
    Path state = temp.resolve("state");
    GoConfigImport.importInto(goConfig(GO_CONFIG), "http://10.0.0.9:8080", state);

    assertThat(new RegistrationFile(state, Clock.systemUTC()).load().orElseThrow()
        .groundControl()).isEqualTo("http://10.0.0.9:8080");
  }

  @Test
  void refusesADirectoryThatHoldsARegistrationAlreadyAndKeepsIt() throws Exception {
    Path state = temp.resolve("state");
    GoConfigImport.importInto(goConfig(GO_CONFIG), null, state);
    byte[] before = Files.readAllBytes(state.resolve(RegistrationFile.NAME));

    assertThatThrownBy(() -> GoConfigImport.importInto(goConfig(GO_CONFIG.replace(
        "Robot-Secret-1", "Other")), null, state))
        .isInstanceOf(SatelliteException.class)
        .hasMessageContaining("holds a registration already");
    assertThat(Files.readAllBytes(state.resolve(RegistrationFile.NAME))).isEqualTo(before);
  }

  @Test
  void aMissingCredentialIsNamedWithoutShowingTheOthers() throws Exception {
    Path file = goConfig(GO_CONFIG.replace("\"password\": \"Robot-Secret-1\"", "\"password\": 7"));

    assertThatThrownBy(() -> GoConfigImport.importInto(file, null, temp.resolve("state")))
        .hasMessageStartingWith("Go config " + file
            + ": state_config.auth.password is not a non-empty string");
    assertThat(temp.resolve("state").resolve(RegistrationFile.NAME)).doesNotExist();
  }

  @Test
  void anEncryptedConfigIsRefusedSayingSo() throws Exception {
    Path file = temp.resolve("config.json");
    Files.write(file, new byte[] {0x12, (byte) 0x9f, 0x00, 0x41});

    assertThatThrownBy(() -> GoConfigImport.importInto(file, null, temp.resolve("state")))
        .hasMessageContaining("is not JSON (an encrypted config");
  }

  @Test
  void withoutAGroundControlUrlAnywhereItAsksForOne() throws Exception {
    Path file = goConfig(GO_CONFIG.replace("\"ground_control_url\": \"https://gc.example.com\",",
        ""));

    assertThatThrownBy(() -> GoConfigImport.importInto(file, null, temp.resolve("state")))
        .hasMessageContaining("app_config.ground_control_url is missing; give Ground Control's"
            + " URL instead");
  }
}
