/**
 * Crash-safe file primitives the stores of this module are built on, for other files an
 * application (or the satellite agent) keeps next to them:
 *
 * <ul>
 *   <li>{@link dev.satellite.persistence.files.AtomicFileReplacer}: replaces one file so that a
 *       crash at any instant leaves the old or the new content, never a mix (unique temp file in
 *       the same directory, {@code fsync}, atomic rename, {@code fsync} of the directory; no
 *       non-atomic fallback);
 *   <li>{@link dev.satellite.persistence.files.OwnerLock}: exclusive ownership of a file or
 *       directory by one owner, against other processes (an OS lock the OS releases even on
 *       SIGKILL) and against a second owner in the same JVM;
 *   <li>{@link dev.satellite.persistence.files.FileOps}: the file-system steps those are made of;
 *       {@link dev.satellite.persistence.files.SystemFileOps} does them on the default file
 *       system (optionally creating files readable by their owner only), and a substitute proves
 *       what happens when one step fails.
 * </ul>
 *
 * Failures are {@link dev.satellite.core.StateStoreException}s naming the file and the step.
 */
package dev.satellite.persistence.files;
