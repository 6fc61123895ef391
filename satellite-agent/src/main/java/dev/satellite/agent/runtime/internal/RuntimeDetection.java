package dev.satellite.agent.runtime.internal;

import dev.satellite.agent.runtime.ContainerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which runtimes a node has, from their configuration directories and API sockets under the
 * runtime root. A configuration directory is there from the runtime's package on; a socket only
 * while the daemon runs, so either is enough.
 */
public final class RuntimeDetection {
  /** For each runtime, the paths (relative to the root) any one of which shows it is present. */
  public static final Map<ContainerRuntime, List<String>> MARKERS = Map.of(
      ContainerRuntime.CONTAINERD, List.of("etc/containerd", "run/containerd/containerd.sock"),
      ContainerRuntime.CRIO, List.of("etc/crio", "run/crio/crio.sock", "var/run/crio/crio.sock"),
      ContainerRuntime.PODMAN, List.of("etc/containers/registries.conf", "run/podman/podman.sock",
          "usr/bin/podman"),
      ContainerRuntime.DOCKER, List.of("etc/docker", "run/docker.sock", "var/run/docker.sock"));

  private RuntimeDetection() {}

  /** The runtimes present under {@code root}, in {@link ContainerRuntime} order. */
  public static Set<ContainerRuntime> detect(Path root) {
    Set<ContainerRuntime> present = EnumSet.noneOf(ContainerRuntime.class);
    MARKERS.forEach((runtime, markers) -> {
      if (markers.stream().anyMatch(marker -> Files.exists(root.resolve(marker)))) {
        present.add(runtime);
      }
    });
    return present;
  }
}
