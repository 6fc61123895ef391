package dev.satellite.jdbc.internal;

import dev.satellite.core.Checkpoint;

/**
 * A checkpoint as one generation of its rows holds it.
 *
 * @param epoch the epoch its writer held (0: written without a lease)
 * @param generation bumped by every save; a save whose base is this generation writes only what
 *     changed
 */
public record StoredCheckpoint(Checkpoint checkpoint, long epoch, long generation) {}
