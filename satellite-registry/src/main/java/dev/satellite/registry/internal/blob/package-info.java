/**
 * Blob transfer, not API: the digest-verifying, resuming download stream and the upload sessions
 * (single streamed {@code PUT}, or {@code PATCH} chunks, committed only after the content hashed to
 * its digest).
 */
package dev.satellite.registry.internal.blob;
