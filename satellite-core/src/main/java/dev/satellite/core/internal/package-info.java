/**
 * How a sync pass is carried out: the per-group diff ({@code GroupPlan}), the copy phase, the
 * prune decision and its execution, the keeper of what is in place, and report plumbing. Not API:
 * these types may change in any release; use {@link dev.satellite.core.Reconciler}.
 */
package dev.satellite.core.internal;
