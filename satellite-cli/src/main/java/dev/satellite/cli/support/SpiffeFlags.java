package dev.satellite.cli.support;

import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The agent's options for joining a SPIFFE-secured fleet, as a picocli mixin: {@code --spiffe},
 * {@code --spiffe-socket}, {@code --spiffe-expected-server-id}, with Harbor Satellite's flag names
 * ({@code --spiffe-enabled}, {@code --spiffe-endpoint-socket}) as aliases and its environment
 * variables ({@code SPIFFE_ENABLED}, {@code SPIFFE_ENDPOINT_SOCKET}, {@code
 * SPIFFE_EXPECTED_SERVER_ID}) as defaults; a flag wins over its variable.
 */
public final class SpiffeFlags {
  @Option(names = {"--spiffe", "--spiffe-enabled"}, order = 64,
      description = {"join with the SPIFFE identity of the SPIRE agent's Workload API instead of",
          "a token: registration and heartbeats over mutual TLS with the X.509 SVID, which",
          "rotates without a restart (or env " + SpiffeOptions.ENABLED_VARIABLE + "=true)"})
  boolean enabled;

  @Option(names = {"--spiffe-socket", "--spiffe-endpoint-socket"}, paramLabel = "<address>",
      order = 65,
      description = "the Workload API (default " + SpiffeOptions.DEFAULT_SOCKET + ", or env "
          + SpiffeOptions.SOCKET_VARIABLE + ")")
  String socket;

  @Option(names = "--spiffe-expected-server-id", paramLabel = "<spiffe-id>", order = 66,
      description = {"the SPIFFE ID Ground Control must present, e.g.",
          "spiffe://example.org/gc/main (or env " + SpiffeOptions.EXPECTED_SERVER_ID_VARIABLE
              + "; default: any ID of the trust bundle)"})
  String expectedServerId;

  /** Whether a SPIFFE option was given on the command line. */
  public boolean given() {
    return enabled || socket != null || expectedServerId != null;
  }

  /**
   * The SPIFFE options, when {@code --spiffe} or {@code SPIFFE_ENABLED} turns SPIFFE on.
   *
   * @throws UsageException naming the option or variable whose value is invalid, or a socket or
   *     server ID given without SPIFFE turned on
   */
  public Optional<SpiffeOptions> options(Map<String, String> env) {
    Optional<SpiffeOptions> fromEnvironment;
    try {
      fromEnvironment = SpiffeOptions.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      throw new UsageException("environment variable " + e.getMessage());
    }
    if (!enabled && fromEnvironment.isEmpty()) {
      if (given()) {
        throw new UsageException("options --spiffe-socket and --spiffe-expected-server-id go"
            + " with --spiffe");
      }
      return Optional.empty();
    }
    SpiffeOptions base = fromEnvironment.orElse(SpiffeOptions.defaults());
    SpiffeOptions.Builder builder = SpiffeOptions.builder().socket(base.socket());
    base.expectedServerId().ifPresent(builder::expectedServerId);
    try {
      if (socket != null) {
        builder.socket(socket);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("option --spiffe-socket: " + e.getMessage());
    }
    try {
      if (expectedServerId != null) {
        builder.expectedServerId(expectedServerId);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("option --spiffe-expected-server-id: " + e.getMessage());
    }
    return Optional.of(builder.build());
  }
}
