package dev.satellite.benchmarks;

import dev.satellite.cli.SatelliteCommand;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * {@code satellite sync}, unchanged (same options, output and exit status), plus one more line on
 * stdout as the JVM exits: {@code {"peakHeapBytes":N,"maxHeapBytes":M}}. {@code peakHeapBytes} is
 * the sum of the peak usage of every heap memory pool since start-up: an upper bound of the peak
 * heap in use (pools peak at different moments), which also counts garbage not yet collected, so
 * it grows with the room the collector is given ({@code -Xmx}). {@code maxHeapBytes} is that room.
 */
public final class BenchSync {
  private BenchSync() {}

  public static void main(String[] args) {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> System.out.println(memoryJson()), "bench-memory"));
    String[] sync = new String[args.length + 1];
    sync[0] = "sync";
    System.arraycopy(args, 0, sync, 1, args.length);
    SatelliteCommand.main(sync);
  }

  static String memoryJson() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return "{\"peakHeapBytes\":" + peak + ",\"maxHeapBytes\":" + Runtime.getRuntime().maxMemory()
        + "}";
  }
}
