package dev.satellite.agent.internal;

/**
 * Whether a config's {@code local_registry.url} is the edge images go to. In the Go satellite
 * {@code bring_own_registry: false} means the URL names the satellite's own embedded registry
 * (Ground Control's default is {@code http://127.0.0.1:8585}); this satellite runs none, so such a
 * URL never moves the images away from an edge given on the command line (or to the builder). It
 * is the edge when the operator brings that registry ({@code bring_own_registry: true}), or when
 * no edge was given at all.
 */
final class EdgePrecedence {
  private EdgePrecedence() {}

  /**
   * @param edgeGiven whether the builder (the command line's {@code --destination}) named an edge
   * @param bringOwnRegistry the config's {@code bring_own_registry}
   */
  static boolean configNamesTheEdge(boolean edgeGiven, boolean bringOwnRegistry) {
    return !edgeGiven || bringOwnRegistry;
  }
}
