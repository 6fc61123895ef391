package dev.satellite.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.runtime.ContainerRuntime;
import dev.satellite.agent.runtime.FileChange;
import dev.satellite.agent.runtime.MirrorReport;
import dev.satellite.agent.runtime.RuntimeReload;
import dev.satellite.core.Entity;
import dev.satellite.core.EntityOutcome;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.SatelliteException;
import dev.satellite.core.SyncReport;
import dev.satellite.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Entity APP = new Entity("library/app", "v1", "sha256:" + "a".repeat(64));
  private static final String GROUP = "harbor.example/satellite/group-state/g1/state:latest";

  @TempDir Path temp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  private List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      events.add(JSON.readTree(line));
    }
    return events;
  }

  @Test
  void eachEventIsOneJsonObjectOnItsOwnLine() throws IOException {
    Path file = temp.resolve("audit.jsonl");
    try (AuditLog audit = AuditLog.open(file, 1 << 20, 2, clock)) {
      audit.registered(new Registration("harbor.example/satellite/satellite-state/edge-1/state:latest",
          "https://harbor.example", "robot$edge-1", "robot-password-123"), false);
      audit.configApplied("sha256:" + "c".repeat(64));
      audit.entityFinished(GROUP, APP, EntityOutcome.REPLICATED);
      audit.entityFinished(GROUP, APP, EntityOutcome.ALREADY_PRESENT);
      audit.pruned(GROUP, APP, PruneOutcome.TAG_DELETED);
      audit.pruned(GROUP, APP, PruneOutcome.RETAINED);
      audit.syncFinished(SyncReport.builder(clock.instant(), Duration.ZERO).failures(List.of(
          new SyncReport.Failure(GROUP, "library/unsigned", "v1", SyncReport.Operation.REFUSE,
              "signature policy: image library/unsigned@sha256:... is unsigned"),
          new SyncReport.Failure(GROUP, "library/db", "v1", SyncReport.Operation.REPLICATE,
              "copy: 500"))).build());
      audit.accept(new MirrorReport(false, List.of(new FileChange(
              temp.resolve("etc/rancher/k3s/registries.yaml"), List.of(ContainerRuntime.K3S),
              Optional.empty(), "configs:\n  e:\n    auth:\n      password: <redacted>\n")),
          List.of(), List.of(), List.of(), List.of("systemctl try-restart k3s k3s-agent"),
          List.of(new RuntimeReload(ContainerRuntime.K3S,
              List.of("systemctl", "try-restart", "k3s", "k3s-agent"), Optional.empty(), false))));
    }

    List<JsonNode> events = lines(file);
    assertThat(events).extracting(e -> e.get("event").asText()).containsExactly("registered",
        "config_applied", "image_placed", "image_pruned", "signature_refused",
        "runtime_file_changed", "runtime_reloaded");
    assertThat(events.get(0).toString()).doesNotContain("robot-password-123")
        .contains("\"username\":\"robot$edge-1\"", "\"satellite\":\"edge-1\"");
    assertThat(events.get(2)).isEqualTo(JSON.readTree("{\"time\": \"2026-12-01T10:00:00Z\","
        + " \"event\": \"image_placed\", \"group\": \"" + GROUP + "\", \"repository\":"
        + " \"library/app\", \"tag\": \"v1\", \"digest\": \"" + APP.digest() + "\"}"));
    assertThat(events.get(3).get("removed").asText()).isEqualTo("tag");
    assertThat(events.get(4).get("repository").asText()).isEqualTo("library/unsigned");
    assertThat(events.get(5).get("runtimes").get(0).asText()).isEqualTo("k3s");
    assertThat(events.get(5).has("content")).isFalse();
    assertThat(events.get(6).get("command").asText())
        .isEqualTo("systemctl try-restart k3s k3s-agent");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void filesAreRotatedBySizeAndTheOldestBeyondTheCapIsDeleted() throws IOException {
    Path file = temp.resolve("audit.jsonl");
    try (AuditLog audit = AuditLog.open(file, 400, 3, clock)) {
      for (int i = 0; i < 20; i++) {
        audit.configApplied("sha256:" + String.format("%064d", i));
      }
    }

    assertThat(file).exists();
    assertThat(temp.resolve("audit.jsonl.1")).exists();
    assertThat(temp.resolve("audit.jsonl.2")).exists();
    assertThat(temp.resolve("audit.jsonl.3")).doesNotExist();
    List<String> digests = new ArrayList<>();
    for (Path part : List.of(temp.resolve("audit.jsonl.2"), temp.resolve("audit.jsonl.1"), file)) {
      assertThat(Files.size(part)).isLessThanOrEqualTo(400);
      lines(part).forEach(e -> digests.add(e.get("digest").asText()));
    }
    assertThat(digests).as("the newest events, in order, none cut").isNotEmpty()
        .last().isEqualTo("sha256:" + String.format("%064d", 19));
    for (int i = 1; i < digests.size(); i++) {
      assertThat(digests.get(i)).isGreaterThan(digests.get(i - 1));
    }
  }

  @Test
  void reopeningAppendsToTheCurrentFile() throws IOException {
    Path file = temp.resolve("audit.jsonl");
    try (AuditLog audit = AuditLog.open(file, 1 << 20, 2, clock)) {
      audit.configApplied("sha256:1");
    }
    try (AuditLog audit = AuditLog.open(file, 1 << 20, 2, clock)) {
      audit.configApplied("sha256:2");
    }

    assertThat(lines(file)).extracting(e -> e.get("digest").asText())
        .containsExactly("sha256:1", "sha256:2");
  }

  @Test
  void aFileThatCannotBeOpenedIsAnErrorNamingIt() throws IOException {
    Path blocker = temp.resolve("not-a-directory");
    Files.writeString(blocker, "x");

    assertThatThrownBy(() -> AuditLog.open(blocker.resolve("audit.jsonl"), 1024, 2))
        .isInstanceOf(SatelliteException.class)
        .hasMessageStartingWith("open the audit log " + blocker.resolve("audit.jsonl"));
  }
}
