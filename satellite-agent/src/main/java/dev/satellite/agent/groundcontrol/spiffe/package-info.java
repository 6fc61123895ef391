/**
 * Joining a SPIFFE-secured Harbor Satellite fleet: {@link
 * dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions} names the SPIRE agent's Workload API and
 * Ground Control's expected SPIFFE ID; registration and heartbeats then go over mutual TLS with the
 * satellite's X.509 SVID.
 */
package dev.satellite.agent.groundcontrol.spiffe;
