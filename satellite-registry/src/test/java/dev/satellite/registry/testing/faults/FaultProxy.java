package dev.satellite.registry.testing.faults;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A plain-HTTP/1.1 relay on a loopback port in front of a real registry, which injects {@link
 * Fault}s into chosen requests and records every {@link Exchange}.
 *
 * <p>Each client connection is served by its own thread and kept alive; each request is relayed
 * on a fresh connection to the registry ({@code Connection: close}), streaming both bodies, so
 * nothing is held in memory. A fault is armed for the next {@code times} requests whose method and
 * path (query excluded) match; the first armed rule that matches a request is used up by it.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.to(registry.hostPort())) {
 *   proxy.inject("GET", "/v2/.+/blobs/sha256:.+", 1, Fault.dropAfter(1 << 20));
 *   RegistryClient client = RegistryClient.builder(proxy.baseUrl()).build();
 *   ...
 *   assertThat(proxy.exchanges("GET", "/v2/.+/blobs/.+")).extracting(Exchange::range)...
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final int port;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemon("fault-proxy"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("fault-proxy-timer"));
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private ServerSocket listener;
  private volatile boolean closed;

  private record Rule(String method, Pattern path, AtomicInteger remaining, Fault fault) {}

  private FaultProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = first.getLocalPort();
    accept(first);
  }

  /** Starts a proxy to {@code hostPort} (e.g. {@code 127.0.0.1:5000}). */
  public static FaultProxy to(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      return new FaultProxy(
          new InetSocketAddress(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
    } catch (IOException e) {
      throw new UncheckedIOException("start fault proxy to " + hostPort, e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://" + hostPort();
  }

  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /**
   * Arms {@code fault} for the next {@code times} requests with this method (null: any) and a path
   * matching {@code pathRegex}; {@link Integer#MAX_VALUE} times is a permanent fault.
   */
  public FaultProxy inject(String method, String pathRegex, int times, Fault fault) {
    rules.add(new Rule(method, Pattern.compile(pathRegex), new AtomicInteger(times), fault));
    return this;
  }

  /** Disarms every fault: from now on requests are relayed faithfully. */
  public void clearFaults() {
    rules.clear();
  }

  /** Every exchange so far, oldest first. */
  public List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** The exchanges with this method (null: any) whose path matches {@code pathRegex}. */
  public List<Exchange> exchanges(String method, String pathRegex) {
    return exchanges.stream().filter(e -> e.matches(method, pathRegex)).toList();
  }

  /**
   * Like {@link #exchanges(String, String)}, once at least {@code count} have been recorded or
   * {@code timeout} passed: an exchange is recorded when the proxy has finished relaying it, which
   * may be just after the client has seen its end.
   */
  public List<Exchange> awaitExchanges(
      String method, String pathRegex, int count, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Exchange> seen = exchanges(method, pathRegex);
    while (seen.size() < count && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      seen = exchanges(method, pathRegex);
    }
    return seen;
  }

  /** Response body bytes sent for the exchanges {@link #exchanges(String, String)} selects. */
  public long bodyBytes(String method, String pathRegex) {
    return exchanges(method, pathRegex).stream().mapToLong(Exchange::bodyBytes).sum();
  }

  /** How many requests a fault was applied to. */
  public long faultsApplied() {
    return exchanges.stream().filter(e -> e.fault() != null).count();
  }

  /** Forgets the exchanges recorded so far. */
  public void resetTraffic() {
    exchanges.clear();
  }

  /** Closes every open connection and refuses new ones for {@code duration}. */
  public synchronized void refuseConnectionsFor(Duration duration) {
    closeQuietly(listener);
    listener = null;
    open.forEach(FaultProxy::closeQuietly);
    timer.schedule(this::reopen, duration.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeQuietly(listener);
    open.forEach(FaultProxy::closeQuietly);
    timer.shutdownNow();
    threads.shutdownNow();
  }

  @Override
  public String toString() {
    return "FaultProxy[" + hostPort() + " -> " + target + "]";
  }

  private synchronized void reopen() {
    if (closed) {
      return;
    }
    try {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      accept(s);
    } catch (IOException e) {
      throw new UncheckedIOException("fault proxy cannot listen on " + port + " again", e);
    }
  }

  private void accept(ServerSocket s) {
    listener = s;
    threads.execute(
        () -> {
          while (!closed && !s.isClosed()) {
            try {
              Socket client = s.accept();
              open.add(client);
              threads.execute(() -> serve(client));
            } catch (IOException stopped) {
              return;
            }
          }
        });
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      for (HttpHead request; (request = HttpHead.read(in)) != null; ) {
        if (!exchange(request, armedFault(request), in, out, client)) {
          return;
        }
      }
    } catch (IOException | RuntimeException gone) {
      // the client, the registry or close() ended the connection
    } finally {
      open.remove(client);
    }
  }

  private Fault armedFault(HttpHead request) {
    String path = request.target().split("\\?", 2)[0];
    for (Rule r : rules) {
      if ((r.method() == null || r.method().equals(request.method()))
          && r.path().matcher(path).matches()
          && r.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        return r.fault();
      }
    }
    return null;
  }

  /** Serves one request; false when the connection must close afterwards. */
  private boolean exchange(HttpHead req, Fault fault, InputStream in, OutputStream out,
      Socket client) throws IOException {
    if (fault instanceof Fault.Refuse r) {
      record(req, 0, 0, fault);
      refuseConnectionsFor(r.duration());
      return false;
    }
    if (FaultAnswers.answersAlone(fault)) {
      relayBody(req, in, OutputStream.nullOutputStream());
      record(req, FaultAnswers.status(fault), 0, fault);
      return FaultAnswers.answer(req, fault, out);
    }
    try (Socket upstream = new Socket()) {
      upstream.connect(target, 5000);
      OutputStream up = new BufferedOutputStream(upstream.getOutputStream());
      req.without("Connection").with("Connection", "close").write(up);
      relayBody(req, in, up);
      up.flush();
      InputStream down = new BufferedInputStream(upstream.getInputStream());
      HttpHead resp = HttpHead.read(down);
      if (resp == null) {
        throw new IOException("registry closed the connection without answering");
      }
      if (fault instanceof Fault.LoseAnswer) {
        record(req, 0, 0, fault);
        return false;
      }
      return relay(req, resp, fault, down, out, client);
    }
  }

  private boolean relay(HttpHead req, HttpHead resp, Fault fault, InputStream down,
      OutputStream out, Socket client) throws IOException {
    int status = resp.status();
    boolean bodyless = req.method().equals("HEAD") || status / 100 == 1 || status == 204
        || status == 304;
    long length = resp.contentLength();
    boolean untilClose = !bodyless && !resp.chunked() && length < 0;
    HttpHead head = resp.without("Connection");
    (untilClose ? head.with("Connection", "close") : head).write(out);
    DamagingStream body = DamagingStream.of(out, fault, length);
    try {
      if (bodyless) {
        // nothing follows the head
      } else if (resp.chunked()) {
        HttpHead.relayChunked(down, body);
      } else if (length >= 0) {
        HttpHead.copy(down, body, length);
      } else {
        down.transferTo(body);
      }
      body.flush();
    } catch (DamagingStream.CutOff cut) {
      out.flush();
      client.shutdownOutput();
      record(req, status, body.written(), fault);
      return false;
    }
    record(req, status, body.written(), fault);
    return !untilClose;
  }

  private static void relayBody(HttpHead req, InputStream in, OutputStream to) throws IOException {
    if (req.chunked()) {
      HttpHead.relayChunked(in, to);
    } else if (req.contentLength() > 0) {
      HttpHead.copy(in, to, req.contentLength());
    }
  }

  private void record(HttpHead req, int status, long bytes, Fault fault) {
    exchanges.add(new Exchange(req.method(), req.target(), req.header("Range"),
        req.header("Authorization") != null, status, bytes, fault));
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception ignored) {
      // closing is best effort
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The exchanges as lines, for assertion messages. */
  public String describeTraffic() {
    return String.join("\n", exchanges.stream().map(Exchange::describe).toList());
  }
}
