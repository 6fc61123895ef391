package dev.satellite.agent.groundcontrol.internal;

import io.spiffe.exception.BundleNotFoundException;
import io.spiffe.provider.SpiffeIdVerifier;
import io.spiffe.provider.SpiffeKeyManager;
import io.spiffe.provider.SpiffeTrustManager;
import io.spiffe.provider.SpiffeVerificationException;
import io.spiffe.spiffeid.SpiffeId;
import io.spiffe.svid.x509svid.X509Svid;
import io.spiffe.workloadapi.X509Source;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Mutual TLS with a SPIFFE identity for an OkHttp client, as Harbor Satellite's SPIFFE client
 * (go-spiffe's {@code tlsconfig.MTLSClientConfig}) does it.
 *
 * <ul>
 *   <li><b>Client certificate:</b> java-spiffe's {@link SpiffeKeyManager} hands the TLS stack the
 *       X.509 SVID the {@link X509Source} holds at the moment of each handshake, so an SVID the
 *       Workload API rotated in is presented by the next connection, without a restart. TLS
 *       sessions are resumed only while the SVID is the same: a resumed session would identify
 *       the client by the certificate of the session it resumes, so each SVID gets an {@link
 *       SSLContext} (and session cache) of its own.
 *   <li><b>Server:</b> java-spiffe's {@link SpiffeTrustManager} verifies the server's chain
 *       against the trust bundle of the server's trust domain (current bundles from the source)
 *       and, first, this class's verifier: the server's SPIFFE ID must be the expected one when
 *       given; its trust domain must be one the Workload API gave a bundle for (else the handshake
 *       fails naming both trust domains, instead of a bare "bundle not found").
 *   <li><b>Host names</b> are not checked: the server is authenticated by its SPIFFE ID, which is
 *       what SPIFFE certificates carry (a SPIRE-issued server SVID usually has no DNS name).
 *   <li><b>No idle connections are kept:</b> each request handshakes anew, so the next request
 *       after a rotation presents the new SVID (a pooled connection would keep the old one for as
 *       long as it lives). Ground Control sees a request every few seconds at most, so the cost is
 *       one handshake per request.
 * </ul>
 */
public final class SpiffeTls {
  private SpiffeTls() {}

  /**
   * Sets {@code http} up for mutual TLS with {@code source}'s SVID.
   *
   * @param expectedServerId the SPIFFE ID the server must present; empty: any ID of a trust
   *     domain the source has a bundle for
   * @param peer what the server is, for messages (e.g. {@code Ground Control at https://...})
   */
  public static void applyTo(OkHttpClient.Builder http, X509Source source,
      Optional<String> expectedServerId, String peer) {
    Optional<SpiffeId> expected = expectedServerId.map(SpiffeId::parse);
    SpiffeTrustManager trust = new SpiffeTrustManager(source, verifier(source, expected, peer));
    http.sslSocketFactory(new PerSvidSocketFactory(source, trust, peer), trust)
        .hostnameVerifier((host, session) -> true)
        .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS));
  }

  /**
   * Why the server was refused, when {@code failure} (an exception of an HTTP call) is a server
   * that failed SPIFFE authentication: its SPIFFE ID, trust domain or chain; empty for anything
   * else (a connection that failed, which may pass).
   */
  public static Optional<String> refusal(Throwable failure) {
    CertificateException certificate = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SpiffeVerificationException) {
        return Optional.of(t.getMessage());
      }
      if (t instanceof CertificateException c && certificate == null) {
        certificate = c;
      }
    }
    return Optional.ofNullable(certificate).map(c -> "its certificate was refused: "
        + c.getMessage());
  }

  /** TLS sockets from the {@link SSLContext} of the SVID the source holds now. */
  private static final class PerSvidSocketFactory extends SSLSocketFactory {
    private final X509Source source;
    private final SpiffeTrustManager trust;
    private final String peer;
    private X509Svid svid;
    private SSLContext context;

    PerSvidSocketFactory(X509Source source, SpiffeTrustManager trust, String peer) {
      this.source = source;
      this.trust = trust;
      this.peer = peer;
      current();
    }

    private synchronized SSLSocketFactory current() {
      X509Svid now = source.getX509Svid();
      if (now != svid) {
        try {
          SSLContext next = SSLContext.getInstance("TLS");
          next.init(new KeyManager[] {new SpiffeKeyManager(source)},
              new TrustManager[] {trust}, null);
          context = next;
          svid = now;
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("set up mutual TLS with a SPIFFE identity for " + peer
              + ": " + e, e);
        }
      }
      return context.getSocketFactory();
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return current().getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return current().getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
        throws IOException {
      return current().createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return current().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return current().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return current().createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
        int localPort) throws IOException {
      return current().createSocket(address, port, localAddress, localPort);
    }
  }

  private static SpiffeIdVerifier verifier(X509Source source, Optional<SpiffeId> expected,
      String peer) {
    return (id, chain) -> {
      if (expected.isPresent() && !expected.get().equals(id)) {
        throw new SpiffeVerificationException(peer + " presented SPIFFE ID " + id
            + ", not the expected " + expected.get());
      }
      try {
        source.getBundleForTrustDomain(id.getTrustDomain());
      } catch (BundleNotFoundException e) {
        X509Svid own = source.getX509Svid();
        throw new SpiffeVerificationException(peer + " presented SPIFFE ID " + id
            + " of trust domain " + id.getTrustDomain() + ", but the SPIRE agent gave this"
            + " satellite (" + own.getSpiffeId() + ") no trust bundle for that domain: trust"
            + " domain mismatch (federate the trust domains, or point the satellite at the Ground"
            + " Control of its own)");
      }
    };
  }
}
