package dev.satellite.persistence;

import dev.satellite.persistence.files.FileOps;
import dev.satellite.persistence.files.SystemFileOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The real file operations, except that chosen steps fail; counts the files it creates. */
final class FaultInjectingFileOps implements FileOps {
  enum Step {
    CREATE,
    WRITE,
    FORCE,
    MOVE,
    MOVE_ASIDE,
    SYNC_DIRECTORY
  }

  private final FileOps real = SystemFileOps.INSTANCE;
  private final Map<Step, Supplier<IOException>> failures = new EnumMap<>(Step.class);
  private int created;

  /** From now on, every call of {@code step} fails with a new exception from {@code failure}. */
  synchronized void failAt(Step step, Supplier<IOException> failure) {
    failures.put(step, failure);
  }

  synchronized void heal() {
    failures.clear();
  }

  /** How many temp files were created: one per save that reached the disk. */
  synchronized int createdFiles() {
    return created;
  }

  @Override
  public synchronized FileChannel createNew(Path path) throws IOException {
    failIfAsked(Step.CREATE);
    FileChannel channel = real.createNew(path);
    created++;
    return channel;
  }

  /** A failing write first writes half of the buffer, as a filling disk does. */
  @Override
  public synchronized void write(FileChannel channel, ByteBuffer buffer) throws IOException {
    if (failures.containsKey(Step.WRITE)) {
      ByteBuffer half = buffer.duplicate();
      half.limit(half.position() + half.remaining() / 2);
      real.write(channel, half);
      failIfAsked(Step.WRITE);
    }
    real.write(channel, buffer);
  }

  @Override
  public synchronized void force(FileChannel channel) throws IOException {
    failIfAsked(Step.FORCE);
    real.force(channel);
  }

  @Override
  public synchronized void moveAtomically(Path source, Path target) throws IOException {
    failIfAsked(Step.MOVE);
    real.moveAtomically(source, target);
  }

  @Override
  public synchronized void moveWithoutReplacing(Path source, Path target) throws IOException {
    failIfAsked(Step.MOVE_ASIDE);
    real.moveWithoutReplacing(source, target);
  }

  @Override
  public synchronized void syncDirectory(Path directory) throws IOException {
    failIfAsked(Step.SYNC_DIRECTORY);
    real.syncDirectory(directory);
  }

  private void failIfAsked(Step step) throws IOException {
    Supplier<IOException> failure = failures.get(step);
    if (failure != null) {
      throw failure.get();
    }
  }
}
