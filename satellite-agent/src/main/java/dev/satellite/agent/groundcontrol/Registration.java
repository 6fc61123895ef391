package dev.satellite.agent.groundcontrol;

import java.util.List;

/**
 * What Ground Control hands a satellite that registers ({@code GET {gc}/satellites/ztr/{token}}):
 * where its satellite state is published and the robot account that reads it.
 *
 * <p>The answer is {@code {"state": "<harbor url>/satellite/satellite-state/<name>/state:latest",
 * "auth": {"url": "<harbor url>", "username": "robot$...", "password": "..."}}}, where the Harbor
 * URL carries its scheme ({@code https://harbor.example.com}). The robot credentials also
 * authenticate the satellite's heartbeats. {@link #toString} never shows the password.
 *
 * @param stateReference the satellite state reference, as Ground Control wrote it
 * @param registryUrl the Harbor registry's URL ({@code auth.url}), scheme included
 * @param username the robot account's name
 * @param password the robot account's secret
 */
public record Registration(
    String stateReference, String registryUrl, String username, String password) {

  /** @throws IllegalArgumentException naming the blank field */
  public Registration {
    requireText(stateReference, "state");
    requireText(registryUrl, "auth.url");
    requireText(username, "auth.username");
    requireText(password, "auth.password");
  }

  /**
   * The satellite's name, from its state reference: the path segment after {@code
   * satellite-state} ({@code .../satellite/satellite-state/<name>/state:latest}), or else the
   * segment before the reference's last one.
   */
  public String satelliteName() {
    String path = stateReference.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int at = path.indexOf('@');
    path = at < 0 ? path : path.substring(0, at);
    int colon = path.lastIndexOf(':');
    if (colon > path.lastIndexOf('/')) {
      path = path.substring(0, colon);
    }
    List<String> segments = List.of(path.split("/"));
    int marker = segments.indexOf("satellite-state");
    if (marker >= 0 && marker + 1 < segments.size()) {
      return segments.get(marker + 1);
    }
    return segments.size() >= 2 ? segments.get(segments.size() - 2) : segments.get(0);
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("registration: '" + field + "' is missing or empty");
    }
  }

  @Override
  public String toString() {
    return "Registration[state=" + stateReference + ", registry=" + registryUrl + ", username="
        + username + ", password=<redacted>]";
  }
}
