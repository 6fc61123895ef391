package dev.satellite.registry.internal;

import okhttp3.OkHttpClient;

/**
 * The process-wide base OkHttp client that registry clients derive from when the application gives
 * none: one connection pool and one dispatcher for all of them.
 */
public final class SharedHttpClient {
  private SharedHttpClient() {}

  private static final class Holder {
    static final OkHttpClient INSTANCE =
        new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false).build();
  }

  public static OkHttpClient get() {
    return Holder.INSTANCE;
  }
}
