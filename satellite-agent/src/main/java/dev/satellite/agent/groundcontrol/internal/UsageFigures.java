package dev.satellite.agent.groundcontrol.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The figures a heartbeat may carry, each read only when the config's {@code metrics.collect_*}
 * flag asks for it: memory in use by this JVM (heap and non-heap), storage in use on the file
 * system holding the state directory, and this process's CPU use in percent. A figure the platform
 * cannot give is 0.
 */
public final class UsageFigures {
  private final Path storagePath;

  public UsageFigures(Path storagePath) {
    this.storagePath = storagePath;
  }

  public long memoryUsedBytes() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    return memory.getHeapMemoryUsage().getUsed() + memory.getNonHeapMemoryUsage().getUsed();
  }

  public long storageUsedBytes() {
    if (storagePath == null) {
      return 0;
    }
    try {
      FileStore store = Files.getFileStore(storagePath);
      return Math.max(0, store.getTotalSpace() - store.getUnallocatedSpace());
    } catch (IOException | SecurityException e) {
      return 0;
    }
  }

  public double cpuPercent() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      double load = sun.getProcessCpuLoad();
      return load < 0 ? 0 : Math.round(load * 10_000) / 100.0;
    }
    return 0;
  }
}
