package dev.satellite.registry.internal;

import java.io.IOException;
import java.net.ProtocolException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Bounds the redirects OkHttp follows for a registry request and keeps their method. A network
 * interceptor, so it sees every hop, after OkHttp has removed {@code Authorization} from a hop to
 * another host (this interceptor adds no header).
 *
 * <ul>
 *   <li>At most {@value #MAX_REDIRECTS} redirects in a row (OkHttp's own limit is 20): a registry
 *       sends one, to its storage, at most a few.
 *   <li>A 301 or 302 to a method other than GET or HEAD is followed like a 308 or 307 (same
 *       method, same body), as the distribution spec expects of uploads and deletes; OkHttp would
 *       turn it into a GET, and a {@code DELETE} answered that way would look done.
 * </ul>
 *
 * <p>Redirects OkHttp does not follow (to another scheme, or of a body that can be sent only once)
 * reach {@link RegistryCaller} as the 3xx response.
 */
final class RedirectGuard implements Interceptor {
  static final int MAX_REDIRECTS = 5;

  /** A redirect loop, or a chain too long to be a registry's: not worth retrying. */
  static final class TooManyRedirects extends ProtocolException {
    TooManyRedirects(String message) {
      super(message);
    }
  }

  /** The redirects of one call so far, and where the last one pointed. */
  private static final class Hops {
    HttpUrl next;
    int count;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Hops hops = chain.call().tag(Hops.class, Hops::new);
    int before = request.url().equals(hops.next) ? hops.count : 0;
    Response response = chain.proceed(request);
    String location = response.header("Location");
    HttpUrl next = location == null ? null : request.url().resolve(location);
    if (!isRedirect(response.code()) || next == null) {
      hops.next = null;
      return response;
    }
    if (before >= MAX_REDIRECTS) {
      response.close();
      throw new TooManyRedirects(
          "more than " + MAX_REDIRECTS + " redirects, last to " + next.host());
    }
    hops.next = next;
    hops.count = before + 1;
    boolean keepsMethod = request.method().equals("GET") || request.method().equals("HEAD");
    if (!keepsMethod && (response.code() == 301 || response.code() == 302)) {
      return response.newBuilder().code(response.code() == 301 ? 308 : 307).build();
    }
    return response;
  }

  static boolean isRedirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }
}
