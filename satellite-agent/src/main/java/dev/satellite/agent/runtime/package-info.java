/**
 * Points the node's container runtimes (containerd, CRI-O, Podman, Docker) at the edge registry as
 * a pull-through mirror of named upstream registries: {@link
 * dev.satellite.agent.runtime.RuntimeMirrors} merges each runtime's own configuration files, with a
 * dry run that shows the change as a diff, a backup of every changed file and a restore on failure.
 */
package dev.satellite.agent.runtime;
