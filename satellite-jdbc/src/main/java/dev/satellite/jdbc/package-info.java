/**
 * Two or more satellites of one site over one PostgreSQL database: {@link
 * dev.satellite.jdbc.JdbcStateStore}, the checkpoint they share, and {@link
 * dev.satellite.jdbc.PostgresLeaderLease}, which decides the one that syncs and fences the
 * checkpoint writes of the others; {@link dev.satellite.jdbc.StateDatabase} reaches the database
 * and versions its schema.
 */
package dev.satellite.jdbc;
