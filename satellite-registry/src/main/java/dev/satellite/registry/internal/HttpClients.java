package dev.satellite.registry.internal;

import java.util.List;
import java.util.function.Consumer;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The OkHttp clients of one registry client: one for {@code http://} URLs and one for {@code
 * https://} URLs, derived from one builder, so they share its connection pool and dispatcher.
 *
 * <p>The HTTPS client is built when first needed, unless the registry is reached over HTTPS or TLS
 * options were given (then at once, so that an unusable certificate file fails the client's
 * construction). A client of a plain-HTTP registry, typically an edge registry on loopback, thus
 * does not pay for TLS set-up (the JDK's CA store, an SSL context) unless a redirect leads it to an
 * {@code https://} URL, which then gets the same TLS checks as any other.
 */
public final class HttpClients {
  private final OkHttpClient cleartext;
  private final Consumer<OkHttpClient.Builder> tlsSetup;
  private volatile OkHttpClient secure;

  /**
   * @param configured the builder with everything but TLS set
   * @param tlsSetup applies the TLS settings to a builder derived from {@code configured}
   * @param tlsNow build the HTTPS client now rather than on first use
   */
  public HttpClients(
      OkHttpClient.Builder configured, Consumer<OkHttpClient.Builder> tlsSetup, boolean tlsNow) {
    this.cleartext = configured.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
    this.tlsSetup = tlsSetup;
    if (tlsNow) {
      secure();
    }
  }

  /** The client for requests to {@code url}. */
  public OkHttpClient forUrl(HttpUrl url) {
    return url.isHttps() ? secure() : cleartext;
  }

  private OkHttpClient secure() {
    OkHttpClient client = secure;
    if (client == null) {
      synchronized (this) {
        client = secure;
        if (client == null) {
          OkHttpClient.Builder builder = cleartext.newBuilder();
          tlsSetup.accept(builder);
          client = builder.build();
          secure = client;
        }
      }
    }
    return client;
  }
}
