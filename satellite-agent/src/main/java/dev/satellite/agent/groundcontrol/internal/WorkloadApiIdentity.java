package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.agent.groundcontrol.spiffe.SpiffeOptions;
import dev.satellite.core.SatelliteException;
import io.spiffe.exception.SocketEndpointAddressException;
import io.spiffe.exception.X509SourceException;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.DefaultX509Source;
import io.spiffe.workloadapi.X509Source;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the satellite's SPIFFE identity: java-spiffe's {@link DefaultX509Source} over the SPIRE
 * agent's Workload API, which streams the X.509 SVID and trust bundles and their rotations for as
 * long as it is open (reconnecting with backoff when the agent restarts).
 *
 * <p>Opening waits up to {@link SpiffeOptions#svidWait} for the first SVID, while java-spiffe asks
 * the agent again with backoff (1 s, 2 s, 4 s, ...): an agent that starts late is waited for. When
 * the wait ends without an SVID, the failure says which of these it was: no socket at the
 * address, a socket that refuses connections (no SPIRE agent), or an agent that answers but has
 * no identity for this process (no registration entry matches it).
 */
public final class WorkloadApiIdentity {
  private static final Logger log = LoggerFactory.getLogger(WorkloadApiIdentity.class);

  private WorkloadApiIdentity() {}

  /**
   * The X.509 source with its first SVID; the caller closes it.
   *
   * @throws SatelliteException when no SVID came within the wait, naming the socket and why
   */
  public static X509Source open(SpiffeOptions options) {
    Duration wait = options.svidWait();
    DefaultX509Source source;
    try {
      source = DefaultX509Source.newSource(DefaultX509Source.X509SourceOptions.builder()
          .spiffeSocketPath(options.socket())
          .initTimeout(Duration.ofSeconds(Math.max(1, wait.toSeconds())))
          .build());
    } catch (SocketEndpointAddressException e) {
      throw new SatelliteException("SPIFFE Workload API address " + options.socket() + ": "
          + e.getMessage(), e);
    } catch (X509SourceException e) {
      throw new SatelliteException(noSvid(options), e);
    }
    X509Svid svid;
    try {
      svid = source.getX509Svid();
    } catch (RuntimeException e) {
      svid = null;
    }
    if (svid == null) {
      // java-spiffe ends its wait without an SVID when the agent refused the request for good
      source.close();
      throw new SatelliteException("the SPIRE agent at " + options.socket() + " refused to hand"
          + " out an X.509 SVID (Workload API error; see the log of io.spiffe.workloadapi)");
    }
    log.info("SPIFFE identity {} from the SPIRE agent at {} (certificate valid until {})",
        svid.getSpiffeId(), options.socket(), svid.getLeaf().getNotAfter().toInstant());
    return source;
  }

  /** Why no SVID came: what is at the socket address now. */
  private static String noSvid(SpiffeOptions options) {
    String socket = options.socket();
    String waited = "waited " + options.svidWait().toSeconds() + " s for an X.509 SVID";
    URI address = URI.create(socket);
    if (address.getScheme().equals("unix")) {
      Path path = Path.of(address.getPath());
      if (!Files.exists(path)) {
        return "no SPIRE agent at " + socket + ": there is no socket at " + path + " (is the"
            + " SPIRE agent running, with this socket_path, and is its directory mounted here?); "
            + waited;
      }
      try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel.connect(UnixDomainSocketAddress.of(path));
      } catch (IOException e) {
        return "no SPIRE agent at " + socket + ": the socket refuses connections (" + e.getMessage()
            + "); " + waited;
      }
    } else {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(address.getHost(), address.getPort()), 2_000);
      } catch (IOException e) {
        return "no SPIRE agent at " + socket + ": " + e.getMessage() + "; " + waited;
      }
    }
    return "the SPIRE agent at " + socket + " handed out no X.509 SVID: " + waited + " (does a"
        + " registration entry's selectors match this process, and has the agent attested its"
        + " node?)";
  }
}
