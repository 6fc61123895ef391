package dev.satellite.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile;
import dev.satellite.core.Checkpoint;
import dev.satellite.core.Entity;
import dev.satellite.core.SyncReport;
import dev.satellite.persistence.AtomicFileByteTotal;
import dev.satellite.persistence.AtomicFileStateStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code satellite status} over a state directory whose checkpoint another process holds. */
class StatusCommandTest {
  private static final String GROUP = "harbor.example/satellite/group-state/g1/state:latest";
  private static final Entity APP = new Entity("library/app", "v1", "sha256:" + "a".repeat(64));
  private static final Entity DB = new Entity("library/db", "v2", "sha256:" + "b".repeat(64));
  private static final String ROBOT_PASSWORD = "robot-Secret-31337";

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int status(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "status";
    System.arraycopy(args, 0, all, 1, args.length);
    return SatelliteCommand.run(all, Map.of(), new PrintStream(out, true, UTF_8),
        new PrintStream(err, true, UTF_8));
  }

  /** A state directory as a fleet agent leaves it, its checkpoint still held open. */
  private AtomicFileStateStore agentState() throws Exception {
    AtomicFileStateStore store = AtomicFileStateStore.open(dir.resolve("checkpoint.json"));
    store.save(new Checkpoint(Optional.of("sha256:" + "c".repeat(64)),
        Map.of(GROUP, List.of(APP, DB))));
    SyncReport report = SyncReport.builder(Instant.parse("2026-12-01T10:00:00Z"),
        Duration.ofMillis(1234)).checkpointSaved(true).failures(List.of(new SyncReport.Failure(
            GROUP, "library/web", "v3", SyncReport.Operation.REFUSE,
            "signature policy: image library/web@sha256:... is unsigned"))).build();
    Files.writeString(dir.resolve("last-pass.json"), report.toJson() + "\n");
    AtomicFileByteTotal.open(dir.resolve("upstream-bytes.json")).add(4096);
    new RegistrationFile(dir, Clock.systemUTC()).save("https://gc.example", new Registration(
        "harbor.example/satellite/satellite-state/edge-1/state:latest", "https://harbor.example",
        "robot$edge-1", ROBOT_PASSWORD));
    return store;
  }

  @Test
  void printsTheLastPassImagesRegistrationAndBytesWhileTheCheckpointIsHeld() throws Exception {
    try (AtomicFileStateStore held = agentState()) {
      assertThat(status("--state-dir", dir.toString())).as(err.toString(UTF_8)).isZero();
    }

    assertThat(out.toString(UTF_8)).isEqualTo("""
        last pass: 2026-12-01T10:00:00Z, failed, 0 placed, 0 unchanged, 0 pruned, 1 failed, \
        0 deferred, 0 bytes copied in 1234 ms
          failed: library/web:v3 (refuse): signature policy: image library/web@sha256:... is \
        unsigned
        config: sha256:%s
        images at the edge: 2 in 1 group(s)
          %s: 2
        registration: edge-1 at https://harbor.example as robot$edge-1 (password <redacted>)
        upstream bytes: 4096 since %s
        """.formatted("c".repeat(64), GROUP,
        AtomicFileByteTotal.read(dir.resolve("upstream-bytes.json")).orElseThrow().since()));
    assertThat(out.toString(UTF_8) + err.toString(UTF_8)).doesNotContain(ROBOT_PASSWORD);
  }

  @Test
  void jsonIsOneDocumentedObjectWithoutTheSecret() throws Exception {
    try (AtomicFileStateStore held = agentState()) {
      assertThat(status("--state-dir", dir.toString(), "--json")).isZero();
    }

    JsonNode json = new ObjectMapper().readTree(out.toString(UTF_8));
    assertThat(json.get("stateDirectory").asText()).isEqualTo(dir.toAbsolutePath().toString());
    assertThat(json.get("lastPass").get("failures").get(0).get("operation").asText())
        .isEqualTo("refuse");
    assertThat(json.get("images").asInt()).isEqualTo(2);
    assertThat(json.get("groups").get(0).get("images").asInt()).isEqualTo(2);
    assertThat(json.get("registration").get("password").asText()).isEqualTo("<redacted>");
    assertThat(json.get("upstreamBytes").get("total").asLong()).isEqualTo(4096);
    assertThat(json.get("problems")).isEmpty();
    assertThat(out.toString(UTF_8)).doesNotContain(ROBOT_PASSWORD);
  }

  @Test
  void aFreshDirectorySaysNothingHappenedYet() {
    assertThat(status("--state-dir", dir.toString())).isZero();

    assertThat(out.toString(UTF_8)).startsWith("last pass: none yet\nconfig: none applied\n"
        + "images at the edge: 0 in 0 group(s)\n");
  }

  @Test
  void anUnreadableFileIsAProblemAndTheRestIsPrinted() throws Exception {
    agentState().close();
    Files.writeString(dir.resolve("checkpoint.json"), "{\"format\": \"satellite-checkpoint\"");

    assertThat(status("--state-dir", dir.toString())).isEqualTo(1);

    assertThat(out.toString(UTF_8)).contains("last pass: 2026-12-01T10:00:00Z",
        "images at the edge: 0 in 0 group(s)", "registration: edge-1");
    assertThat(err.toString(UTF_8)).startsWith("problem: read checkpoint "
        + dir.toAbsolutePath().resolve("checkpoint.json"));
  }

  @Test
  void aMissingDirectoryIsAUsageError() {
    assertThat(status("--state-dir", dir.resolve("missing").toString())).isEqualTo(2);

    assertThat(err.toString(UTF_8)).isEqualTo("satellite status: read the status of "
        + dir.resolve("missing").toAbsolutePath() + ": not a directory\n");
  }
}
