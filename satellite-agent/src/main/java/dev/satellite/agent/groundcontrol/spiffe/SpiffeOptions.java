package dev.satellite.agent.groundcontrol.spiffe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satellite.agent.internal.support.Json;
import io.spiffe.exception.InvalidSpiffeIdException;
import io.spiffe.exception.SocketEndpointAddressException;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.workloadapi.Address;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a satellite joins a SPIFFE-secured fleet: where the SPIRE agent's Workload API listens, which
 * SPIFFE ID Ground Control must present, and how long to wait for a first X.509 SVID.
 *
 * <p>The satellite gets its X.509 SVID from the Workload API and keeps it current as SPIRE rotates
 * it; it registers with {@code GET {gc}/satellites/spiffe-ztr} and sends heartbeats over mutual TLS
 * with that SVID as client certificate, and Ground Control knows it by its SPIFFE ID ({@code
 * spiffe://<trust-domain>/satellite/region/<region>/<name>} or {@code
 * spiffe://<trust-domain>/satellite/<name>}: the last path segment is the satellite's name). Ground
 * Control's certificate must chain to the trust bundle the Workload API hands out for its trust
 * domain, and, when {@link #expectedServerId} is set, carry exactly that SPIFFE ID; without it any
 * SPIFFE ID of a trust domain the bundle covers is accepted.
 *
 * <p>The same settings as Harbor Satellite's: {@code app_config.spiffe} ({@code enabled}, {@code
 * endpoint_socket}, {@code expected_server_id}; {@link #fromConfig}) and the environment variables
 * {@value #ENABLED_VARIABLE}, {@value #SOCKET_VARIABLE}, {@value #EXPECTED_SERVER_ID_VARIABLE}
 * ({@link #fromEnvironment}). Immutable.
 */
public final class SpiffeOptions {
  /** The SPIRE agent's Workload API socket when none is given. */
  public static final String DEFAULT_SOCKET = "unix:///run/spire/sockets/agent.sock";
  /** How long the satellite waits for its first SVID when no wait is given. */
  public static final Duration DEFAULT_SVID_WAIT = Duration.ofMinutes(1);
  /** {@code true} turns SPIFFE on (Harbor Satellite's name). */
  public static final String ENABLED_VARIABLE = "SPIFFE_ENABLED";
  /** The Workload API socket (Harbor Satellite's and the SPIFFE Workload API's name). */
  public static final String SOCKET_VARIABLE = "SPIFFE_ENDPOINT_SOCKET";
  /** Ground Control's expected SPIFFE ID (Harbor Satellite's name). */
  public static final String EXPECTED_SERVER_ID_VARIABLE = "SPIFFE_EXPECTED_SERVER_ID";

  private final String socket;
  private final Optional<String> expectedServerId;
  private final Duration svidWait;

  private SpiffeOptions(Builder builder) {
    this.socket = builder.socket;
    this.expectedServerId = builder.expectedServerId;
    this.svidWait = builder.svidWait;
  }

  /** The defaults: socket {@value #DEFAULT_SOCKET}, any server ID of the bundle, one minute. */
  public static SpiffeOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The options the environment gives, when {@value #ENABLED_VARIABLE} is {@code true} (or
   * {@code 1}); empty otherwise.
   *
   * @throws IllegalArgumentException naming the variable whose value is invalid
   */
  public static Optional<SpiffeOptions> fromEnvironment(Map<String, String> environment) {
    String enabled = environment.getOrDefault(ENABLED_VARIABLE, "").strip();
    if (!enabled.equalsIgnoreCase("true") && !enabled.equals("1")) {
      return Optional.empty();
    }
    Builder builder = builder();
    String socket = environment.get(SOCKET_VARIABLE);
    String expected = environment.get(EXPECTED_SERVER_ID_VARIABLE);
    try {
      if (socket != null && !socket.isBlank()) {
        builder.socket(socket.strip());
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(SOCKET_VARIABLE + ": " + e.getMessage(), e);
    }
    try {
      if (expected != null && !expected.isBlank()) {
        builder.expectedServerId(expected.strip());
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(EXPECTED_SERVER_ID_VARIABLE + ": " + e.getMessage(), e);
    }
    return Optional.of(builder.build());
  }

  /**
   * The options of {@code app_config.spiffe} in a Harbor Satellite config ({@code {"app_config":
   * {"spiffe": {"enabled": true, "endpoint_socket": "...", "expected_server_id": "..."}}}}), when
   * {@code enabled} is true; empty otherwise.
   *
   * @param origin where the config came from, for error messages (e.g. its file name)
   * @throws IllegalArgumentException when the config is not JSON, or a field has the wrong type or
   *     an invalid value; the message names {@code origin} and the field
   */
  public static Optional<SpiffeOptions> fromConfig(byte[] json, String origin) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(origin + ": not JSON: " + e.getMessage(), e);
    }
    JsonNode spiffe = root == null ? null : root.path("app_config").path("spiffe");
    if (spiffe == null || spiffe.isMissingNode() || spiffe.isNull()) {
      return Optional.empty();
    }
    String where = origin + ": app_config.spiffe";
    if (!spiffe.isObject()) {
      throw new IllegalArgumentException(where + " is not an object");
    }
    JsonNode enabled = spiffe.path("enabled");
    if (!enabled.isMissingNode() && !enabled.isBoolean()) {
      throw new IllegalArgumentException(where + ".enabled is not true or false: " + enabled);
    }
    if (!enabled.asBoolean(false)) {
      return Optional.empty();
    }
    Builder builder = builder();
    text(spiffe, "endpoint_socket", where).ifPresent(socket -> {
      try {
        builder.socket(socket);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".endpoint_socket: " + e.getMessage(), e);
      }
    });
    text(spiffe, "expected_server_id", where).ifPresent(id -> {
      try {
        builder.expectedServerId(id);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".expected_server_id: " + e.getMessage(), e);
      }
    });
    return Optional.of(builder.build());
  }

  private static Optional<String> text(JsonNode node, String field, String where) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + "." + field + " is not a string: " + value);
    }
    return value.textValue().isBlank() ? Optional.empty() : Optional.of(value.textValue().strip());
  }

  /** The Workload API address: {@code unix:///path/to/agent.sock} or {@code tcp://ip:port}. */
  public String socket() {
    return socket;
  }

  /** The SPIFFE ID Ground Control must present; empty: any ID the trust bundle covers. */
  public Optional<String> expectedServerId() {
    return expectedServerId;
  }

  /**
   * How long building the satellite waits for the Workload API to hand out the first SVID (the
   * SPIRE agent may still be starting, or attesting the node); the Workload API is asked again
   * with backoff meanwhile.
   */
  public Duration svidWait() {
    return svidWait;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpiffeOptions other && socket.equals(other.socket)
        && expectedServerId.equals(other.expectedServerId) && svidWait.equals(other.svidWait);
  }

  @Override
  public int hashCode() {
    return Objects.hash(socket, expectedServerId, svidWait);
  }

  @Override
  public String toString() {
    return "SpiffeOptions[socket=" + socket + ", expectedServerId="
        + expectedServerId.orElse("(any of the trust bundle)") + ", svidWait=" + svidWait + "]";
  }

  /** Options of {@link SpiffeOptions}; each checked as it is set. */
  public static final class Builder {
    private String socket = DEFAULT_SOCKET;
    private Optional<String> expectedServerId = Optional.empty();
    private Duration svidWait = DEFAULT_SVID_WAIT;

    private Builder() {}

    /**
     * The SPIRE agent's Workload API: {@code unix:///run/spire/sockets/agent.sock} (default), a
     * bare absolute path (taken as {@code unix://}), or {@code tcp://127.0.0.1:8081}.
     *
     * @throws IllegalArgumentException when it is not such an address
     */
    public Builder socket(String address) {
      Objects.requireNonNull(address, "address");
      String uri = address.startsWith("/") ? "unix://" + address : address;
      try {
        Address.parseAddress(uri);
      } catch (SocketEndpointAddressException e) {
        throw new IllegalArgumentException("'" + address + "' is not a Workload API address such"
            + " as unix:///run/spire/sockets/agent.sock: " + e.getMessage(), e);
      }
      this.socket = uri;
      return this;
    }

    /**
     * The SPIFFE ID Ground Control's certificate must carry, e.g. {@code
     * spiffe://example.org/gc/main}.
     *
     * @throws IllegalArgumentException when it is not a SPIFFE ID
     */
    public Builder expectedServerId(String spiffeId) {
      Objects.requireNonNull(spiffeId, "spiffeId");
      try {
        SpiffeId.parse(spiffeId);
      } catch (InvalidSpiffeIdException | IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + spiffeId + "' is not a SPIFFE ID such as"
            + " spiffe://example.org/gc/main: " + e.getMessage(), e);
      }
      this.expectedServerId = Optional.of(spiffeId);
      return this;
    }

    /**
     * How long to wait for the first SVID (default one minute; whole seconds, at least one).
     *
     * @throws IllegalArgumentException when shorter than a second
     */
    public Builder svidWait(Duration wait) {
      if (wait == null || wait.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("the SVID wait must be at least 1 s, got " + wait);
      }
      this.svidWait = wait;
      return this;
    }

    public SpiffeOptions build() {
      return new SpiffeOptions(this);
    }
  }
}
