/**
 * A whole satellite in one object: {@code Satellite} owns the wiring of the library's parts (registry
 * clients, state source, replicator, checkpoint store, upload journal), their lifecycle, and the run
 * loop that keeps the edge registry in line with the desired state.
 */
package dev.satellite.agent;
