package dev.satellite.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.agent.runtime.K3sRegistriesYaml.Auth;
import dev.satellite.agent.runtime.K3sRegistriesYaml.Mirror;
import dev.satellite.agent.runtime.K3sRegistriesYaml.RegistryConfig;
import dev.satellite.agent.runtime.K3sRegistriesYaml.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** k3s's and RKE2's registries.yaml, merged and checked against the structure k3s documents. */
class K3sMirrorsTest {
  private static final String K3S = "etc/rancher/k3s/registries.yaml";
  private static final String RKE2 = "etc/rancher/rke2/registries.yaml";

  @TempDir Path temp;

  @Test
  void newFileHoldsExactlyTheDocumentedMirrorStructure() throws Exception {
    RuntimeRoot node = new RuntimeRoot(temp);

    MirrorReport report = node.apply("k3s:docker.io,quay.io");

    assertThat(report.failures()).isEmpty();
    assertThat(node.read(K3S)).isEqualTo("""
        mirrors:
          docker.io:
            endpoint:
              - http://127.0.0.1:5000
          quay.io:
            endpoint:
              - http://127.0.0.1:5000
        """);
    assertThat(K3sRegistriesYaml.parse(node.read(K3S))).isEqualTo(new K3sRegistriesYaml(Map.of(
        "docker.io", new Mirror(List.of("http://127.0.0.1:5000"), null),
        "quay.io", new Mirror(List.of("http://127.0.0.1:5000"), null)), null));
    assertThat(report.reloadCommands()).containsExactly("systemctl try-restart k3s k3s-agent");
  }

  @Test
  void edgeGoesFirstAndEveryOtherMirrorRewriteAndConfigStays() throws Exception {
    RuntimeRoot node = new RuntimeRoot(temp).with(K3S, "k3s-registries.yaml");

    MirrorReport report = node.apply("k3s:docker.io,registry.example.com:5000");

    assertThat(report.failures()).isEmpty();
    K3sRegistriesYaml after = K3sRegistriesYaml.parse(node.read(K3S));
    assertThat(after.mirrors()).isEqualTo(Map.of(
        "docker.io", new Mirror(List.of("http://127.0.0.1:5000", "https://mirror.example.com"),
            Map.of("^rancher/(.*)", "mirrorproject/rancher-images/$1")),
        "registry.example.com:5000", new Mirror(
            List.of("http://127.0.0.1:5000", "https://registry.example.com:5000"), null)));
    assertThat(after.configs()).isEqualTo(Map.of("registry.example.com:5000", new RegistryConfig(
        new Auth("builder", "s3cr3t-builder", null, null),
        new Tls(null, null, "/etc/ssl/registry-ca.pem", null))));
    assertThat(node.read(K3S + ".satellite.bak"))
        .isEqualTo(RuntimeRoot.resource("k3s-registries.yaml"));
  }

  @Test
  void edgeTlsAndCredentialsGoUnderConfigsForTheEdgeHost() throws Exception {
    RuntimeRoot node = new RuntimeRoot(temp);

    MirrorReport report = RuntimeMirrors.builder().edge("https://edge.example:8443")
        .runtimeRoot(temp).mirrors("rke2:docker.io")
        .edgeCaFile("/etc/satellite/ca.pem")
        .edgeClientCertificate("/etc/satellite/client.pem", "/etc/satellite/client-key.pem")
        .edgeCredentials("robot$edge", "0123")
        .build().apply();

    assertThat(report.failures()).isEmpty();
    assertThat(K3sRegistriesYaml.parse(node.read(RKE2))).isEqualTo(new K3sRegistriesYaml(
        Map.of("docker.io", new Mirror(List.of("https://edge.example:8443"), null)),
        Map.of("edge.example:8443", new RegistryConfig(new Auth("robot$edge", "0123", null, null),
            new Tls("/etc/satellite/client.pem", "/etc/satellite/client-key.pem",
                "/etc/satellite/ca.pem", false)))));
    assertThat(report.reloadCommands())
        .containsExactly("systemctl try-restart rke2-server rke2-agent");
  }

