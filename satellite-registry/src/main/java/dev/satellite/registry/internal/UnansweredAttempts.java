package dev.satellite.registry.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Counts, per request, the attempts that reached the server without the client learning whether
 * they were carried out: the request was (at least partly) sent and then no response came back
 * (read timeout, connection lost), or a 5xx other than 501 came back (a gateway's 502 or 504 says
 * nothing of what the registry behind it did).
 *
 * <p>A network interceptor, so it sees every attempt: those {@link RetryInterceptor} makes and
 * those OkHttp makes on its own after a pooled connection fails. {@link RegistryCaller} tags each
 * request with a fresh count, which all attempts of the request share (OkHttp copies tags
 * to the requests it derives); the final response's request carries it back to the caller.
 */
public final class UnansweredAttempts implements Interceptor {

  /** The attempts of one request whose outcome the client could not learn. */
  private static final class Count {
    final AtomicInteger unanswered = new AtomicInteger();
  }

  /** Tags {@code builder}'s request with a fresh count. */
  static Request.Builder track(Request.Builder builder) {
    return builder.tag(Count.class, new Count());
  }

  /**
   * How many attempts of the request that {@code response} finally answers went unanswered, a
   * final 5xx included (0 when the request was not tracked).
   */
  public static int of(Response response) {
    Count count = response.request().tag(Count.class);
    return count == null ? 0 : count.unanswered.get();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Count count = chain.request().tag(Count.class);
    Response response;
    try {
      response = chain.proceed(chain.request());
    } catch (IOException e) {
      if (count != null) {
        count.unanswered.incrementAndGet();
      }
      throw e;
    }
    if (count != null && response.code() >= 500 && response.code() != 501) {
      count.unanswered.incrementAndGet();
    }
    return response;
  }
}
