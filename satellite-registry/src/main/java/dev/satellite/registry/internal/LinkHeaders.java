package dev.satellite.registry.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/** Pagination of the distribution API: the {@code Link: <...>; rel="next"} header (RFC 5988). */
final class LinkHeaders {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private LinkHeaders() {}

  /** The next page's URL, resolved against {@code current}; null on the last page. */
  static HttpUrl next(String link, HttpUrl current) {
    if (link == null) {
      return null;
    }
    Matcher m = NEXT.matcher(link);
    return m.find() ? current.resolve(m.group(1)) : null;
  }
}
