package dev.satellite.registry;

import dev.satellite.core.UpstreamMeter;
import dev.satellite.registry.internal.SharedHttpClient;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.jetbrains.annotations.NotNull;

/**
 * Counts the response body bytes an OkHttp client reads, as they arrive on the wire (before any
 * gzip decoding, and also those of a body cut off mid-way): blobs, manifests, state artifacts,
 * error bodies. Installed as a network interceptor on the client the upstream registry clients
 * share ({@link RegistryClient.Builder#sharedHttpClient}), or on a client derived with {@link
 * #counting}, it is the satellite's {@link UpstreamMeter}:
 *
 * <pre>{@code
 * UpstreamByteCounter counter = new UpstreamByteCounter();
 * RegistryClient upstream = counter.counting(RegistryClient.builder("https://harbor.example.com")
 *     .credentials(...).build());
 * Reconciler.builder().upstreamMeter(counter)...
 * }</pre>
 *
 * Request bodies and headers are not counted, nor the few bytes of an error body the client
 * closes unread (OkHttp discards them). Thread-safe; one counter per satellite.
 */
public final class UpstreamByteCounter implements UpstreamMeter, Interceptor {
  private final AtomicLong read = new AtomicLong();

  /** Adds this counter to {@code builder} as a network interceptor; returns the builder. */
  public OkHttpClient.Builder install(OkHttpClient.Builder builder) {
    return builder.addNetworkInterceptor(this);
  }

  /**
   * A client with the settings of {@code client} whose responses this counter counts; it keeps the
   * connection pool and dispatcher {@code client} uses (the application's shared OkHttp client, or
   * the process-wide one). Closing it does not close {@code client}.
   */
  public RegistryClient counting(RegistryClient client) {
    return counting(client, http -> {});
  }

  /** {@link #counting(RegistryClient)}, its OkHttp client also set up by {@code customize}. */
  public RegistryClient counting(RegistryClient client, Consumer<OkHttpClient.Builder> customize) {
    RegistryClient.Builder builder = client.newBuilder();
    OkHttpClient.Builder http =
        (builder.shared != null ? builder.shared : SharedHttpClient.get()).newBuilder();
    customize.accept(http);
    return builder.sharedHttpClient(install(http).build()).build();
  }

  @Override
  public long bytesRead() {
    return read.get();
  }

  @Override
  public @NotNull Response intercept(@NotNull Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    ResponseBody body = response.body();
    return response.newBuilder().body(new CountedBody(body)).build();
  }

  /** The body as received, each byte read from it counted once. */
  private final class CountedBody extends ResponseBody {
    private final ResponseBody body;
    private final BufferedSource source;

    CountedBody(ResponseBody body) {
      this.body = body;
      this.source =
          Okio.buffer(
              new ForwardingSource(body.source()) {
                @Override
                public long read(@NotNull Buffer sink, long byteCount) throws IOException {
                  long n = super.read(sink, byteCount);
                  if (n > 0) {
                    read.addAndGet(n);
                  }
                  return n;
                }
              });
    }

    @Override
    public MediaType contentType() {
      return body.contentType();
    }

    @Override
    public long contentLength() {
      return body.contentLength();
    }

    @Override
    public @NotNull BufferedSource source() {
      return source;
    }

    @Override
    public void close() {
      body.close();
    }
  }
}
