package dev.satellite.agent.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A container runtime whose registry mirror configuration {@link RuntimeMirrors} writes, with the
 * files it reads and the command that makes a running daemon see a change.
 */
public enum ContainerRuntime {
  /**
   * containerd 1.5 and later: one {@code certs.d/<registry>/hosts.toml} per upstream registry,
   * found through {@code config_path} in {@code /etc/containerd/config.toml}. containerd reads the
   * hosts files on every pull; only a change of {@code config.toml} needs a restart.
   */
  CONTAINERD("containerd", "systemctl restart containerd"),
  /** CRI-O: {@code /etc/containers/registries.conf} and its drop-in directory; SIGHUP reloads. */
  CRIO("crio", "systemctl reload crio"),
  /** Podman, Buildah, Skopeo: the same files as CRI-O, read anew by every command. */
  PODMAN("podman", null),
  /**
   * Docker Engine: {@code /etc/docker/daemon.json} {@code registry-mirrors}, which applies to
   * Docker Hub ({@code docker.io}) only, and {@code insecure-registries}; both reloaded on SIGHUP.
   */
  DOCKER("docker", "systemctl reload docker"),
  /**
   * k3s: {@code /etc/rancher/k3s/registries.yaml}, which k3s turns into its embedded containerd's
   * configuration at start-up only; {@code try-restart} restarts whichever of the server ({@code
   * k3s}) and agent ({@code k3s-agent}) units runs on the node.
   */
  K3S("k3s", "systemctl try-restart k3s k3s-agent"),
  /** RKE2: {@code /etc/rancher/rke2/registries.yaml}, read at start-up like k3s's. */
  RKE2("rke2", "systemctl try-restart rke2-server rke2-agent");

  private final String id;
  private final String reloadCommand;

  ContainerRuntime(String id, String reloadCommand) {
    this.id = id;
    this.reloadCommand = reloadCommand;
  }

  /** The name on command lines and in the config state: {@code containerd}, {@code crio}, ... */
  public String id() {
    return id;
  }

  /**
   * The command an operator runs so that the running runtime uses changed files; empty for Podman,
   * which reads them on every command. Run by {@link RuntimeMirrors} only when asked to ({@link
   * RuntimeMirrors.Builder#reloadRuntimes}).
   */
  public Optional<String> reloadCommand() {
    return Optional.ofNullable(reloadCommand);
  }

  /**
   * The runtime named {@code id} ({@code containerd}, {@code crio}, {@code podman}, {@code docker},
   * {@code k3s}, {@code rke2}; case-insensitive).
   *
   * @throws IllegalArgumentException naming the unknown runtime and the known ones
   */
  public static ContainerRuntime of(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    for (ContainerRuntime runtime : values()) {
      if (runtime.id.equals(wanted)) {
        return runtime;
      }
    }
    throw new IllegalArgumentException("unknown container runtime \"" + id + "\" (known: "
        + String.join(", ", Arrays.stream(values()).map(ContainerRuntime::id).toList()) + ")");
  }

  @Override
  public String toString() {
    return id;
  }
}
