package dev.satellite.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A slow, flaky link in user space, in front of a registry (no kernel {@code netem} needed): a TCP
 * relay on a loopback port that holds each direction to a rate, delays every byte by half the
 * round-trip time each way, drops every open connection every N MiB carried towards the client or
 * every N seconds, and counts the bytes it carried.
 *
 * <pre>{@code
 * LinkEmulator --target 127.0.0.1:5000 --listen 5900 --rate-mbit 20 --rtt-ms 40 \
 *     [--drop-every-mib 64] [--drop-every-s 30] --stats link.stats
 * }</pre>
 *
 * <p>Per direction, one {@link LinkRate} shared by every connection (the link, not each
 * connection, has the rate; with a burst of a tenth of a second, like the satellite's bandwidth
 * cap), then a delay line: a reader thread takes bytes at the link's rate and queues them, a
 * writer thread sends each chunk once it is {@code rtt/2} old. So a request and its answer cost at
 * least one round trip, and a stream runs at the rate once under way, as on a real link. A drop
 * closes both sides of every open connection at once, as when the link flaps: what a client had not
 * received is lost, and it must connect again.
 *
 * <p>The stats file is rewritten every 200 ms and at exit: {@code down=<bytes to the client>
 * up=<bytes to the target> connections=<n> drops=<n>}; {@code down} is what the client received,
 * the figure the access log of a registry at the client's end would show. The socket towards the
 * client has a 64 KiB send buffer, so that a byte counted has reached the client's own receive
 * buffer, not just the relay's.
 */
public final class LinkEmulator {
  private static final int CHUNK = 16 * 1024;
  private static final int QUEUED_CHUNKS = 256;
  private static final int SEND_BUFFER = 64 * 1024;

  private final InetSocketAddress target;
  private final LinkRate downRate;
  private final LinkRate upRate;
  private final long delayNanos;
  private final long dropEveryBytes;
  private final AtomicLong down = new AtomicLong();
  private final AtomicLong up = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private LinkEmulator(InetSocketAddress target, long bytesPerSecond, long rttMillis,
      long dropEveryBytes) {
    this.target = target;
    this.downRate = new LinkRate(bytesPerSecond);
    this.upRate = new LinkRate(bytesPerSecond);
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(rttMillis) / 2;
    this.dropEveryBytes = dropEveryBytes;
  }

  public static void main(String[] args) throws Exception {
    String targetArg = option(args, "--target", null);
    int listen = Integer.parseInt(option(args, "--listen", "0"));
    double mbit = Double.parseDouble(option(args, "--rate-mbit", "20"));
    long rtt = Long.parseLong(option(args, "--rtt-ms", "40"));
    long dropMib = Long.parseLong(option(args, "--drop-every-mib", "0"));
    long dropSeconds = Long.parseLong(option(args, "--drop-every-s", "0"));
    String stats = option(args, "--stats", null);
    if (targetArg == null || stats == null || mbit <= 0 || rtt < 0 || dropMib < 0
        || dropSeconds < 0) {
      usage(System.err);
      System.exit(2);
    }
    int colon = targetArg.lastIndexOf(':');
    InetSocketAddress target = new InetSocketAddress(targetArg.substring(0, colon),
        Integer.parseInt(targetArg.substring(colon + 1)));
    LinkEmulator link =
        new LinkEmulator(target, (long) (mbit * 1_000_000 / 8), rtt, dropMib << 20);
    ServerSocket server = new ServerSocket(listen, 100, InetAddress.getLoopbackAddress());
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "link-timer");
      t.setDaemon(true);
      return t;
    });
    Path statsFile = Path.of(stats);
    timer.scheduleAtFixedRate(() -> link.writeStats(statsFile), 0, 200, TimeUnit.MILLISECONDS);
    if (dropSeconds > 0) {
      timer.scheduleAtFixedRate(link::dropAll, dropSeconds, dropSeconds, TimeUnit.SECONDS);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> link.writeStats(statsFile)));
    System.out.println("listening " + server.getLocalPort());
    System.out.flush();
    while (true) {
      Socket client = server.accept();
      link.serve(client);
    }
  }

  private static void usage(PrintStream out) {
    out.println("usage: LinkEmulator --target HOST:PORT [--listen PORT] [--rate-mbit 20]"
        + " [--rtt-ms 40] [--drop-every-mib N] [--drop-every-s N] --stats FILE");
  }

  private static String option(String[] args, String name, String fallback) {
    int i = Arrays.asList(args).indexOf(name);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  }

  private void serve(Socket client) {
    connections.incrementAndGet();
    Socket server = new Socket();
    try {
      server.connect(target, 5_000);
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      // what the relay counts as delivered must be near what the client has taken: a small send
      // buffer towards it (no autotuning to MiBs), so a write returns once the client has read
      client.setSendBufferSize(SEND_BUFFER);
    } catch (IOException e) {
      close(client);
      close(server);
      return;
    }
    open.add(client);
    open.add(server);
    pump("up", client, server, upRate, up, false);
    pump("down", server, client, downRate, down, true);
  }

  /** Reader and writer threads of one direction: rate, then delay line, then the other side. */
  private void pump(String name, Socket from, Socket to, LinkRate rate, AtomicLong counter,
      boolean countsForDrops) {
    BlockingQueue<Chunk> line = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    thread(name + "-read", () -> {
      try (InputStream in = from.getInputStream()) {
        byte[] buffer = new byte[CHUNK];
        for (int n; (n = in.read(buffer)) > 0; ) {
          rate.carry(n);
          line.put(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
        }
      } catch (IOException | InterruptedException e) {
        // the connection ended or was dropped
      } finally {
        line.offer(Chunk.END);
      }
    });
    thread(name + "-write", () -> {
      try {
        OutputStream out = to.getOutputStream();
        for (Chunk chunk; (chunk = line.take()) != Chunk.END; ) {
          long wait = chunk.due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          out.write(chunk.bytes);
          long before = counter.getAndAdd(chunk.bytes.length);
          if (countsForDrops && dropEveryBytes > 0
              && before / dropEveryBytes != (before + chunk.bytes.length) / dropEveryBytes) {
            dropAll();
          }
        }
        to.shutdownOutput();
      } catch (IOException | InterruptedException e) {
        // the connection ended or was dropped
      } finally {
        close(from);
        close(to);
      }
    });
  }

  private record Chunk(long due, byte[] bytes) {
    static final Chunk END = new Chunk(0, new byte[0]);
  }

  /** Closes every open connection, both sides, as a link flap would. */
  private void dropAll() {
    drops.incrementAndGet();
    for (Socket socket : open) {
      close(socket);
    }
  }

  private void close(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static void thread(String name, Runnable body) {
    Thread t = new Thread(body, "link-" + name);
    t.setDaemon(true);
    t.start();
  }

  private synchronized void writeStats(Path file) {
    String line = "down=" + down.get() + " up=" + up.get() + " connections=" + connections.get()
        + " drops=" + drops.get() + "\n";
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temp, line, StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      System.err.println("LinkEmulator: cannot write " + file + ": " + e.getMessage());
    }
  }
}