  @Test
  void aFileWithAPasswordIsOwnerOnlyAndShownMasked() throws Exception {
    RuntimeRoot node = new RuntimeRoot(temp).with(K3S, "k3s-registries.yaml");
    Files.setPosixFilePermissions(node.path(K3S), PosixFilePermissions.fromString("rw-r--r--"));

    MirrorReport report = node.mirrors("k3s:docker.io")
        .edgeCredentials("robot", "edge-pass-123").build().apply();

    assertThat(node.read(K3S)).contains("edge-pass-123", "s3cr3t-builder");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.path(K3S))))
        .isEqualTo("rw-------");
    assertThat(report.changes()).singleElement().satisfies(change -> {
      assertThat(change.unifiedDiff()).doesNotContain("edge-pass-123", "s3cr3t-builder")
          .contains("+      password: <redacted>");
      assertThat(change.before().orElseThrow()).doesNotContain("s3cr3t-builder");
      assertThat(change.after()).doesNotContain("edge-pass-123", "s3cr3t-builder");
    });
  }

  @Test
  void secondRunChangesNothingByteForByte() {
    RuntimeRoot node = new RuntimeRoot(temp).with(K3S, "k3s-registries.yaml");
    RuntimeMirrors mirrors = node.mirrors("k3s:docker.io,quay.io", "rke2:docker.io")
        .edgeCaFile("/etc/satellite/ca.pem").edgeCredentials("robot", "true").build();
    assertThat(mirrors.apply().changes()).hasSize(2);
    Map<String, String> first = node.snapshot();

    MirrorReport second = mirrors.apply();

    assertThat(second.changes()).isEmpty();
    assertThat(second.unchanged()).containsExactly(node.path(K3S), node.path(RKE2));
    assertThat(second.reloadCommands()).isEmpty();
    assertThat(node.snapshot()).isEqualTo(first);
  }

  @Test
  void brokenFilesAreReportedWithTheReasonAndLeftUntouched() {
    assertLeftUntouched("mirrors:\n  docker.io: {}\n  docker.io: {}\n",
        ": not valid YAML: Duplicate field 'docker.io'");
    assertLeftUntouched("mirrors: {}\n---\nconfigs: {}\n", ": holds 2 YAML documents, one was"
        + " expected; left untouched");
    assertLeftUntouched("- docker.io\n", ": its top level is not a mapping; left untouched");
    assertLeftUntouched("mirrors:\n  docker.io:\n    endpoint: https://mirror.example.com\n",
        ": mirrors.docker.io.endpoint is not a list; left untouched");
    assertLeftUntouched("mirrors: [docker.io]\n", ": mirrors is not a mapping; left untouched");
    assertLeftUntouched("mirrors:\n  docker.io:\n    endpoint: [\"https://a\"\n",
        ": not valid YAML: while parsing a flow sequence in 'reader', line 3, column 15:");
    assertLeftUntouched("configs:\n  a: &tls {tls: {ca_file: /ca.pem}}\n  b: *tls\n",
        ": uses an anchor (&tls) at line 2, which this merge cannot keep; write the values out in"
            + " full; left untouched");
    assertLeftUntouched("configs:\n  b:\n    auth:\n      password: !vault abc\n",
        ": uses a tag (!vault) at line 4");
  }

  private void assertLeftUntouched(String content, String reason) {
    RuntimeRoot node = new RuntimeRoot(temp).withText(K3S, content);
    Map<String, String> before = node.snapshot();

    MirrorReport report = node.apply("k3s:docker.io");

    assertThat(report.failures()).singleElement().extracting(FileFailure::reason).asString()
        .startsWith(node.path(K3S) + reason);
    assertThat(report.changes()).isEmpty();
    assertThat(node.snapshot()).isEqualTo(before);
  }

  @Test
  void commentsThatARewriteDropsAreNotedAndKeptInTheBackup() {
    String withComment = "# managed by hand\nmirrors:\n  quay.io:\n    endpoint:\n"
        + "      - https://quay-mirror.example.com\n";
    RuntimeRoot node = new RuntimeRoot(temp).withText(K3S, withComment);

    MirrorReport report = node.apply("k3s:docker.io");

    assertThat(report.notes()).containsExactly("k3s: " + node.path(K3S) + " is rewritten without"
        + " its comments (the previous version is kept as registries.yaml.satellite.bak)");
    assertThat(node.read(K3S + ".satellite.bak")).isEqualTo(withComment);
    assertThat(node.read(K3S)).contains("https://quay-mirror.example.com");
  }

  @Test
  void autoFindsK3sByItsConfigurationDirectoryAndRke2ByItsBinary() throws Exception {
    Files.createDirectories(temp.resolve("etc/rancher/k3s"));
    Files.createDirectories(temp.resolve("usr/local/bin"));
    Files.createFile(temp.resolve("usr/local/bin/rke2"));

    assertThat(RuntimeMirrors.detect(temp))
        .containsExactly(ContainerRuntime.K3S, ContainerRuntime.RKE2);
    MirrorReport report = new RuntimeRoot(temp).apply("auto");

    assertThat(report.changes()).extracting(FileChange::path)
        .containsExactly(temp.resolve(K3S), temp.resolve(RKE2));
  }

  @Test
  void aClientCertificateWithoutItsKeyOrARelativeFileIsRefused() {
    RuntimeRoot node = new RuntimeRoot(temp);
    assertThatThrownBy(() -> node.mirrors("k3s:docker.io")
        .edgeClientCertificate("/etc/satellite/client.pem", " ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a client certificate needs its key and a key its certificate (cert file"
            + " /etc/satellite/client.pem, key file missing)");
    assertThatThrownBy(() -> node.mirrors("k3s:docker.io").edgeCaFile("ca.pem").build())
        .hasMessage("edge TLS file \"ca.pem\" is not an absolute path: the runtime reads it from"
            + " its own working directory");
  }
}
