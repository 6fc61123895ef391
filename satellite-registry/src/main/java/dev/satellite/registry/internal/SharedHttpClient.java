package dev.satellite.registry.internal;

import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/**
 * The process-wide base OkHttp client that registry clients derive from when the application gives
 * none: one connection pool and one dispatcher for all of them. It is built for plain HTTP only, so
 * that making it does not set up TLS; each registry client adds its own TLS settings ({@link
 * RegistryCaller}).
 */
public final class SharedHttpClient {
  private SharedHttpClient() {}

  private static final class Holder {
    static final OkHttpClient INSTANCE =
        new OkHttpClient.Builder()
            .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
            .build();
  }

  public static OkHttpClient get() {
    return Holder.INSTANCE;
  }
}
