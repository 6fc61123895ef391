package dev.satellite.registry;

import dev.satellite.registry.internal.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** Settings of a {@link RegistryClient}; every one has a safe default. */
public final class RegistryClientBuilder {
  final HttpUrl baseUrl;
  Credentials credentials = Credentials.anonymous();
  TlsOptions tls = TlsOptions.systemDefault();
  int maxRetries = 4;
  Duration retryBaseDelay = Duration.ofMillis(500);
  Duration maxRetryDelay = Duration.ofSeconds(30);
  Duration connectTimeout = Duration.ofSeconds(10);
  Duration readTimeout = Duration.ofSeconds(60);
  long chunkedUploadThreshold = 1024L * 1024 * 1024;
  int uploadChunkSize = 16 * 1024 * 1024;
  OkHttpClient shared;
  RetryPolicy.Sleeper sleeper = RetryPolicy.Sleeper.REAL;
  Clock clock = Clock.systemUTC();

  RegistryClientBuilder(HttpUrl baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Credentials for this registry only; anonymous by default. */
  public RegistryClientBuilder credentials(Credentials value) {
    this.credentials = Objects.requireNonNull(value, "credentials");
    return this;
  }

  /** TLS settings; system trust by default. */
  public RegistryClientBuilder tls(TlsOptions value) {
    this.tls = Objects.requireNonNull(value, "tls");
    return this;
  }

  /**
   * Retries after the first attempt for transient failures, and resumes of a blob download whose
   * connection dropped (default 4; 0 disables both).
   */
  public RegistryClientBuilder maxRetries(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + value);
    }
    this.maxRetries = value;
    return this;
  }

  /** First backoff delay, doubled per retry (default 500 ms). */
  public RegistryClientBuilder retryBaseDelay(Duration value) {
    this.retryBaseDelay = positive(value, "retryBaseDelay");
    return this;
  }

  /** Longest wait between retries, also the cap on {@code Retry-After} (default 30 s). */
  public RegistryClientBuilder maxRetryDelay(Duration value) {
    this.maxRetryDelay = positive(value, "maxRetryDelay");
    return this;
  }

  /** Default 10 s. */
  public RegistryClientBuilder connectTimeout(Duration value) {
    this.connectTimeout = positive(value, "connectTimeout");
    return this;
  }

  /** Longest silence while reading or writing a body (default 60 s). */
  public RegistryClientBuilder readTimeout(Duration value) {
    this.readTimeout = positive(value, "readTimeout");
    return this;
  }

  /** Blobs larger than this are uploaded in {@code PATCH} chunks (default 1 GiB). */
  public RegistryClientBuilder chunkedUploadThreshold(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("chunkedUploadThreshold must be >= 0, got " + bytes);
    }
    this.chunkedUploadThreshold = bytes;
    return this;
  }

  /**
   * Size of each {@code PATCH} chunk (default 16 MiB). When the blob size is unknown one chunk is
   * held in memory at a time.
   */
  public RegistryClientBuilder uploadChunkSize(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("uploadChunkSize must be >= 1, got " + bytes);
    }
    this.uploadChunkSize = bytes;
    return this;
  }

  /**
   * The OkHttp client to derive from, to share its connection pool and dispatcher with the
   * application. Its redirect, timeout and TLS settings (trust, client certificate, host name
   * verification) are overridden for this client. Its interceptors and event listener are kept
   * and see this client's requests, {@code Authorization} headers included: an interceptor that
   * logs headers must redact that one.
   */
  public RegistryClientBuilder sharedHttpClient(OkHttpClient value) {
    this.shared = Objects.requireNonNull(value, "sharedHttpClient");
    return this;
  }

  RegistryClientBuilder sleeper(RetryPolicy.Sleeper value) {
    this.sleeper = value;
    return this;
  }

  RegistryClientBuilder clock(Clock value) {
    this.clock = value;
    return this;
  }

  /**
   * @throws IllegalArgumentException when a TLS PEM file is unreadable or invalid (the message
   *     names the file)
   */
  public RegistryClient build() {
    return new RegistryClient(this);
  }

  private static Duration positive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }
}
