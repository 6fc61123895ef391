/**
 * The file checkpoint store and upload journal, and the crash-safe file primitives they are built
 * on ({@code dev.satellite.persistence.files}, also used by the agent for its own files). The
 * checkpoint codec in {@code dev.satellite.persistence.internal} is not exported.
 */
module dev.satellite.persistence {
  requires transitive dev.satellite.core;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.satellite.persistence;
  exports dev.satellite.persistence.files;
}
