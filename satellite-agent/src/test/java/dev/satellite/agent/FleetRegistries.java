package dev.satellite.agent;

import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StatePublisher;
import dev.satellite.testing.DistributionRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The real registries of a fleet test: Harbor (the upstream, with Basic auth for the robot account
 * Ground Control hands out) and the edge, a client of each, and Ground Control's publisher of
 * satellite edge-1's states. {@link #close} closes what the test handed to {@link #closeLater},
 * newest first, then the clients and the registries; best effort, as a test's clean-up must not
 * hide its failure.
 */
final class FleetRegistries implements AutoCloseable {
  final DistributionRegistry upstreamRegistry;
  final DistributionRegistry edgeRegistry;
  /** Ground Control's side of Harbor: it pushes images and publishes states. */
  final RegistryClient upstream;
  final RegistryClient edge;
  final StatePublisher publisher;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  private FleetRegistries(String robot, String password, boolean followRotation) {
    upstreamRegistry = DistributionRegistry.builder().basicAuth(robot, password).start();
    edgeRegistry = DistributionRegistry.builder().start();
    RegistryClient.Builder upstreamClient = RegistryClient.builder(upstreamRegistry.baseUrl());
    upstream = (followRotation
        ? upstreamClient.credentials(() -> Credentials.basic(robot, upstreamRegistry.password()))
        : upstreamClient.credentials(Credentials.basic(robot, password))).build();
    edge = RegistryClient.builder(edgeRegistry.baseUrl()).build();
    publisher = StatePublisher.builder(upstream).sourceClientFactory(url -> upstream).build();
  }

  /** Harbor where {@code robot} signs in with {@code password}, and an empty edge. */
  static FleetRegistries start(String robot, String password) {
    return new FleetRegistries(robot, password, false);
  }

  /**
   * As {@link #start}, for tests that rotate the robot's secret: Ground Control's client always
   * signs in with the secret Harbor holds at the moment.
   */
  static FleetRegistries startFollowingRotation(String robot, String password) {
    return new FleetRegistries(robot, password, true);
  }

  /** Where Ground Control publishes edge-1's satellite state. */
  String stateReference() {
    return upstreamRegistry.baseUrl() + "/satellite/satellite-state/edge-1/state:latest";
  }

  /** Images and states of edge-1, published on this Harbor. */
  FleetStates states() {
    return new FleetStates(upstreamRegistry, publisher);
  }

  /** Closes {@code closeable} with the registries, before them and before anything given earlier. */
  <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>(toClose);
    Collections.reverse(all);
    all.addAll(List.of(upstream, edge, upstreamRegistry, edgeRegistry));
    for (AutoCloseable closeable : all) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // best effort: the next one is still closed
      }
    }
  }
}
