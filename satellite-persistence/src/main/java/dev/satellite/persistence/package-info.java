/**
 * Crash-safe persistence of the sync checkpoint: {@link
 * dev.satellite.persistence.AtomicFileStateStore}, a {@link dev.satellite.core.StateStore} backed
 * by one checksummed JSON file that is replaced atomically and locked against a second writer.
 */
package dev.satellite.persistence;
