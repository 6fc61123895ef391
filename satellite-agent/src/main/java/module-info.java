/**
 * The satellite: wiring, lifecycle and run loop, the Ground Control client, typed configuration,
 * metrics, audit, health and runtime mirror configuration. Exports its API packages only; the
 * {@code internal} packages stay closed.
 *
 * <p>Micrometer ({@code SatelliteMetrics} is a {@code MeterBinder}) and java-spiffe ({@code
 * GroundControlClient.Builder.spiffe} takes an {@code X509Source}) are in the API, so they are
 * required transitively. java-spiffe has no module name of its own: its names are derived from
 * its jar files' names.
 */
module dev.satellite.agent {
  requires transitive dev.satellite.core;
  requires transitive dev.satellite.persistence;
  requires transitive dev.satellite.registry;
  requires transitive micrometer.core;
  requires transitive java.spiffe.core;
  requires java.spiffe.provider;
  requires com.electronwill.nightconfig.core;
  requires com.electronwill.nightconfig.toml;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;
  requires jdk.management;

  exports dev.satellite.agent;
  exports dev.satellite.agent.audit;
  exports dev.satellite.agent.config;
  exports dev.satellite.agent.groundcontrol;
  exports dev.satellite.agent.groundcontrol.spiffe;
  exports dev.satellite.agent.health;
  exports dev.satellite.agent.metrics;
  exports dev.satellite.agent.runtime;
}
