package dev.satellite.examples.cli;

import dev.satellite.core.Reconciler;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncListener;
import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.persistence.AtomicFileUploadJournal;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.ImageCopier;
import dev.satellite.registry.OciStateSource;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.RegistryReplicator;
import dev.satellite.registry.TlsOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one satellite needs, built from {@link SyncOptions}: an upstream client (source
 * credentials and TLS), an edge client (destination credentials and TLS, never the source's), the
 * state source, the upload journal (unless turned off), the replicator, the checkpoint store and
 * the reconciler. Closing it closes them in
 * reverse order, which also releases the checkpoint file's lock.
 */
public final class SatelliteSetup implements AutoCloseable {
  private final List<AutoCloseable> owned = new ArrayList<>();
  private final Reconciler reconciler;

  /**
   * @throws UsageException when a TLS file is invalid, a reference does not fit, or the
   *     checkpoint file is locked by another process
   */
  public SatelliteSetup(SyncOptions options, SyncListener listener) {
    try {
      RegistryClient upstream = own(client(options.upstreamBaseUrl(), options.source()));
      RegistryClient edge = own(client(options.destinationUrl(), options.destination()));
      OciStateSource.Builder source = OciStateSource.builder(upstream, options.stateRef());
      options.hostOverride().ifPresent(o -> source.hostOverride(o.getKey(), o.getValue()));
      OciStateSource stateSource = own(source.build());
      ImageCopier.Builder copier = ImageCopier.builder();
      if (options.uploadJournal().isPresent()) {
        copier.uploadJournal(own(AtomicFileUploadJournal.open(options.uploadJournal().get())));
      }
      RegistryReplicator replicator =
          own(new RegistryReplicator(stateSource.registryClients(), edge, own(copier.build())));
      StateStore store = own(AtomicFileStateStore.open(options.checkpoint()));
      this.reconciler =
          Reconciler.builder()
              .stateSource(stateSource)
              .replicator(replicator)
              .stateStore(store)
              .listener(listener)
              .build();
    } catch (RuntimeException e) {
      close();
      throw new UsageException(oneLine(e));
    }
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  /** A client for {@code baseUrl} with the credentials and TLS settings of one side. */
  static RegistryClient client(String baseUrl, EndpointOptions side) {
    TlsOptions.Builder tls = TlsOptions.builder();
    side.caFile().ifPresent(tls::trustedCertificates);
    side.certFile().ifPresent(cert -> tls.clientCertificate(cert, side.keyFile().orElseThrow()));
    if (side.insecureSkipVerify()) {
      tls.insecureSkipVerify();
    }
    Credentials credentials =
        side.user().isPresent()
            ? Credentials.basic(side.user().get(), side.password().orElseThrow())
            : Credentials.anonymous();
    return RegistryClient.builder(baseUrl).credentials(credentials).tls(tls.build()).build();
  }

  private <T extends AutoCloseable> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  /** The message of {@code e} on one line, prefixed by what was being set up. */
  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "setting up the satellite: " + message.replaceAll("\\s*\\R\\s*", " ");
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(SatelliteSetup.class)
            .warn("closing {}: {}", owned.get(i).getClass().getSimpleName(), e.getMessage());
      }
    }
    owned.clear();
  }
}
