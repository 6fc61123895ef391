/**
 * Building blocks that depend on nothing else of the agent (the JSON reader settings every file
 * and answer is read with, the wakeable run loop, the state directory and its lock), so that the API packages and every internal
 * package can use them without a package cycle through {@code dev.satellite.agent.internal}. Not
 * an API: may change without notice.
 */
package dev.satellite.agent.internal.support;
