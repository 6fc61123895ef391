package dev.satellite.registry.testing.faults;

/**
 * One request as the {@link FaultProxy} saw it, and what it sent back.
 *
 * @param path the request target, query included
 * @param range the {@code Range} header, or null
 * @param authorization whether the request carried an {@code Authorization} header
 * @param status the status sent to the client; 0 when none was (stall, refused connection,
 *     lost answer)
 * @param bodyBytes response body bytes written to the client (raw, chunk framing included)
 * @param fault the fault applied, or null when the exchange was relayed faithfully
 */
public record Exchange(
    String method,
    String path,
    String range,
    boolean authorization,
    int status,
    long bodyBytes,
    Fault fault) {

  /** Whether the method is {@code method} and the path (query excluded) matches {@code pathRegex}. */
  public boolean matches(String method, String pathRegex) {
    return (method == null || this.method.equals(method))
        && pathOnly().matches(pathRegex);
  }

  /** The path without its query. */
  public String pathOnly() {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  /** One line: request, status, bytes, range and fault. */
  public String describe() {
    return method + " " + path + " -> " + status + " (" + bodyBytes + " bytes"
        + (range == null ? "" : ", Range " + range) + (fault == null ? "" : ", " + fault) + ")";
  }
}
