package dev.satellite.agent.internal;

import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.metrics.HttpSide;
import dev.satellite.registry.RegistryClient;
import java.util.function.Function;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Where a satellite's HTTP clients get the network interceptor that observes their requests, one
 * per {@link HttpSide}; {@link #NONE} observes nothing. Every client the satellite builds or
 * derives goes through here, so no side is missed.
 */
public record HttpObserver(Function<HttpSide, Interceptor> interceptors) {
  public static final HttpObserver NONE = new HttpObserver(side -> null);

  /** The interceptor for {@code side}, or null. */
  public Interceptor interceptor(HttpSide side) {
    return interceptors.apply(side);
  }

  /** {@code builder}, observed as {@code side}. */
  public RegistryClient.Builder observe(RegistryClient.Builder builder, HttpSide side) {
    Interceptor interceptor = interceptor(side);
    return interceptor == null ? builder : builder.networkInterceptor(interceptor);
  }

  /** The Ground Control client {@code builder} makes, observed. */
  public GroundControlClient observe(GroundControlClient.Builder builder) {
    Interceptor interceptor = interceptor(HttpSide.GROUND_CONTROL);
    if (interceptor != null) {
      builder.sharedHttpClient(new OkHttpClient.Builder().addNetworkInterceptor(interceptor).build());
    }
    return builder.build();
  }
}
