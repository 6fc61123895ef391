package dev.satellite.agent.groundcontrol.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.internal.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.HttpUrl;
import okhttp3.Response;

/**
 * Ground Control's refusals as the client reports them: the status and the error Ground Control
 * gave ({@code error}, {@code message} or {@code detail} of a JSON body, else the body, up to
 * {@value #MAX_ERROR_CHARS} characters), whether trying again later may help (5xx, 408, 429, no
 * answer), the wait a {@code 429} asked for, and never the registration token, as written or
 * URL-encoded.
 */
public final class GroundControlErrors {
  /** The wait when a {@code 429} gives no usable {@code Retry-After}: Ground Control's window. */
  public static final Duration RATE_LIMIT_WINDOW = Duration.ofMinutes(1);
  private static final int MAX_ERROR_CHARS = 512;

  private GroundControlErrors() {}

  /** {@code Retry-After} as seconds or an HTTP date; a whole window when absent or unreadable. */
  public static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return RATE_LIMIT_WINDOW;
    }
    String value = header.strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? RATE_LIMIT_WINDOW : Duration.ofSeconds(Math.min(seconds, 3600));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until = Duration.between(java.time.Instant.now(),
            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return until.isNegative() ? Duration.ZERO
            : until.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : until;
      } catch (DateTimeParseException notDate) {
        return RATE_LIMIT_WINDOW;
      }
    }
  }

  /** A non-200 answer: its status, and the error Ground Control gave, without the token. */
  public static GroundControlException refused(String action, Response response, String token,
      String hint) {
    int code = response.code();
    String error = errorText(response);
    String message = action + ": " + code + (response.message().isBlank() ? ""
        : " " + response.message()) + (error.isEmpty() ? "" : " (" + error + ")") + hint;
    boolean passable = code >= 500 || code == 408 || code == 429;
    return new GroundControlException(redact(message, token), code, passable, null);
  }

  /** No answer at all: passable, without the token. */
  public static GroundControlException unreachable(String action, IOException e, String token) {
    String message = action + ": no answer: " + e;
    return new GroundControlException(redact(message, token), -1, true, null);
  }

  /** Ground Control's error text: the {@code error} or {@code message} of a JSON body, or the body. */
  private static String errorText(Response response) {
    String body;
    try (InputStream in = response.body().byteStream()) {
      body = new String(in.readNBytes(16 * 1024), UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      for (String field : new String[] {"error", "message", "detail"}) {
        if (json != null && json.path(field).isTextual()) {
          body = json.get(field).textValue();
          break;
        }
      }
    } catch (IOException notJson) {
      // the body as it came
    }
    body = body.replaceAll("\\s+", " ");
    return body.length() <= MAX_ERROR_CHARS ? body : body.substring(0, MAX_ERROR_CHARS) + "...";
  }

  /** {@code text} with every occurrence of the token, as written or URL-encoded, replaced. */
  public static String redact(String text, String token) {
    if (token == null || token.isEmpty()) {
      return text;
    }
    String encoded = HttpUrl.get("http://h/").newBuilder().addPathSegment(token).build()
        .encodedPath().substring(1);
    return text.replace(token, "<token>").replace(encoded, "<token>");
  }
}
