package dev.satellite.cli.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.cli.dist.UnpackedDistribution.Run;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestCertificates;
import dev.satellite.testing.TestCertificates.Authority;
import dev.satellite.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user gets it: the tarball unpacked with {@code tar}, {@code bin/satellite}
 * run as a process with a Java found through {@code JAVA_HOME} or {@code PATH}, against real
 * registries and Ground Control over HTTPS, each with a CA of its own that only its side trusts.
 */
@RequiresRegistry
class DistributionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROBOT = "robot$satellite-edge-1";
  private static final String PASSWORD = "robot-pw-4471";

  @TempDir static Path unpacked;
  static UnpackedDistribution distribution;
  @TempDir Path temp;

  @BeforeAll
  static void unpack() throws Exception {
    distribution = UnpackedDistribution.unpack(unpacked);
  }

  @Test
  void syncCopiesOverHttpsWithEachSideTrustingOnlyItsOwnCaAndAClientCertificateAtTheEdge()
      throws Exception {
    Authority upstreamCa = TestCertificates.authority(temp, "upstream");
    Authority edgeCa = TestCertificates.authority(temp, "edge");
    Authority edgeClients = TestCertificates.authority(temp, "edge-clients");
    TestCertificates.Issued client = edgeClients.issueClient("satellite-edge-1");
    try (DistributionRegistry upstream = DistributionRegistry.builder().tls(upstreamCa)
            .basicAuth(ROBOT, PASSWORD).start();
        DistributionRegistry edge = DistributionRegistry.builder().tls(edgeCa)
            .requireClientCertificate(edgeClients).start()) {
      String app1 = push(upstream, "demo/app1", 1);
      String app2 = push(upstream, "demo/app2", 2);
      String state = publishState(upstream, upstreamCa, "g1=demo/app1:v1,demo/app2:v1",
          Optional.empty(), true);
      String[] sync = {"sync", "--state", state, "--source-user", ROBOT,
          "--source-ca", upstreamCa.certificatePem().toString(),
          "--destination", edge.baseUrl(), "--destination-ca", edgeCa.certificatePem().toString(),
          "--destination-cert", client.certificatePem().toString(),
          "--destination-key", client.privateKeyPem().toString(),
          "--checkpoint", temp.resolve("checkpoint.json").toString(), "--json"};
      Map<String, String> env = env("SATELLITE_SOURCE_PASSWORD", PASSWORD);

      Run first = distribution.run(temp.resolve("sync-1"), env, sync);

      assertThat(first.exitValue()).as(first.err()).isZero();
      JsonNode report = JSON.readTree(first.out());
      assertThat(report.path("ok").asBoolean()).as(first.out()).isTrue();
      assertThat(report.path("replicated").asInt()).isEqualTo(2);
      assertThat(edgeManifestDigest(edge, "demo/app1")).contains(app1);
      assertThat(edgeManifestDigest(edge, "demo/app2")).contains(app2);

      Run again = distribution.run(temp.resolve("sync-2"), env, sync);

      assertThat(again.exitValue()).as(again.err()).isZero();
      assertThat(JSON.readTree(again.out()).path("unchanged").asInt()).isEqualTo(2);
    }
  }

  @Test
  void syncRefusesAnUpstreamWhoseCertificateItsCaDoesNotVouchFor() throws Exception {
    Authority upstreamCa = TestCertificates.authority(temp, "upstream");
    Authority edgeCa = TestCertificates.authority(temp, "edge");
    try (DistributionRegistry upstream = DistributionRegistry.builder().tls(upstreamCa).start();
        DistributionRegistry edge = DistributionRegistry.builder().tls(edgeCa).start()) {
      push(upstream, "demo/app1", 1);
      String state =
          publishState(upstream, upstreamCa, "g1=demo/app1:v1", Optional.empty(), false);

      Run sync = distribution.run(temp.resolve("sync"), env(), "sync", "--state", state,
          "--source-ca", edgeCa.certificatePem().toString(), "--destination", edge.baseUrl(),
          "--destination-ca", edgeCa.certificatePem().toString(),
          "--checkpoint", temp.resolve("checkpoint.json").toString());

      assertThat(sync.exitValue()).as(sync.err()).isEqualTo(1);
      assertThat(sync.err()).contains(upstream.hostPort()).containsIgnoringCase("certificate")
          .doesNotContain("\tat ");
      assertThat(edge.requests()).noneMatch(r -> r.method().equals("PUT"));
    }
  }

  @Test
  void agentJoinsGroundControlOverHttpsSyncsBeatsAndExitsZeroOnSigterm() throws Exception {
    Authority upstreamCa = TestCertificates.authority(temp, "upstream");
    Authority edgeCa = TestCertificates.authority(temp, "edge");
    Authority groundControlCa = TestCertificates.authority(temp, "ground-control");
    try (DistributionRegistry upstream = DistributionRegistry.builder().tls(upstreamCa)
            .basicAuth(ROBOT, PASSWORD).start();
        DistributionRegistry edge = DistributionRegistry.builder().tls(edgeCa).start()) {
      String digest = push(upstream, "proj/app", 3);
      Path config = Files.writeString(temp.resolve("config.json"), "{\"app_config\":{"
          + "\"heartbeat_interval\":\"@every 00h00m01s\","
          + "\"state_replication_interval\":\"@every 00h00m01s\"}}");
      String state =
          publishState(upstream, upstreamCa, "g1=proj/app:v1", Optional.of(config), true);
      try (GroundControlOverHttps groundControl = new GroundControlOverHttps(groundControlCa,
          "ztr-7d21", state, upstream.baseUrl(), ROBOT, PASSWORD)) {
        String[] agentArgs = {"agent", "--ground-control", groundControl.url(),
            "--ground-control-ca", groundControlCa.certificatePem().toString(),
            "--state-dir", temp.resolve("state").toString(),
            "--source-ca", upstreamCa.certificatePem().toString(),
            "--destination", edge.baseUrl(),
            "--destination-ca", edgeCa.certificatePem().toString(), "--listen", "off"};
        Run agent = distribution.start(temp.resolve("agent"), env("SATELLITE_TOKEN", "ztr-7d21"),
            agentArgs);
        try {
          awaitTrue(() -> edgeManifestDigest(edge, "proj/app").equals(Optional.of(digest))
              && groundControl.heartbeats() >= 1, agent);

          assertThat(agent.process().info().command()).as("the launcher exec'd the JVM")
              .hasValueSatisfying(command -> assertThat(command).endsWith("/java"));
          assertStatusShowsTheImage("status-while-running");
          agent.process().destroy();
          agent.await(30);
        } finally {
          agent.process().destroyForcibly();
        }
        assertThat(agent.exitValue()).as(agent.err()).isZero();
        assertThat(agent.err()).contains("stop requested").contains("agent stopped")
            .doesNotContain(PASSWORD).doesNotContain("ztr-7d21");

        // started again without a token (the registration is saved), then killed outright
        int beats = groundControl.heartbeats();
        Run again = distribution.start(temp.resolve("agent-again"), env(), agentArgs);
        try {
          awaitTrue(() -> groundControl.heartbeats() > beats, again);
        } finally {
          again.process().destroyForcibly();
          again.await(30);
        }
        assertStatusShowsTheImage("status-after-kill");
      }
    }
  }

  /** {@code bin/satellite status --json} of the agent's state directory names the image in place. */
  private void assertStatusShowsTheImage(String run) throws Exception {
    Run status = distribution.run(temp.resolve(run), env(), "status", "--state-dir",
        temp.resolve("state").toString(), "--json");
    assertThat(status.exitValue()).as(status.err()).isZero();
    JsonNode json = JSON.readTree(status.out());
    assertThat(json.path("images").asInt()).as(status.out()).isEqualTo(1);
    assertThat(json.path("registration").path("password").asText()).isEqualTo("<redacted>");
    assertThat(status.out() + status.err()).doesNotContain(PASSWORD);
  }

  @Test
  void aPassRecordsAClassDataArchiveThatLaterStartsMapAndABrokenOrUnwritableOneIsNoError()
      throws Exception {
    Path cache = temp.resolve("cache");
    try (DistributionRegistry upstream = DistributionRegistry.builder().start();
        DistributionRegistry edge = DistributionRegistry.builder().start()) {
      push(upstream, "demo/app1", 1);
      Run publish = distribution.run(temp.resolve("publish"), env(), "publish-state",
          "--registry", upstream.baseUrl(), "--satellite", "edge-1", "--group", "g1=demo/app1:v1");
      assertThat(publish.exitValue()).as(publish.err()).isZero();
      Map<String, String> env = env("SATELLITE_CACHE_DIR", cache.toString());
      String[] sync = {"sync", "--state", publish.out().strip(), "--destination", edge.baseUrl(),
          "--checkpoint", temp.resolve("checkpoint.json").toString()};

      Run recording = distribution.run(temp.resolve("sync-1"), env, sync);
      Run using = distribution.run(temp.resolve("sync-2"), env, sync);

      assertThat(recording.exitValue()).as(recording.err()).isZero();
      assertThat(using.exitValue()).as(using.err()).isZero();
      try (var files = Files.list(cache)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .matches("satellite-[0-9]+\\.jsa");
      }
    }
    Map<String, String> required = env("SATELLITE_CACHE_DIR", cache.toString(),
        "SATELLITE_OPTS", "-Xshare:on");
    Run mapped = distribution.run(temp.resolve("mapped"), required, "version");
    assertThat(mapped.exitValue()).as("-Xshare:on maps the archive: " + mapped.err()).isZero();

    try (var files = Files.list(cache)) {
      Files.writeString(files.findFirst().orElseThrow(), "not an archive");
    }
    Run broken = distribution.run(temp.resolve("broken"),
        env("SATELLITE_CACHE_DIR", cache.toString()), "version");
    Run unwritable = distribution.run(temp.resolve("unwritable"),
        env("SATELLITE_CACHE_DIR", "/proc/satellite-cache"), "sync", "--help");

    assertThat(broken.exitValue()).isZero();
    assertThat(broken.err()).isEmpty();
    assertThat(unwritable.exitValue()).isZero();
    assertThat(unwritable.err()).isEmpty();
  }

  @Test
  void aJavaOlderThan17OnPathIsRefusedOnOneLine() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("old-jdk/bin"));
    Path java = fakeJava(bin, "openjdk version \"11.0.22\" 2024-01-16");

    Run run = distribution.run(temp.resolve("run"),
        Map.of("PATH", bin + ":/usr/bin:/bin"), "version");

    assertThat(run.exitValue()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(
        "satellite: needs Java 17 or later, but " + java + " is version 11.0.22\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anOldJavaHomeIsReadFromItsReleaseFileAndRefused() throws Exception {
    Path home = temp.resolve("jdk8");
    Path java = fakeJava(Files.createDirectories(home.resolve("bin")), "unused");
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"1.8.0_392\"\nOS_NAME=\"Linux\"\n");

    Run run = distribution.run(temp.resolve("run"), Map.of("JAVA_HOME", home.toString()),
        "version");

    assertThat(run.exitValue()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(
        "satellite: needs Java 17 or later, but " + java + " is version 1.8.0_392\n");
  }

  @Test
  void aJavaHomeWithoutJavaIsNamed() throws Exception {
    Path home = Files.createDirectories(temp.resolve("not-a-jdk"));

    Run run = distribution.run(temp.resolve("run"), Map.of("JAVA_HOME", home.toString()),
        "version");

    assertThat(run.exitValue()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("satellite: JAVA_HOME is '" + home + "', but " + home
        + "/bin/java is not an executable\n");
  }

  @Test
  void javaOptionsPassThroughAndTheExitStatusIsTheCommands() throws Exception {
    Run version = distribution.run(temp.resolve("version"),
        env("JAVA_OPTS", "-Xmx96m -Dignored=1", "SATELLITE_OPTS", "-XX:+PrintCommandLineFlags"),
        "version");

    assertThat(version.exitValue()).as(version.err()).isZero();
    assertThat(version.out()).contains("-XX:MaxHeapSize=100663296")
        .contains("satellite " + System.getProperty("satellite.version"));

    Run usage = distribution.run(temp.resolve("usage"), env(), "sync", "--bogus");

    assertThat(usage.exitValue()).isEqualTo(2);
    assertThat(usage.err()).isEqualTo("satellite sync: Unknown option: '--bogus' (see --help)\n");
  }

  @Test
  void theLauncherSetsSmallNodeJvmDefaultsThatTheUsersOwnOptionsReplace() throws Exception {
    Map<String, String> flags = env("SATELLITE_OPTS", "-XX:+PrintCommandLineFlags");

    Run shipped = distribution.run(temp.resolve("shipped"), flags, "version");
    Run ownHeap = distribution.run(temp.resolve("own-heap"),
        env("JAVA_OPTS", "-Xmx96m", "SATELLITE_OPTS", "-XX:+PrintCommandLineFlags"), "version");
    Run ownCollector = distribution.run(temp.resolve("own-collector"),
        env("JAVA_OPTS", "-XX:+UseParallelGC", "SATELLITE_OPTS", "-XX:+PrintCommandLineFlags"),
        "version");
    Map<String, String> off = new HashMap<>(flags);
    off.put("SATELLITE_JVM_DEFAULTS", "off");
    Run without = distribution.run(temp.resolve("without"), off, "version");

    assertThat(shipped.exitValue()).as(shipped.err()).isZero();
    assertThat(shipped.out()).contains("-XX:+UseSerialGC", "-XX:InitialHeapSize=8388608",
        "-XX:MaxHeapSize=134217728");
    assertThat(ownHeap.exitValue()).as(ownHeap.err()).isZero();
    assertThat(ownHeap.out()).contains("-XX:+UseSerialGC", "-XX:MaxHeapSize=100663296")
        .doesNotContain("-XX:InitialHeapSize=8388608");
    assertThat(ownCollector.exitValue())
        .as("one collector on the command line, not two: " + ownCollector.err()).isZero();
    assertThat(ownCollector.out()).contains("-XX:+UseParallelGC", "-XX:MaxHeapSize=134217728")
        .doesNotContain("UseSerialGC");
    assertThat(without.exitValue()).as(without.err()).isZero();
    assertThat(without.out()).doesNotContain("-XX:MaxHeapSize=134217728")
        .doesNotContain("-XX:InitialHeapSize=8388608");
  }

  @Test
  void everyCommandAnswersHelp() throws Exception {
    for (String command : new String[] {"agent", "sync", "status", "configure-runtimes",
        "publish-state", "version"}) {
      Run help = distribution.run(temp.resolve(command), env(), command, "--help");

      assertThat(help.exitValue()).as(help.err()).isZero();
      assertThat(help.out()).startsWith("Usage: satellite " + command);
    }
    Run top = distribution.run(temp.resolve("top"), env(), "--help");
    assertThat(top.out()).contains("agent", "sync", "configure-runtimes", "publish-state",
        "version");
  }

  @Test
  void theCompletionScriptCompletesSubcommandsAndTheirOptionsInBash() throws Exception {
    assertThat(complete("satellite sy")).isEqualTo("sync");
    assertThat(complete("satellite publish")).isEqualTo("publish-state");
    assertThat(complete("satellite agent --ground-control-c")).isEqualTo("--ground-control-ca");
    assertThat(complete("satellite sync --destination-k")).isEqualTo("--destination-key");
    assertThat(complete("satellite sync --source-c")).isEqualTo("--source-ca --source-cert");
  }

  /** What bash completes the last word of {@code line} to, with the shipped script sourced. */
  private static String complete(String line) throws Exception {
    String words = "(" + line + ")";
    String script = ". '" + distribution.home().resolve("completion/satellite") + "'\n"
        + "COMP_WORDS=" + words + "; COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE='" + line
        + "'\n_complete_satellite 2>/dev/null\necho \"${COMPREPLY[*]}\"\n";
    Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String output = new String(bash.getInputStream().readAllBytes(), UTF_8).strip();
    assertThat(bash.waitFor()).as(output).isZero();
    return output;
  }

  private static String push(DistributionRegistry registry, String repository, long seed) {
    return registry.push(repository, TestImages.image(TestImages.Format.OCI, seed,
        TestBlob.random(seed, 256 * 1024)), "v1");
  }

  /** Publishes a satellite state with {@code bin/satellite publish-state}; returns its reference. */
  private String publishState(DistributionRegistry upstream, Authority ca, String group,
      Optional<Path> config, boolean asRobot) throws Exception {
    Map<String, String> env = new HashMap<>(env());
    String[] args = {"publish-state", "--registry", upstream.baseUrl(),
        "--registry-ca", ca.certificatePem().toString(), "--satellite", "edge-1",
        "--group", group};
    if (asRobot) {
      env.put("SATELLITE_REGISTRY_PASSWORD", PASSWORD);
      args = append(args, "--user", ROBOT);
    }
    if (config.isPresent()) {
      args = append(args, "--config", config.get().toString());
    }
    Run publish = distribution.run(temp.resolve("publish"), env, args);
    assertThat(publish.exitValue()).as(publish.err()).isZero();
    return publish.out().strip();
  }

  private static String[] append(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  /** The digest the edge serves for {@code repository:v1}, asked with the harness's own client. */
  private static Optional<String> edgeManifestDigest(DistributionRegistry edge, String repository) {
    Request head = new Request.Builder().head()
        .url(edge.baseUrl() + "/v2/" + repository + "/manifests/v1")
        .header("Accept", "application/vnd.oci.image.manifest.v1+json").build();
    try (Response response = edge.httpClient().newCall(head).execute()) {
      return response.code() == 200
          ? Optional.ofNullable(response.header("Docker-Content-Digest"))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(UnpackedDistribution.javaHome());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  /** A {@code java} that answers {@code -version} as an old JDK does (on standard error). */
  private static Path fakeJava(Path bin, String versionLine) throws IOException {
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho '" + versionLine + "' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return java;
  }

  private static void awaitTrue(BooleanSupplier condition, Run run) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(run.process().isAlive()).as("bin/satellite exited early: " + run.err()).isTrue();
      assertThat(System.nanoTime()).as("waited 90 s; stderr: " + run.err()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
