package dev.satellite.agent.runtime.internal;

import dev.satellite.agent.runtime.ContainerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which runtimes a node has, from their configuration directories, API sockets and binaries under
 * the runtime root. A configuration directory is there from the runtime's package on; a socket only
 * while the daemon runs, so either is enough. k3s and RKE2 are single binaries whose installer may
 * not have created {@code /etc/rancher/<name>} yet, so their binary counts too.
 */
public final class RuntimeDetection {
  /** For each runtime, the paths (relative to the root) any one of which shows it is present. */
  public static final Map<ContainerRuntime, List<String>> MARKERS = Map.of(
      ContainerRuntime.CONTAINERD, List.of("etc/containerd", "run/containerd/containerd.sock"),
      ContainerRuntime.CRIO, List.of("etc/crio", "run/crio/crio.sock", "var/run/crio/crio.sock"),
      ContainerRuntime.PODMAN, List.of("etc/containers/registries.conf", "run/podman/podman.sock",
          "usr/bin/podman"),
      ContainerRuntime.DOCKER, List.of("etc/docker", "run/docker.sock", "var/run/docker.sock"),
      ContainerRuntime.K3S, List.of("etc/rancher/k3s", "usr/local/bin/k3s", "usr/bin/k3s"),
      ContainerRuntime.RKE2, List.of("etc/rancher/rke2", "usr/local/bin/rke2", "usr/bin/rke2",
          "opt/rke2/bin/rke2"));

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

  /**
   * The registries each runtime mirrors: {@code explicit}'s, plus {@code detectedRegistries} for
   * every runtime found under {@code root} ({@code _default} for containerd only; finding none is
   * a failure of {@code plan}).
   */
  public static Map<ContainerRuntime, List<String>> withDetected(Path root,
      Map<ContainerRuntime, List<String>> explicit, List<String> detectedRegistries,
      MirrorPlan plan) {
    Map<ContainerRuntime, List<String>> wanted = new EnumMap<>(ContainerRuntime.class);
    wanted.putAll(explicit);
    if (!detectedRegistries.isEmpty()) {
      Set<ContainerRuntime> present = detect(root);
      if (present.isEmpty()) {
        plan.fail(root, root + ": no container runtime found (looked for "
            + String.join(", ", MARKERS.values().stream().flatMap(List::stream)
                .toList()) + ")");
      }
      for (ContainerRuntime runtime : present) {
        List<String> registries = new ArrayList<>(detectedRegistries);
        if (runtime != ContainerRuntime.CONTAINERD
            && registries.remove(RegistryNames.CONTAINERD_DEFAULT)) {
          plan.note(runtime + ": " + RegistryNames.CONTAINERD_DEFAULT + " is containerd's alone,"
              + " not mirrored");
        }
        wanted.put(runtime, RegistryNames.union(wanted.get(runtime), registries));
      }
    }
    return wanted;
  }
}
