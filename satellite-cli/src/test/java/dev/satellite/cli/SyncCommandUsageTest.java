package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way to get the sync command line wrong ends with status 2 and one line naming it. */
class SyncCommandUsageTest {
  private static final String STATE =
      "http://127.0.0.1:5101/satellite/satellite-state/edge-1/state:latest";
  private static final String DESTINATION = "http://127.0.0.1:5102";

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return SyncCommand.run(
        args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private String[] valid(String... more) {
    List<String> args = new ArrayList<>(List.of("--state", STATE, "--destination", DESTINATION));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private String oneLineError() {
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).as("error output %s", text).hasSize(1);
    assertThat(text).startsWith("satellite sync: ").doesNotContain("Exception").doesNotContain("\tat ");
    return text.strip();
  }

  @Test
  void unknownOptionExitsTwoNamingIt() {
    assertThat(run(valid("--bogus"))).isEqualTo(2);
    assertThat(oneLineError()).isEqualTo("satellite sync: Unknown option: '--bogus' (see --help)");
  }

  @Test
  void noResumeWithAnUploadJournalExitsTwoNamingBoth() {
    assertThat(run(valid("--no-resume", "--upload-journal", dir.toString()))).isEqualTo(2);
    assertThat(oneLineError())
        .isEqualTo("satellite sync: options --no-resume and --upload-journal exclude each other");
  }

  @Test
  void missingStateExitsTwo() {
    assertThat(run("--destination", DESTINATION)).isEqualTo(2);
    assertThat(oneLineError()).isEqualTo("satellite sync: Missing required option: '--state=<ref>' (see --help)");
  }

  @Test
  void missingDestinationExitsTwo() {
    assertThat(run("--state", STATE)).isEqualTo(2);
    assertThat(oneLineError()).isEqualTo("satellite sync: Missing required option: '--destination=<url>' (see --help)");
  }

  @Test
  void malformedStateReferenceExitsTwo() {
    assertThat(run("--state", "http://127.0.0.1:5101/Bad Repo:latest", "--destination", DESTINATION))
        .isEqualTo(2);
    assertThat(oneLineError()).startsWith("satellite sync: option --state: ");
  }

  @Test
  void destinationThatIsNotABaseUrlExitsTwo() {
    assertThat(run("--state", STATE, "--destination", "127.0.0.1:5102/v2")).isEqualTo(2);
    assertThat(oneLineError())
        .isEqualTo(
            "satellite sync: option --destination: '127.0.0.1:5102/v2' is not a registry base URL "
                + "(use http://host:port or https://host[:port])");
  }

  @Test
  void unreadableCaFileExitsTwo() {
    Path missing = dir.resolve("missing-ca.pem");
    assertThat(run(valid("--source-ca", missing.toString()))).isEqualTo(2);
    assertThat(oneLineError())
        .isEqualTo("satellite sync: option --source-ca: cannot read file '" + missing + "'");
  }

  @Test
  void invalidCaFileExitsTwoNamingTheFile() throws Exception {
    Path garbage = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    assertThat(run(valid("--checkpoint", dir.resolve("c.json").toString(),
        "--destination-ca", garbage.toString()))).isEqualTo(2);
    assertThat(oneLineError()).contains("ca.pem");
  }

  @Test
  void certificateWithoutKeyExitsTwo() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    assertThat(run(valid("--destination-cert", cert.toString()))).isEqualTo(2);
    assertThat(oneLineError())
        .isEqualTo("satellite sync: --destination-cert and --destination-key must be given together");
  }

  @Test
  void userWithoutPasswordVariableExitsTwo() {
    assertThat(run(valid("--source-user", "alice"))).isEqualTo(2);
    assertThat(oneLineError())
        .isEqualTo(
            "satellite sync: --source-user is set but the environment variable "
                + "SATELLITE_SOURCE_PASSWORD is not");
  }

  @Test
  void malformedHostOverrideExitsTwo() {
    assertThat(run(valid("--host-override", "a b"))).isEqualTo(2);
    assertThat(oneLineError())
        .isEqualTo(
            "satellite sync: option --host-override: 'a b' is not host[:port] or "
                + "published-host=host[:port]");
  }

  @Test
  void intervalIsNotAnOptionOfSyncOnce() {
    assertThat(run(valid("--interval", "30s"))).isEqualTo(2);
    assertThat(oneLineError()).isEqualTo("satellite sync: Unknown options: '--interval', '30s' (see --help)");
  }

  @Test
  void passwordNeverAppearsInTheError() {
    Path missing = dir.resolve("nope.pem");
    assertThat(run(Map.of("SATELLITE_SOURCE_PASSWORD", "s3cret-pw"),
        valid("--source-user", "alice", "--source-ca", missing.toString()))).isEqualTo(2);
    assertThat(oneLineError()).doesNotContain("s3cret-pw");
  }

  @Test
  void helpPrintsEveryOptionAndExitsZero() {
    assertThat(run("--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    for (String option : List.of("--state", "--destination", "--checkpoint", "--source-user",
        "--destination-user", "--source-ca", "--source-cert", "--source-key",
        "--source-insecure-skip-verify", "--destination-insecure-skip-verify", "--host-override",
        "--json", "SATELLITE_SOURCE_PASSWORD", "SATELLITE_DESTINATION_PASSWORD")) {
      assertThat(help).contains(option);
    }
    assertThat(help).doesNotContain("--interval");
  }
}
