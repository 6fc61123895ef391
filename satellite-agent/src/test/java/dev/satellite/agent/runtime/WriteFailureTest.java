package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.persistence.files.FileOps;
import dev.satellite.persistence.files.SystemFileOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteFailureTest {
  private static final String CONFIG = "etc/containerd/config.toml";
  private static final String DAEMON_JSON = "etc/docker/daemon.json";

  @TempDir Path temp;

  @Test
  void failureAfterTheRenameRestoresThePreviousVersion() {
    RuntimeRoot node = new RuntimeRoot(temp).with(DAEMON_JSON, "daemon.json");
    String before = node.read(DAEMON_JSON);
    Path target = node.path(DAEMON_JSON);

    MirrorReport report = node.mirrors("docker:docker.io")
        .fileOps(new FailingOps(target, Step.SYNC_DIRECTORY_AFTER_RENAME)).build().apply();

    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.path()).isEqualTo(target);
      assertThat(failure.reason()).startsWith(target + ": writing the mirror configuration failed")
          .contains("disk went away")
          .endsWith("the previous version was restored (also kept in daemon.json.satellite.bak)");
    });
    assertThat(node.read(DAEMON_JSON)).isEqualTo(before);
    assertThat(node.read(DAEMON_JSON + ".satellite.bak")).isEqualTo(before);
    assertThat(report.changes()).isEmpty();
    assertThat(report.reloadCommands()).isEmpty();
  }

  @Test
  void failureBeforeTheRenameLeavesTheFileAndNoTempFile() throws IOException {
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-1.7-config.toml");
    String before = node.read(CONFIG);
    Path target = node.path(CONFIG);

    MirrorReport report = node.mirrors("containerd:docker.io")
        .fileOps(new FailingOps(target, Step.FSYNC)).build().apply();

    assertThat(report.failures()).extracting(FileFailure::path).containsExactly(target);
    assertThat(node.read(CONFIG)).isEqualTo(before);
    try (var files = Files.list(target.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("config.toml", "config.toml.satellite.bak", "certs.d");
    }
  }

  @Test
  void newFileWhoseWriteFailsIsRemoved() {
    RuntimeRoot node = new RuntimeRoot(temp);
    Path target = node.path(DAEMON_JSON);

    MirrorReport report = node.mirrors("docker:docker.io")
        .fileOps(new FailingOps(target, Step.SYNC_DIRECTORY_AFTER_RENAME)).build().apply();

    assertThat(report.failures()).singleElement().extracting(FileFailure::reason).asString()
        .endsWith("the new file was removed");
    assertThat(target).doesNotExist();
  }

  @Test
  void replacedFileKeepsItsPermissionBits() throws IOException {
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-1.7-config.toml");
    Path target = node.path(CONFIG);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));

    node.apply("containerd:docker.io");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-------");
    Path backup = node.path(CONFIG + ".satellite.bak");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
        .isEqualTo("rw-------");
  }

  @Test
  void fileChangedBetweenReadAndWriteIsLeftAlone() {
    String hostsFile = "etc/containerd/certs.d/docker.io/hosts.toml";
    RuntimeRoot node = new RuntimeRoot(temp).with(CONFIG, "containerd-1.7-config.toml")
        .withText(hostsFile, "server = \"https://docker.io\"\n");
    Path config = node.path(CONFIG);
    FileOps editsHostsWhileConfigIsWritten = new FailingOps(config, Step.NONE) {
      @Override
      public FileChannel createNew(Path path) throws IOException {
        if (path.getFileName().toString().startsWith("config.toml.tmp-")) {
          node.withText(hostsFile, "server = \"https://other.example.com\"\n");
        }
        return super.createNew(path);
      }
    };

    MirrorReport report = node.mirrors("containerd:docker.io")
        .fileOps(editsHostsWhileConfigIsWritten).build().apply();

    assertThat(report.failures()).extracting(FileFailure::reason).containsExactly(
        node.path(hostsFile) + ": changed by someone else since it was read, left untouched"
            + " (run again)");
    assertThat(node.read(hostsFile)).isEqualTo("server = \"https://other.example.com\"\n");
  }

  enum Step { NONE, FSYNC, SYNC_DIRECTORY_AFTER_RENAME }

  /** Real file operations, but one step on {@code target} fails, once. */
  static class FailingOps implements FileOps {
    private final Path target;
    private final Step failing;
    private boolean renamedTarget;
    private boolean failed;

    FailingOps(Path target, Step failing) {
      this.target = target;
      this.failing = failing;
    }

    @Override
    public FileChannel createNew(Path path) throws IOException {
      return SystemFileOps.INSTANCE.createNew(path);
    }

    @Override
    public void write(FileChannel channel, ByteBuffer buffer) throws IOException {
      SystemFileOps.INSTANCE.write(channel, buffer);
    }

    @Override
    public void force(FileChannel channel) throws IOException {
      if (failing == Step.FSYNC && !failed && writingTarget()) {
        failed = true;
        throw new IOException("disk went away");
      }
      SystemFileOps.INSTANCE.force(channel);
    }

    @Override
    public void moveAtomically(Path source, Path destination) throws IOException {
      SystemFileOps.INSTANCE.moveAtomically(source, destination);
      if (destination.equals(target)) {
        renamedTarget = true;
      }
    }

    @Override
    public void moveWithoutReplacing(Path source, Path destination) throws IOException {
      SystemFileOps.INSTANCE.moveWithoutReplacing(source, destination);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
      if (failing == Step.SYNC_DIRECTORY_AFTER_RENAME && renamedTarget && !failed) {
        failed = true;
        throw new IOException("disk went away");
      }
      SystemFileOps.INSTANCE.syncDirectory(directory);
    }

    private boolean writingTarget() throws IOException {
      try (var files = Files.list(target.getParent())) {
        return files.anyMatch(p -> p.getFileName().toString()
            .startsWith(target.getFileName() + ".tmp-"));
      }
    }
  }
}
