package dev.satellite.registry;

import dev.satellite.core.UpstreamMeter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Counts the response body bytes registry clients read, as they arrive on the wire (before any
 * gzip decoding, and also those of a body cut off mid-way): blobs, manifests, state artifacts,
 * error bodies. Installed on the upstream registry clients ({@link #counting}, or {@link
 * RegistryClient.Builder#byteCounter}), it is the satellite's {@link UpstreamMeter}:
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
public final class UpstreamByteCounter implements UpstreamMeter {
  private final AtomicLong read = new AtomicLong();
  private final Interceptor interceptor = this::intercept;

  /**
   * A client with the settings of {@code client} whose responses this counter counts; it keeps the
   * connection pool and dispatcher {@code client} uses (the application's shared OkHttp client, or
   * the process-wide one). Closing it does not close {@code client}.
   */
  public RegistryClient counting(RegistryClient client) {
    return client.newBuilder().byteCounter(this).build();
  }

  @Override
  public long bytesRead() {
    return read.get();
  }

  /** The network interceptor that counts for this counter. */
  Interceptor interceptor() {
    return interceptor;
  }

  private Response intercept(Interceptor.Chain chain) throws IOException {
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
                public long read(Buffer sink, long byteCount) throws IOException {
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
    public BufferedSource source() {
      return source;
    }

    @Override
    public void close() {
      body.close();
    }
  }
}
