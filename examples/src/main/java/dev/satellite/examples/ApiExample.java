package dev.satellite.examples;

import dev.satellite.agent.Satellite;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.TlsOptions;
import java.nio.file.Path;

/**
 * The README's API example as a runnable class: one pass of a {@link Satellite} from an upstream
 * registry (basic auth, its own CA) to an edge registry (its own CA). The lines between the
 * {@code README} markers are the README's, word for word (a test keeps them in step).
 *
 * <pre>{@code
 * HARBOR_PASSWORD=... java -cp ... dev.satellite.examples.ApiExample \
 *     https://harbor.example.com harbor-ca.pem 'robot$edge-1' \
 *     harbor.example.com/satellite/satellite-state/edge-1/state:latest \
 *     https://127.0.0.1:5000 edge-ca.pem /var/lib/satellite
 * }</pre>
 *
 * <p>Exits 0 when every desired image is in place, 1 otherwise.
 */
public final class ApiExample {
  private ApiExample() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** One pass; returns the exit status (2 for a wrong number of arguments). */
  static int run(String[] args) {
    if (args.length != 7) {
      System.err.println("usage: ApiExample <upstream url> <upstream ca.pem> <robot name>"
          + " <state reference> <edge url> <edge ca.pem> <state directory>"
          + " (password in HARBOR_PASSWORD)");
      return 2;
    }
    String upstreamUrl = args[0];
    Path upstreamCa = Path.of(args[1]);
    String robotName = args[2];
    String stateReference = args[3];
    String edgeUrl = args[4];
    Path edgeCa = Path.of(args[5]);
    Path stateDirectory = Path.of(args[6]);
    // README:begin clients
    RegistryClient upstreamClient = RegistryClient.builder(upstreamUrl)
        .credentials(Credentials.basic(robotName, System.getenv("HARBOR_PASSWORD")))
        .tls(TlsOptions.builder().trustedCertificates(upstreamCa).build())
        .build();
    RegistryClient edgeClient = RegistryClient.builder(edgeUrl)
        .tls(TlsOptions.builder().trustedCertificates(edgeCa).build())
        .build();
    // README:end
    int status;
    // README:begin satellite
    try (upstreamClient; edgeClient;
        Satellite satellite = Satellite.builder()
            .upstream(upstreamClient, stateReference)
            .edge(edgeClient)
            .stateDirectory(stateDirectory)  // checkpoint, upload journal, everything on disk
            .build()) {
      SyncReport report = satellite.syncOnce();  // one pass; per-image failures are in the report
      System.out.println(report.toJson());
      status = report.ok() ? 0 : 1;
    }                                            // close(): stops the loop, saves, releases locks
    // README:end
    return status;
  }
}
