/**
 * Implementation of the checkpoint file and the upload journal: their streaming JSON codecs and
 * checksum, and quarantine of unusable files (the atomic replace and the lock are in {@link
 * dev.satellite.persistence.files}). Not an API: may change without notice.
 */
package dev.satellite.persistence.internal;
