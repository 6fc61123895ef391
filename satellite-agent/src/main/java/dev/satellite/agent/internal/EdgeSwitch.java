package dev.satellite.agent.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge registry a fleet member copies to, as the config names it, and the replicator that
 * writes there.
 *
 * <p><b>Which edge.</b> The config's {@code local_registry.url} replaces the edge given to the
 * builder only with {@code bring_own_registry: true} (without it the URL names the Go satellite's
 * own registry, which this satellite does not run); with no edge given it is the edge ({@link
 * EdgePrecedence}). The edge in force when the satellite starts is chosen from the config it
 * starts with, before the replicator is built; each later config that changes it points the
 * replicator at the new edge ({@link SwitchableReplicator}), whose {@link #generation()} then
 * makes the reconciler's next pass check every image there.
 *
 * <p><b>Ownership.</b> The builder's edge client stays the caller's. An edge client built from the
 * config belongs to this switch: it is closed with the replicator that uses it, once that
 * replicator is replaced and idle, or when this closes. Nothing accumulates while the satellite
 * runs.
 */
public final class EdgeSwitch implements ConfigAppliers.Applier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeSwitch.class);

  private final RegistryClient builderEdge;
  private final HttpObserver http;
  private final Function<RegistryClient, RegistryReplicator> replicators;
  private final SwitchableReplicator replicator;
  private volatile RegistryClient edge;
  /** The URL and {@code local_registry} the config-built edge was built from, or null. */
  private List<Object> configEdgeFrom;
  /** The URL and {@code local_registry} last found unusable, not tried again until they change. */
  private List<Object> refusedFrom;
  private String toldUnusedEdge;

  private EdgeSwitch(RegistryClient builderEdge, HttpObserver http,
      Function<RegistryClient, RegistryReplicator> replicators, RegistryClient edge,
      List<Object> configEdgeFrom) {
    this.builderEdge = builderEdge;
    this.http = http;
    this.replicators = replicators;
    this.edge = edge;
    this.configEdgeFrom = configEdgeFrom;
    this.replicator = new SwitchableReplicator(replicators.apply(edge),
        configEdgeFrom == null ? () -> { } : edge::close);
  }

  /**
   * The switch, on the edge {@code config} names (when it names one that applies), else on
   * {@code builderEdge}.
   *
   * @param builderEdge the edge given to the builder, or null
   * @param config the config the satellite starts with
   * @param configProblem why no config could be read at start, if none could
   * @throws SatelliteException when there is no edge: none given, and the config names none
   */
  public static EdgeSwitch open(RegistryClient builderEdge, SatelliteConfig config,
      Optional<String> configProblem, HttpObserver http,
      Function<RegistryClient, RegistryReplicator> replicators) {
    Objects.requireNonNull(replicators, "replicators");
    if (namesTheEdge(config, builderEdge)) {
      try {
        RegistryClient fromConfig = EdgeFromConfig.build(config, http);
        if (builderEdge != null) {
          log.info("config: images go to {}, as Ground Control's config says, not {}",
              fromConfig.registry(), builderEdge.registry());
        }
        return new EdgeSwitch(builderEdge, http, replicators, fromConfig, from(config));
      } catch (RuntimeException e) {
        if (builderEdge == null) {
          throw new SatelliteException("no edge registry: the one Ground Control's config names"
              + " cannot be used: " + e.getMessage(), e);
        }
        log.warn("config: the edge registry it names cannot be used, {} stays: {}",
            builderEdge.registry(), e.getMessage());
        EdgeSwitch edges = new EdgeSwitch(builderEdge, http, replicators, builderEdge, null);
        edges.refusedFrom = from(config);
        return edges;
      }
    }
    if (builderEdge == null) {
      throw new SatelliteException("no edge registry: give edge(client) to the builder, or have"
          + " Ground Control's config name local_registry.url"
          + configProblem.map(problem -> " (" + problem + ")").orElse(""));
    }
    EdgeSwitch edges = new EdgeSwitch(builderEdge, http, replicators, builderEdge, null);
    edges.tellOfUnusedEdge(config);
    return edges;
  }

  private static boolean namesTheEdge(SatelliteConfig config, RegistryClient builderEdge) {
    return config.localRegistry().isPresent()
        && EdgePrecedence.configNamesTheEdge(builderEdge != null, config.bringOwnRegistry());
  }

  private static List<Object> from(SatelliteConfig config) {
    return List.of(config.localRegistryUrl().orElseThrow(), config.localRegistry().get());
  }

  /** The edge the satellite copies to now. */
  public RegistryClient edge() {
    return edge;
  }

  /** The replicator for the reconciler: always writes to the edge in force. */
  public SwitchableReplicator replicator() {
    return replicator;
  }

  /** Changes with each switch of the edge; for the reconciler's {@code edgeGeneration}. */
  public long generation() {
    return replicator.generation();
  }

  /**
   * Follows a config that may change the edge ({@code local_registry}, {@code
   * bring_own_registry}, {@code use_unsecure}, {@code tls}); an edge it names that cannot be used
   * is logged and the current one stays.
   */
  @Override
  public void apply(SatelliteConfig previous, SatelliteConfig next) {
    if (next.localRegistry().equals(previous.localRegistry())
        && next.bringOwnRegistry() == previous.bringOwnRegistry()
        && next.useUnsecure() == previous.useUnsecure() && next.tls().equals(previous.tls())) {
      return;
    }
    switchFor(next);
  }

  private synchronized void switchFor(SatelliteConfig config) {
    RegistryClient next;
    List<Object> nextFrom;
    if (!namesTheEdge(config, builderEdge)) {
      tellOfUnusedEdge(config);
      refusedFrom = null;
      if (configEdgeFrom == null) {
        return; // on the builder's edge already
      }
      next = builderEdge;
      nextFrom = null;
    } else {
      nextFrom = from(config);
      if (nextFrom.equals(configEdgeFrom) || nextFrom.equals(refusedFrom)) {
        return; // only tls or use_unsecure for Ground Control and Harbor changed, or said already
      }
      try {
        next = EdgeFromConfig.build(config, http);
      } catch (RuntimeException e) {
        refusedFrom = nextFrom;
        log.warn("config: the edge registry it names cannot be used, the current one stays: {}",
            e.getMessage());
        return;
      }
    }
    RegistryClient previous = edge;
    replicator.switchTo(replicators.apply(next), nextFrom == null ? () -> { } : next::close);
    edge = next;
    configEdgeFrom = nextFrom;
    refusedFrom = null;
    log.info("config: images go to {} from now on (was {}); the next pass checks each there",
        next.registry(), previous.registry());
  }

  private void tellOfUnusedEdge(SatelliteConfig config) {
    Optional<String> unused = config.localRegistryUrl();
    if (builderEdge != null && unused.isPresent() && !unused.get().equals(toldUnusedEdge)
        && !EdgePrecedence.configNamesTheEdge(true, config.bringOwnRegistry())) {
      toldUnusedEdge = unused.get();
      log.info("config: local_registry.url {} is not used: the edge given ({}) stays, as"
          + " bring_own_registry is not true", unused.get(), builderEdge.registry());
    }
  }

  /** Closes the replicators, and with them the edge clients built from the config. */
  @Override
  public void close() {
    replicator.close();
  }
}
