/**
 * Implementation of the checkpoint file: its streaming JSON codec and checksum, the atomic replace
 * protocol, the lock, and quarantine of unusable files. Not an API: may change without notice.
 */
package dev.satellite.persistence.internal;
