/**
 * The model and the reconciler. An application builds a {@link dev.satellite.core.Reconciler} from
 * a {@link dev.satellite.core.StateSource} (where the desired state is read), a
 * {@link dev.satellite.core.Replicator} (what moves images into the edge registry) and a
 * {@link dev.satellite.core.StateStore} (where the {@link dev.satellite.core.Checkpoint} of what is
 * in place survives restarts), then calls {@code sync()} on its own schedule and reads the
 * {@link dev.satellite.core.SyncReport}.
 */
package dev.satellite.core;
