/**
 * Implementation of the runtimes' mirror configuration: reading and merging each runtime's files,
 * the unified diff of a dry run, and the backed-up atomic write. Not an API: may change without
 * notice.
 */
package dev.satellite.agent.runtime.internal;
