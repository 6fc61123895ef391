package dev.satellite.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.registry.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Response;

/**
 * Turns an unexpected response into a {@link RegistryException}: status, reason phrase and the OCI
 * error codes of the body ({@code {"errors":[{"code":"..","message":".."}]}}). The raw body is
 * never copied into the message.
 */
public final class ErrorResponses {
  private static final long MAX_ERROR_BODY = 64 * 1024;
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(408, "Request Timeout"),
          Map.entry(409, "Conflict"),
          Map.entry(413, "Request Entity Too Large"),
          Map.entry(416, "Range Not Satisfiable"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Timeout"));

  private ErrorResponses() {}

  /**
   * The exception for {@code response}; {@code hint} (may be empty) is appended to the message.
   * Does not close the response.
   */
  public static RegistryException toException(String action, Response response, String hint) {
    List<String> codes = new ArrayList<>();
    List<String> details = new ArrayList<>();
    readErrors(response, codes, details);
    StringBuilder problem = new StringBuilder(statusLine(response));
    if (!details.isEmpty()) {
      problem.append(" [").append(String.join("; ", details)).append(']');
    }
    problem.append(hint);
    return new RegistryException(action, response.code(), codes, problem.toString(), null);
  }

  /** {@code "401 Unauthorized"}: the standard reason phrase, else the server's. */
  public static String statusLine(Response response) {
    String reason = REASONS.get(response.code());
    if (reason == null) {
      reason = response.message() == null ? "" : response.message();
    }
    return (response.code() + " " + reason).trim();
  }

  private static void readErrors(Response response, List<String> codes, List<String> details) {
    if (response.request().method().equals("HEAD")) {
      return;
    }
    try {
      JsonNode errors = Json.read(response.peekBody(MAX_ERROR_BODY).bytes()).path("errors");
      for (JsonNode error : errors) {
        String code = error.path("code").asText("");
        String message = error.path("message").asText("");
        if (!code.isEmpty()) {
          codes.add(code);
        }
        details.add(message.isEmpty() ? code : code + ": " + message);
      }
    } catch (IOException | RuntimeException notOciJson) {
      // Not an OCI error body (an HTML page from a proxy, say): the status line says enough.
    }
  }
}
