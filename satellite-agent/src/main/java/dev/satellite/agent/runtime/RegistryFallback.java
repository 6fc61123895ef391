package dev.satellite.agent.runtime;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.agent.runtime.internal.EdgeRegistry;
import dev.satellite.agent.runtime.internal.RegistryNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the config's {@code registry_fallback} settings ({@link SatelliteConfig#registryFallback})
 * to the node's container runtimes, as Harbor Satellite does when Ground Control switches a node
 * over. Ground Control publishes them under {@code app_config}:
 *
 * <pre>{@code
 * {"app_config": {"registry_fallback": {"enabled": true,
 *                                       "registries": ["docker.io", "quay.io"],
 *                                       "runtimes": ["containerd", "docker"]}}}
 * }</pre>
 *
 * <p>It takes the config the satellite has already read (install it with {@code
 * Satellite.Builder.satelliteConfigListener}); reading the document, and keeping the previous
 * value of a field that is invalid, is {@link SatelliteConfig#read}'s job. Runtimes left out (or
 * {@code "auto"}) mean every runtime found under the runtime root; no registries mean {@code
 * docker.io}, as in Harbor Satellite; Docker is given {@code docker.io} only. Disabled settings
 * change nothing (files written before stay).
 *
 * <p>When a runtime or registry name is unknown, or a file could not be changed, {@link #accept}
 * throws {@link RuntimeMirrorException}: the sync reports the error and, since the config digest is
 * then not checkpointed, the settings are applied again next pass. Reload commands are logged,
 * and run only by {@link #reloadingRuntimes()}. An edge the config names ({@link #toConfiguredEdge}) is reached with the config's
 * {@code tls} files and {@code local_registry} credentials where a runtime's file carries them
 * (k3s's and RKE2's {@code configs}).
 */
public final class RegistryFallback implements Consumer<SatelliteConfig> {
  private static final Logger log = LoggerFactory.getLogger(RegistryFallback.class);
  private static final String WHERE = "registry_fallback";

  private final Optional<String> edgeUrl;
  private final Path runtimeRoot;
  private final boolean reload;
  private final Consumer<MirrorReport> reports;

  /**
   * @param edgeUrl the edge registry the runtimes pull from
   * @param runtimeRoot the directory every runtime path is taken under ({@code /} on a node)
   * @throws IllegalArgumentException when {@code edgeUrl} cannot be a runtime mirror
   */
  public RegistryFallback(String edgeUrl, Path runtimeRoot) {
    this(Optional.of(edgeUrl), runtimeRoot, false, report -> {});
    EdgeRegistry.parse(edgeUrl);
  }

  private RegistryFallback(Optional<String> edgeUrl, Path runtimeRoot, boolean reload,
      Consumer<MirrorReport> reports) {
    this.edgeUrl = edgeUrl;
    this.runtimeRoot = Objects.requireNonNull(runtimeRoot, "runtimeRoot");
    this.reload = reload;
    this.reports = reports;
  }

  /**
   * Runtimes pull from the edge registry each config names ({@link
   * SatelliteConfig#localRegistryUrl()}), as for a satellite whose edge comes from its config; a
   * config that enables {@code registry_fallback} without naming one is refused by {@link
   * #accept}.
   *
   * @param runtimeRoot the directory every runtime path is taken under ({@code /} on a node)
   */
  public static RegistryFallback toConfiguredEdge(Path runtimeRoot) {
    return new RegistryFallback(Optional.empty(), runtimeRoot, false, report -> {});
  }

  /**
   * The same settings applied with the runtimes reloaded ({@link
   * RuntimeMirrors.Builder#reloadRuntimes}): a reload that fails puts that runtime's files back
   * and fails the config step, so the pass reports it and the settings are tried again.
   */
  public RegistryFallback reloadingRuntimes() {
    return new RegistryFallback(edgeUrl, runtimeRoot, true, reports);
  }

  /**
   * The same settings, each application's {@link MirrorReport} also handed to {@code consumer}
   * (e.g. an audit log) before a failure is thrown.
   */
  public RegistryFallback reportingTo(Consumer<MirrorReport> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return new RegistryFallback(edgeUrl, runtimeRoot, reload, reports.andThen(consumer));
  }

  /**
   * Applies {@code config}'s {@code registry_fallback}.
   *
   * @throws RuntimeMirrorException naming what was wrong, when the settings could not be applied
   */
  @Override
  public void accept(SatelliteConfig config) {
    SatelliteConfig.RegistryFallback settings = config.registryFallback();
    if (!settings.enabled()) {
      log.debug("{} is disabled: runtime mirror configuration left as it is", WHERE);
      return;
    }
    List<String> registries = settings.registries();
    if (registries.isEmpty()) {
      log.info("{} names no registries: mirroring {}", WHERE, RegistryNames.DOCKER_HUB);
      registries = List.of(RegistryNames.DOCKER_HUB);
    }
    String edge = edgeUrl.or(config::localRegistryUrl).orElseThrow(() ->
        new RuntimeMirrorException(WHERE + " is enabled but the config names no"
            + " local_registry.url: there is no edge registry for the runtimes to pull from"));
    MirrorReport report = apply(edge, registries, settings.runtimes(),
        edgeUrl.isEmpty() ? config : null);
    reports.accept(report);
    report.changes().forEach(change -> log.info("runtime mirrors: changed {}", change.path()));
    report.notes().forEach(note -> log.info("runtime mirrors: {}", note));
    if (reload) {
      report.reloads().stream().filter(RuntimeReload::succeeded).forEach(done ->
          log.info("runtime mirrors: reloaded {} (`{}`)", done.runtime(),
              String.join(" ", done.command())));
    } else {
      report.reloadCommands().forEach(command ->
          log.warn("runtime mirrors changed: run `{}` to apply them", command));
    }
    if (!report.ok()) {
      List<String> reasons = new ArrayList<>();
      report.reloads().forEach(r -> r.failure().ifPresent(reasons::add));
      report.failures().stream().map(FileFailure::reason).forEach(reasons::add);
      throw new RuntimeMirrorException(WHERE + ": " + String.join("; ", reasons));
    }
  }

  private MirrorReport apply(String edge, List<String> registries, List<String> runtimes,
      SatelliteConfig configuredEdge) {
    try {
      RuntimeMirrors.Builder builder =
          RuntimeMirrors.builder().edge(edge).runtimeRoot(runtimeRoot).reloadRuntimes(reload);
      if (configuredEdge != null) {
        withEdgeAccess(builder, configuredEdge);
      }
      if (runtimes.isEmpty() || runtimes.stream().anyMatch(r -> r.equalsIgnoreCase("auto"))) {
        builder.mirrorDetected(registries);
      }
      for (String id : runtimes) {
        if (id.equalsIgnoreCase("auto")) {
          continue;
        }
        ContainerRuntime runtime = ContainerRuntime.of(id);
        List<String> wanted = new ArrayList<>(registries);
        if (runtime == ContainerRuntime.DOCKER) {
          wanted.removeIf(r -> !RegistryNames.require(r).equals(RegistryNames.DOCKER_HUB));
          if (wanted.isEmpty()) {
            log.info("{}: docker mirrors docker.io only, none named", WHERE);
            continue;
          }
        }
        builder.mirror(runtime, wanted);
      }
      return builder.build().apply();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new RuntimeMirrorException(WHERE + ": " + e.getMessage(), e);
    }
  }

  /** The edge's {@code tls} files and {@code local_registry} credentials, as the config names them. */
  private static void withEdgeAccess(RuntimeMirrors.Builder builder, SatelliteConfig config) {
    SatelliteConfig.Tls tls = config.tls();
    tls.caFile().ifPresent(builder::edgeCaFile);
    if (tls.certFile().isPresent() || tls.keyFile().isPresent()) {
      builder.edgeClientCertificate(tls.certFile().orElse(""), tls.keyFile().orElse(""));
    }
    builder.edgeInsecureSkipVerify(tls.skipVerify());
    config.localRegistry().filter(local -> !local.username().isEmpty())
        .ifPresent(local -> builder.edgeCredentials(local.username(), local.password()));
  }
}
