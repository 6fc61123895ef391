package dev.satellite.agent.runtime;

import dev.satellite.agent.runtime.internal.CommandRunner;
import dev.satellite.agent.runtime.internal.ContainerdMirrors;
import dev.satellite.agent.runtime.internal.DockerMirrors;
import dev.satellite.agent.runtime.internal.EdgeAccess;
import dev.satellite.agent.runtime.internal.EdgeRegistry;
import dev.satellite.agent.runtime.internal.MirrorPlan;
import dev.satellite.agent.runtime.internal.PlanWriter;
import dev.satellite.agent.runtime.internal.RegistriesConfMirrors;
import dev.satellite.agent.runtime.internal.RegistriesYamlMirrors;
import dev.satellite.agent.runtime.internal.RegistryNames;
import dev.satellite.agent.runtime.internal.RuntimeDetection;
import dev.satellite.persistence.files.FileOps;
import dev.satellite.persistence.files.SystemFileOps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Points the node's container runtimes at the edge registry: each named upstream registry gets the
 * edge as its first mirror, the upstream itself kept as the fallback.
 *
 * <pre>{@code
 * MirrorReport report = RuntimeMirrors.builder()
 *     .edge("http://127.0.0.1:5000")
 *     .mirrors("containerd:docker.io,quay.io")
 *     .mirrors("auto:docker.io")          // every runtime found under the root
 *     .build()
 *     .apply();
 * report.reloadCommands().forEach(System.out::println);   // run only with reloadRuntimes(true)
 * }</pre>
 *
 * <p>Files written (paths under {@link Builder#runtimeRoot}, {@code /} by default):
 *
 * <ul>
 *   <li>containerd: {@code /etc/containerd/certs.d/<registry>/hosts.toml}, and {@code config_path}
 *       in {@code /etc/containerd/config.toml} when it is not set;
 *   <li>CRI-O and Podman: the drop-in {@code
 *       /etc/containers/registries.conf.d/99-satellite-mirrors.conf};
 *   <li>Docker: {@code registry-mirrors} (Docker Hub only) and {@code insecure-registries} in
 *       {@code /etc/docker/daemon.json};
 *   <li>k3s and RKE2: {@code mirrors.<registry>.endpoint} in {@code
 *       /etc/rancher/k3s/registries.yaml} and {@code /etc/rancher/rke2/registries.yaml}, and
 *       {@code configs.<edge>} for the edge's TLS files and credentials when they are given
 *       ({@link Builder#edgeCaFile}, {@link Builder#edgeCredentials}, ...).
 * </ul>
 *
 * <p>Every file is merged, never templated: tables, keys and entries another tool put there stay.
 * A file that already holds the configuration is not touched, so a second run changes nothing,
 * byte for byte. A file that does not parse, or whose merge would change anything but our
 * entries, is reported and left untouched; a write that fails or does not read back as merged
 * puts the previous version back. The previous version of every changed file is kept beside it as
 * {@code <name>.satellite.bak}. TOML files are rewritten in one layout: see the README for what
 * that keeps of comments; YAML files keep none (a note says so). A file holding a password is
 * shown in {@link FileChange} with it masked and made readable by its owner only. Instances are
 * immutable; {@link #apply()} may be called again.
 */
public final class RuntimeMirrors {
  private final EdgeRegistry edge;
  private final EdgeAccess access;
  private final Path root;
  private final boolean dryRun;
  private final Map<ContainerRuntime, List<String>> explicit;
  private final List<String> detectedRegistries;
  private final FileOps fileOps;
  private final boolean reload;
  private final Map<ContainerRuntime, List<String>> reloadCommands;
  private final Duration reloadTimeout;

  private RuntimeMirrors(Builder builder) {
    this.edge = builder.edge;
    this.access = builder.access();
    this.root = builder.root;
    this.dryRun = builder.dryRun;
    this.explicit = copy(builder.explicit);
    this.detectedRegistries = List.copyOf(builder.detectedRegistries);
    this.fileOps = builder.fileOps;
    this.reload = builder.reload;
    this.reloadCommands = copy(builder.reloadCommands);
    this.reloadTimeout = builder.reloadTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The runtimes present under {@code root}: their configuration directories or API sockets
   * ({@code etc/containerd}, {@code run/containerd/containerd.sock}, {@code etc/crio}, {@code
   * etc/containers/registries.conf}, {@code etc/docker}, {@code run/docker.sock}, ...).
   */
  public static Set<ContainerRuntime> detect(Path root) {
    return RuntimeDetection.detect(root);
  }

  /**
   * Works out each runtime's files and, unless this is a dry run, writes the changed ones. Never
   * throws for a file that cannot be changed: that is a {@link MirrorReport#failures() failure}.
   */
  public MirrorReport apply() {
    MirrorPlan plan = new MirrorPlan();
    Map<ContainerRuntime, List<String>> wanted =
        RuntimeDetection.withDetected(root, explicit, detectedRegistries, plan);
    List<String> containerRegistries = RegistryNames.union(wanted.get(ContainerRuntime.CRIO),
        wanted.get(ContainerRuntime.PODMAN));
    List<ContainerRuntime> containerRuntimes = new ArrayList<>();
    for (ContainerRuntime runtime : List.of(ContainerRuntime.CRIO, ContainerRuntime.PODMAN)) {
      if (wanted.containsKey(runtime)) {
        containerRuntimes.add(runtime);
      }
    }
    if (wanted.containsKey(ContainerRuntime.CONTAINERD)) {
      ContainerdMirrors.plan(root, edge, wanted.get(ContainerRuntime.CONTAINERD), plan);
    }
    if (!containerRuntimes.isEmpty()) {
      RegistriesConfMirrors.plan(root, edge, containerRegistries, containerRuntimes, plan);
    }
    if (wanted.containsKey(ContainerRuntime.DOCKER)) {
      DockerMirrors.plan(root, edge, wanted.get(ContainerRuntime.DOCKER), plan);
    }
    for (ContainerRuntime runtime : List.of(ContainerRuntime.K3S, ContainerRuntime.RKE2)) {
      if (wanted.containsKey(runtime)) {
        RegistriesYamlMirrors.plan(root, runtime, edge, access, wanted.get(runtime), plan);
      }
    }
    return new PlanWriter(fileOps, reloadCommands,
        reload ? Optional.of(new CommandRunner(reloadTimeout)) : Optional.empty())
        .carryOut(plan, dryRun);
  }

  private static Map<ContainerRuntime, List<String>> copy(Map<ContainerRuntime, List<String>> m) {
    Map<ContainerRuntime, List<String>> copy = new EnumMap<>(ContainerRuntime.class);
    m.forEach((runtime, registries) -> copy.put(runtime, List.copyOf(registries)));
    return copy;
  }

  /** Collects the edge, the root and which registries each runtime mirrors. */
  public static final class Builder {
    private EdgeRegistry edge;
    private Optional<String> caFile = Optional.empty();
    private Optional<String> certFile = Optional.empty();
    private Optional<String> keyFile = Optional.empty();
    private boolean insecureSkipVerify;
    private Optional<String> username = Optional.empty();
    private Optional<String> password = Optional.empty();
    private Path root = Path.of("/");
    private boolean dryRun;
    private final Map<ContainerRuntime, List<String>> explicit =
        new EnumMap<>(ContainerRuntime.class);
    private final List<String> detectedRegistries = new ArrayList<>();
    private FileOps fileOps = SystemFileOps.INSTANCE;
    private boolean reload;
    private final Map<ContainerRuntime, List<String>> reloadCommands =
        new EnumMap<>(ContainerRuntime.class);
    private Duration reloadTimeout = Duration.ofMinutes(2);

    private Builder() {
      for (ContainerRuntime runtime : ContainerRuntime.values()) {
        runtime.reloadCommand().ifPresent(command ->
            reloadCommands.put(runtime, List.of(command.split(" "))));
      }
    }

    /**
     * The edge registry, {@code http://HOST:PORT} or {@code https://HOST[:PORT]}, without a path:
     * the runtimes ask it for the upstream repository paths unchanged. A plain-HTTP edge is
     * written as insecure where a runtime needs that said.
     *
     * @throws IllegalArgumentException naming what is wrong with {@code url}
     */
    public Builder edge(String url) {
      this.edge = EdgeRegistry.parse(Objects.requireNonNull(url, "url"));
      return this;
    }

    /**
     * The CA bundle (PEM, an absolute path on the node) that verifies the edge's certificate,
     * written where a runtime's mirror configuration carries it (k3s, RKE2).
     */
    public Builder edgeCaFile(String path) {
      this.caFile = Optional.of(Objects.requireNonNull(path, "path"));
      return this;
    }

    /** The client certificate and its key (PEM, absolute paths) the runtime shows the edge. */
    public Builder edgeClientCertificate(String certFile, String keyFile) {
      this.certFile = Optional.of(Objects.requireNonNull(certFile, "certFile"));
      this.keyFile = Optional.of(Objects.requireNonNull(keyFile, "keyFile"));
      return this;
    }

    /** The runtime pulls from the edge without verifying its certificate; never implied. */
    public Builder edgeInsecureSkipVerify(boolean insecureSkipVerify) {
      this.insecureSkipVerify = insecureSkipVerify;
      return this;
    }

    /**
     * The user the runtime pulls from the edge as (k3s, RKE2): written to a file readable by its
     * owner only, and masked in every {@link FileChange}.
     */
    public Builder edgeCredentials(String username, String password) {
      this.username = Optional.of(Objects.requireNonNull(username, "username"));
      this.password = Optional.of(Objects.requireNonNull(password, "password"));
      return this;
    }

    /** The directory every path is taken under; {@code /} by default (tests, image builds). */
    public Builder runtimeRoot(Path root) {
      this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
      return this;
    }

    /** Work out every change and report it, but write nothing. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Mirrors {@code registries} for {@code runtime}. containerd also takes {@code _default}
     * (every registry without its own directory); Docker takes {@code docker.io} only.
     *
     * @throws IllegalArgumentException for a registry name that is not {@code HOST[:PORT]}, or one
     *     the runtime cannot mirror
     */
    public Builder mirror(ContainerRuntime runtime, Collection<String> registries) {
      Objects.requireNonNull(runtime, "runtime");
      List<String> names = names(registries);
      for (String name : names) {
        if (name.equals(RegistryNames.CONTAINERD_DEFAULT)
            && runtime != ContainerRuntime.CONTAINERD) {
          throw new IllegalArgumentException(RegistryNames.CONTAINERD_DEFAULT
              + " is containerd's alone, " + runtime + " cannot mirror it");
        }
        if (runtime == ContainerRuntime.DOCKER && !name.equals(RegistryNames.DOCKER_HUB)) {
          throw new IllegalArgumentException("docker cannot mirror " + name + ": Docker Engine's"
              + " registry-mirrors applies to Docker Hub (docker.io) only");
        }
      }
      explicit.put(runtime, RegistryNames.union(explicit.get(runtime), names));
      return this;
    }

    /**
     * Mirrors {@code registries} for every runtime {@link #detect found} under the root when
     * {@link #build() applied}. A registry a found runtime cannot mirror (anything but {@code
     * docker.io} for Docker) becomes a note.
     *
     * @throws IllegalArgumentException for a registry name that is not {@code HOST[:PORT]}
     */
    public Builder mirrorDetected(Collection<String> registries) {
      for (String name : names(registries)) {
        if (!detectedRegistries.contains(name)) {
          detectedRegistries.add(name);
        }
      }
      return this;
    }

    /**
     * Adds one {@code --mirrors} value: {@code <runtime>:<registry>[,<registry>...]}, or {@code
     * auto[:<registry>[,<registry>...]]} for every runtime found ({@code auto} alone: {@code
     * docker.io}). Runtimes: {@code containerd}, {@code crio}, {@code podman}, {@code docker},
     * {@code k3s}, {@code rke2}.
     *
     * @throws IllegalArgumentException with a one-line reason for a malformed value
     */
    public Builder mirrors(String spec) {
      String value = Objects.requireNonNull(spec, "spec").trim();
      int colon = value.indexOf(':');
      String runtime = colon < 0 ? value : value.substring(0, colon);
      if (colon < 0 && !runtime.equalsIgnoreCase("auto")) {
        throw new IllegalArgumentException("--mirrors \"" + spec + "\" names no registry"
            + " (expected <runtime>:<registry>[,<registry>...] or auto)");
      }
      List<String> registries = colon < 0
          ? List.of(RegistryNames.DOCKER_HUB) : List.of(value.substring(colon + 1).split(",", -1));
      if (runtime.equalsIgnoreCase("auto")) {
        return mirrorDetected(registries);
      }
      return mirror(ContainerRuntime.of(runtime), registries);
    }

    /**
     * Runs the reload command of each runtime whose files changed (off by default: the commands
     * are then only {@link MirrorReport#reloadCommands() reported}). A command that fails has
     * that runtime's changed files put back and is run again: see {@link RuntimeReload}.
     */
    public Builder reloadRuntimes(boolean reload) {
      this.reload = reload;
      return this;
    }

    /**
     * The command that reloads {@code runtime} instead of {@link ContainerRuntime#reloadCommand()}
     * (a node without systemd, a unit of another name), one argument per element, run without a
     * shell.
     *
     * @throws IllegalArgumentException for an empty command
     */
    public Builder reloadCommand(ContainerRuntime runtime, List<String> command) {
      if (command.isEmpty() || command.get(0).isBlank()) {
        throw new IllegalArgumentException("empty reload command for " + runtime);
      }
      reloadCommands.put(Objects.requireNonNull(runtime, "runtime"), List.copyOf(command));
      return this;
    }

    /** How long a reload command may run before it is killed and counted failed; 2 minutes. */
    public Builder reloadTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("reload timeout must be positive: " + timeout);
      }
      this.reloadTimeout = timeout;
      return this;
    }

    /** Test seam: the file-system steps of each write. */
    Builder fileOps(FileOps fileOps) {
      this.fileOps = Objects.requireNonNull(fileOps, "fileOps");
      return this;
    }

    /**
     * @throws IllegalStateException when the edge or every mirror is missing
     * @throws IllegalArgumentException when a TLS file is not an absolute path
     */
    public RuntimeMirrors build() {
      if (edge == null) {
        throw new IllegalStateException("no edge registry given (edge(url))");
      }
      access();
      if (explicit.isEmpty() && detectedRegistries.isEmpty()) {
        throw new IllegalStateException("no registry to mirror given (mirror, mirrorDetected)");
      }
      return new RuntimeMirrors(this);
    }

    private EdgeAccess access() {
      return new EdgeAccess(caFile, certFile, keyFile, insecureSkipVerify, username, password);
    }

    private static List<String> names(Collection<String> registries) {
      Objects.requireNonNull(registries, "registries");
      if (registries.isEmpty()) {
        throw new IllegalArgumentException("no registry named");
      }
      Set<String> names = new LinkedHashSet<>();
      for (String registry : registries) {
        if (registry == null || registry.isBlank()) {
          throw new IllegalArgumentException("empty registry name in " + registries);
        }
        names.add(RegistryNames.require(registry));
      }
      return List.copyOf(names);
    }
  }
}
