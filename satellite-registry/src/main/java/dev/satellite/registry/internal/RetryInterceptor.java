package dev.satellite.registry.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a request whose attempt failed without a response (connection refused or lost, timeout)
 * or with a retryable status ({@link #isRetryableStatus}), at most {@code maxRetries} times, but
 * only when its body can be sent again (a {@link RegistryRequest} tagged {@code replayable}, and no
 * one-shot body). TLS failures and redirect loops are never retried. A retried request that is not
 * idempotent, an upload's committing {@code PUT}, may meet what an attempt whose answer was lost
 * already did; its sender checks for that ({@link UnansweredAttempts}).
 *
 * <p>This is the one layer that retries these failures (see {@link Attempts} for who retries what
 * else). Each retry also counts against the {@link Attempts} the request is tagged with (those of
 * its registry call, or of the blob the copy engine is copying), so a request stops early when its
 * operation has used them up. When it stops on a failure it could have retried, it ends those
 * attempts: no outer layer tries the same failure again. A failure of a request whose body cannot
 * be sent again is left, uncounted, to the layer that sent it.
 *
 * <p>The wait before retry {@code n} is exponential backoff from a base delay, doubled per attempt,
 * capped, with jitter (a random point in the upper half of the window). A {@code Retry-After} header
 * (seconds or an HTTP date) replaces the backoff, capped the same way.
 *
 * <p>An application interceptor: it sits inside the {@code Authorization} interceptor, so each
 * attempt carries the same credentials, and outside OkHttp's redirect following, so each attempt
 * starts again at the request's own URL.
 */
public final class RetryInterceptor implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);

  /** Waits; a seam so tests need not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  /** The last failure of a request tried more than once; its cause is that failure. */
  public static final class GaveUp extends IOException {
    private final int attempts;

    GaveUp(int attempts, IOException last) {
      super(last.getMessage(), last);
      this.attempts = attempts;
    }

    public int attempts() {
      return attempts;
    }
  }

  private final int maxRetries;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Sleeper sleeper;
  private final Clock clock;
  private final DoubleSupplier random;

  public RetryInterceptor(
      int maxRetries, Duration baseDelay, Duration maxDelay, Sleeper sleeper, Clock clock) {
    this(maxRetries, baseDelay, maxDelay, sleeper, clock,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  RetryInterceptor(
      int maxRetries,
      Duration baseDelay,
      Duration maxDelay,
      Sleeper sleeper,
      Clock clock,
      DoubleSupplier random) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    this.maxRetries = maxRetries;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
  }

  /** 5xx (except 501 Not Implemented), 408 Request Timeout and 429 Too Many Requests. */
  public static boolean isRetryableStatus(int code) {
    return (code >= 500 && code != 501) || code == 408 || code == 429;
  }

  /**
   * Returns the response of the last attempt, whatever its status.
   *
   * @throws GaveUp when the last of several attempts failed without a response
   * @throws IOException when the only attempt did
   */
  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    RegistryRequest operation = request.tag(RegistryRequest.class);
    boolean replayable =
        (operation == null || operation.replayable())
            && (request.body() == null || !request.body().isOneShot());
    String action = operation != null ? operation.action() : request.method() + " " + request.url();
    Attempts tagged = request.tag(Attempts.class);
    Attempts attempts = tagged != null ? tagged : newAttempts();
    for (int attempt = 0; ; attempt++) {
      Response response;
      try {
        response = chain.proceed(request);
      } catch (IOException e) {
        if (isTlsFailure(e) || e instanceof RedirectGuard.TooManyRedirects) {
          attempts.giveUp();
          throw attempt == 0 ? e : new GaveUp(attempt + 1, e);
        }
        if (!replayable || !retryCounted(attempt, attempts)) {
          throw attempt == 0 ? e : new GaveUp(attempt + 1, e);
        }
        Duration delay = delay(attempt, null);
        LOG.debug("{}: attempt {} failed ({}), retrying in {} ms",
            action, attempt + 1, e, delay.toMillis());
        sleep(delay);
        continue;
      }
      if (replayable && isRetryableStatus(response.code()) && retryCounted(attempt, attempts)) {
        Duration delay = delay(attempt, response.header("Retry-After"));
        LOG.debug("{}: attempt {} got {}, retrying in {} ms",
            action, attempt + 1, response.code(), delay.toMillis());
        response.close();
        sleep(delay);
        continue;
      }
      return response;
    }
  }

  /**
   * Whether to retry after the failed attempt number {@code attempt + 1} of a replayable request:
   * within {@code maxRetries} and the operation's attempts. When not, the attempts end here.
   */
  private boolean retryCounted(int attempt, Attempts attempts) {
    if (attempt < maxRetries && attempts.retryAfterFailure()) {
      return true;
    }
    attempts.giveUp();
    return false;
  }

  /** Retries after a request's first attempt. */
  public int maxRetries() {
    return maxRetries;
  }

  /** The attempts of one registry call: {@code maxRetries} retries after the first. */
  public Attempts newAttempts() {
    return new Attempts(maxRetries + 1);
  }

  /** The wait before retry number {@code attempt + 1}; {@code retryAfter} may be null. */
  Duration delay(int attempt, String retryAfter) {
    Duration fromServer = parseRetryAfter(retryAfter);
    if (fromServer != null) {
      return fromServer.compareTo(maxDelay) > 0 ? maxDelay : fromServer;
    }
    long window = baseDelay.toMillis() << Math.min(attempt, 20);
    window = Math.min(window, maxDelay.toMillis());
    long jittered = window / 2 + (long) (random.getAsDouble() * (window - window / 2));
    return Duration.ofMillis(jittered);
  }

  /** Sleeps; an interrupt ends the request (the interrupt flag is kept). */
  private void sleep(Duration duration) throws InterruptedIOException {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while waiting to retry");
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  private Duration parseRetryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration until = Duration.between(clock.instant(), at);
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }

  static boolean isTlsFailure(IOException e) {
    return hasCause(e, SSLException.class);
  }

  static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
