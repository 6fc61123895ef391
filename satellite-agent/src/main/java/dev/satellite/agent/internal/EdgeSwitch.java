package dev.satellite.agent.internal;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.core.SatelliteException;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
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
  /** What the config-built edge was built from, or null on the builder's edge. */
  private EdgeSource configEdgeFrom;
  /** What was last found unusable, not tried again until the config changes it. */
  private EdgeSource refusedFrom;
  private String toldUnusedEdge;

  /**
   * What a config-built edge client is made of ({@link EdgeFromConfig}): the URL as resolved
   * ({@code use_unsecure} decides the scheme of one written without) and {@code local_registry}
   * with its credentials. A config whose source is unchanged keeps the client it has.
   */
  private record EdgeSource(String url, SatelliteConfig.LocalRegistry registry) {
    static EdgeSource of(SatelliteConfig config) {
      return new EdgeSource(config.localRegistryUrl().orElseThrow(),
          config.localRegistry().orElseThrow());
    }
  }

  private EdgeSwitch(RegistryClient builderEdge, HttpObserver http,
      Function<RegistryClient, RegistryReplicator> replicators, RegistryClient edge,
      EdgeSource configEdgeFrom) {
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
        return new EdgeSwitch(builderEdge, http, replicators, fromConfig,
            EdgeSource.of(config));
      } catch (RuntimeException e) {
        if (builderEdge == null) {
          throw new SatelliteException("no edge registry: the one Ground Control's config names"
              + " cannot be used: " + e.getMessage(), e);
        }
        log.warn("config: the edge registry it names cannot be used, {} stays: {}",
            builderEdge.registry(), e.getMessage());
        EdgeSwitch edges = new EdgeSwitch(builderEdge, http, replicators, builderEdge, null);
        edges.refusedFrom = EdgeSource.of(config);
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
   * bring_own_registry}, {@code use_unsecure}); an edge it names that cannot be used is logged and
   * the current one stays. A config whose edge source is the one in force, or the one last found
   * unusable, changes nothing.
   */
  @Override
  public void apply(SatelliteConfig previous, SatelliteConfig next) {
    switchFor(next);
  }

  private synchronized void switchFor(SatelliteConfig config) {
    RegistryClient next;
    EdgeSource nextFrom;
    if (!namesTheEdge(config, builderEdge)) {
      tellOfUnusedEdge(config);
      refusedFrom = null;
      if (configEdgeFrom == null) {
        return; // on the builder's edge already
      }
      next = builderEdge;
      nextFrom = null;
    } else {
      nextFrom = EdgeSource.of(config);
      if (nextFrom.equals(configEdgeFrom) || nextFrom.equals(refusedFrom)) {
        return; // the edge in force, or one found unusable already
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
