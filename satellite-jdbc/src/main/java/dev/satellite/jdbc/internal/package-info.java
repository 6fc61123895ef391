/** The SQL of the checkpoint and lease tables; not an API. */
package dev.satellite.jdbc.internal;
