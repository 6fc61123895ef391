package dev.satellite.agent.groundcontrol.spiffe;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.spiffe.workloadapi.grpc.SpiffeWorkloadAPIGrpc;
import io.spiffe.workloadapi.grpc.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SPIRE agent's Workload API for tests: a gRPC server on a Unix socket serving the X.509
 * fetch stream ({@code SpiffeWorkload/FetchX509SVID}) with java-spiffe's generated service
 * classes, as the agent does:
 *
 * <ul>
 *   <li>a request without the {@code workload.spiffe.io: true} header is refused with {@code
 *       INVALID_ARGUMENT};
 *   <li>while no identity is issued to the caller, the stream fails with {@code PERMISSION_DENIED}
 *       ("no identity issued"), which clients retry;
 *   <li>the current SVID and bundle are sent when a stream opens, and every {@link #issue} (a
 *       rotation) is pushed to each open stream;
 *   <li>{@link #stop} drops the streams and removes the socket, as an agent that exits does;
 *       {@link #start} binds it again.
 * </ul>
 */
public final class WorkloadApiStandIn implements AutoCloseable {
  private static final Metadata.Key<String> SECURITY_HEADER =
      Metadata.Key.of("workload.spiffe.io", Metadata.ASCII_STRING_MARSHALLER);

  private final Path socket;
  private final List<ServerCallStreamObserver<Workload.X509SVIDResponse>> streams =
      new CopyOnWriteArrayList<>();
  /** Streams opened (including refused ones). */
  public final AtomicInteger fetches = new AtomicInteger();
  private volatile Workload.X509SVIDResponse current;
  private Server server;
  private EventLoopGroup boss;
  private EventLoopGroup workers;

  /** A stand-in that will listen on {@code socket} once {@link #start started}. */
  public WorkloadApiStandIn(Path socket) {
    this.socket = socket;
  }

  /** The address a client is given: {@code unix:///...}. */
  public String address() {
    return "unix://" + socket.toAbsolutePath();
  }

  public Path socket() {
    return socket;
  }

  /** Binds the socket and serves. */
  public synchronized WorkloadApiStandIn start() {
    boss = new EpollEventLoopGroup(1);
    workers = new EpollEventLoopGroup(1);
    try {
      server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .channelType(EpollServerDomainSocketChannel.class)
          .bossEventLoopGroup(boss)
          .workerEventLoopGroup(workers)
          .addService(ServerInterceptors.intercept(new Service(), new SecurityHeaderCheck()))
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Workload API stand-in on " + socket, e);
    }
    return this;
  }

  /**
   * Issues {@code svid} with the bundle {@code roots} of its own trust domain (and {@code
   * federated} bundles of others, by trust domain name): sent to each open stream now and to
   * each stream opened later.
   */
  public void issue(TestTrustDomain.Svid svid, Map<String, X509Certificate> federated) {
    Workload.X509SVIDResponse.Builder response = Workload.X509SVIDResponse.newBuilder()
        .addSvids(Workload.X509SVID.newBuilder()
            .setSpiffeId(svid.spiffeId())
            .setX509Svid(ByteString.copyFrom(svid.certificateDer()))
            .setX509SvidKey(ByteString.copyFrom(svid.key().getEncoded()))
            .setBundle(ByteString.copyFrom(TestTrustDomain.der(svid.root()))));
    federated.forEach((domain, root) ->
        response.putFederatedBundles("spiffe://" + domain,
            ByteString.copyFrom(TestTrustDomain.der(root))));
    current = response.build();
    for (ServerCallStreamObserver<Workload.X509SVIDResponse> stream : streams) {
      synchronized (stream) {
        if (!stream.isCancelled()) {
          stream.onNext(current);
        }
      }
    }
  }

  /** Issues {@code svid} with its own trust domain's bundle only. */
  public void issue(TestTrustDomain.Svid svid) {
    issue(svid, Map.of());
  }

  /** Streams open now. */
  public int openStreams() {
    return (int) streams.stream().filter(s -> !s.isCancelled()).count();
  }

  /** Stops serving: open streams are dropped, the socket removed. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
      Files.deleteIfExists(socket);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    streams.clear();
    server = null;
  }

  @Override
  public void close() {
    stop();
  }

  private final class Service extends SpiffeWorkloadAPIGrpc.SpiffeWorkloadAPIImplBase {
    @Override
    public void fetchX509SVID(Workload.X509SVIDRequest request,
        StreamObserver<Workload.X509SVIDResponse> observer) {
      fetches.incrementAndGet();
      if (current == null) {
        observer.onError(Status.PERMISSION_DENIED.withDescription("no identity issued")
            .asRuntimeException());
        return;
      }
      ServerCallStreamObserver<Workload.X509SVIDResponse> stream =
          (ServerCallStreamObserver<Workload.X509SVIDResponse>) observer;
      stream.setOnCancelHandler(() -> streams.remove(stream));
      synchronized (stream) {
        streams.add(stream); // an issue() from now on reaches this stream too
        stream.onNext(current);
      }
    }
  }

  private static final class SecurityHeaderCheck implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      if (!"true".equals(headers.get(SECURITY_HEADER))) {
        call.close(Status.INVALID_ARGUMENT.withDescription(
            "security header missing from request"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }
}
