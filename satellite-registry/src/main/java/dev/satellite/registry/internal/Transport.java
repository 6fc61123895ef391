package dev.satellite.registry.internal;

import dev.satellite.registry.RegistryException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one HTTP request, retrying connection failures and retryable statuses ({@link
 * RetryPolicy#isRetryableStatus}) with backoff, but only when the request body can be sent again.
 * TLS failures are never retried. Transport failures become {@link RegistryException}s that say
 * what was being done.
 */
public final class Transport {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  private final HttpClients http;
  private final RetryPolicy retry;

  public Transport(HttpClients http, RetryPolicy retry) {
    this.http = http;
    this.retry = retry;
  }

  /**
   * Returns the response (open; the caller closes it) of the last attempt, whatever its status.
   *
   * @throws RegistryException when no response could be had
   */
  public Response send(Request request, boolean replayable, String action) {
    for (int attempt = 0; ; attempt++) {
      boolean mayRetry = replayable && attempt < retry.maxRetries();
      Response response;
      try {
        response = http.forUrl(request.url()).newCall(request).execute();
      } catch (IOException e) {
        if (isTlsFailure(e) || !mayRetry) {
          throw new RegistryException(action, describe(e, request, attempt), e);
        }
        Duration delay = retry.delay(attempt, null);
        LOG.info(
            "{}: attempt {} failed ({}), retrying in {} ms",
            action,
            attempt + 1,
            e,
            delay.toMillis());
        retry.sleep(delay, action);
        continue;
      }
      if (mayRetry && RetryPolicy.isRetryableStatus(response.code())) {
        Duration delay = retry.delay(attempt, response.header("Retry-After"));
        LOG.info(
            "{}: attempt {} got {}, retrying in {} ms",
            action,
            attempt + 1,
            response.code(),
            delay.toMillis());
        response.close();
        retry.sleep(delay, action);
        continue;
      }
      return response;
    }
  }

  private static String describe(IOException e, Request request, int attempt) {
    String where = request.url().host() + ":" + request.url().port();
    String tries = attempt == 0 ? "" : " (after " + (attempt + 1) + " attempts)";
    if (isTlsFailure(e)) {
      String hint =
          hasCause(e, CertificateException.class) || e instanceof SSLPeerUnverifiedException
              ? "; the server certificate is not trusted: configure its CA with"
                  + " TlsOptions.trustedCertificates"
              : "";
      return "TLS handshake with " + where + " failed: " + e.getMessage() + hint;
    }
    if (e instanceof ConnectException) {
      return "cannot connect to " + where + ": " + e.getMessage() + tries;
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + request.url().host() + tries;
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out talking to " + where + tries;
    }
    return "I/O error talking to " + where + ": " + e + tries;
  }

  static boolean isTlsFailure(IOException e) {
    return hasCause(e, SSLException.class);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
