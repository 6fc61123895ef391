package dev.satellite.registry.testing.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The responses of the faults that answer without asking the registry. */
final class FaultAnswers {
  private FaultAnswers() {}

  static boolean answersAlone(Fault fault) {
    return fault instanceof Fault.Status
        || fault instanceof Fault.Stall
        || fault instanceof Fault.Redirect
        || fault instanceof Fault.Oversized;
  }

  /** The status the fault answers with; 0 for a stall, which answers nothing. */
  static int status(Fault fault) {
    if (fault instanceof Fault.Status s) {
      return s.status();
    }
    if (fault instanceof Fault.Redirect) {
      return 307;
    }
    return fault instanceof Fault.Oversized ? 200 : 0;
  }

  /** Writes the answer; false when the connection must close afterwards. */
  static boolean answer(HttpHead req, Fault fault, OutputStream out) throws IOException {
    boolean head = req.method().equals("HEAD");
    if (fault instanceof Fault.Stall s) {
      try {
        Thread.sleep(s.duration().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
    if (fault instanceof Fault.Status s) {
      byte[] body = ascii("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":"
          + "\"injected " + s.status() + "\"}]}");
      HttpHead h = new HttpHead("HTTP/1.1 " + s.status() + " Injected", List.of(
          new String[] {"Content-Type", "application/json"},
          new String[] {"Content-Length", Integer.toString(head ? 0 : body.length)}));
      if (s.retryAfter() != null) {
        h = h.with("Retry-After", s.retryAfter());
      }
      h.write(out);
      if (!head) {
        out.write(body);
      }
    } else if (fault instanceof Fault.Redirect r) {
      new HttpHead("HTTP/1.1 307 Temporary Redirect", List.of(
          new String[] {"Location", r.location()},
          new String[] {"Content-Length", "0"})).write(out);
    } else if (fault instanceof Fault.Oversized o) {
      new HttpHead("HTTP/1.1 200 OK", List.of(
          new String[] {"Content-Type", o.contentType()},
          new String[] {"Content-Length", Long.toString(o.size())})).write(out);
      if (!head) {
        byte[] filler = new byte[64 * 1024];
        Arrays.fill(filler, (byte) ' ');
        for (long left = o.size(); left > 0; left -= filler.length) {
          out.write(filler, 0, (int) Math.min(filler.length, left));
        }
      }
    }
    out.flush();
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
