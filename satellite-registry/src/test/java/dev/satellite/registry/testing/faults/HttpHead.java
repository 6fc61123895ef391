package dev.satellite.registry.testing.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The start line and header fields of an HTTP/1.1 message, read from and written to raw streams,
 * plus the body framing rules the proxy needs (RFC 9112 section 6): {@code Content-Length},
 * {@code Transfer-Encoding: chunked}, or read to the end of the connection.
 */
final class HttpHead {
  private static final int MAX_LINE = 64 * 1024;

  final String startLine;
  private final List<String[]> fields;

  HttpHead(String startLine, List<String[]> fields) {
    this.startLine = startLine;
    this.fields = new ArrayList<>(fields);
  }

  /** Reads a head; null when the stream ends before its first byte (connection closed). */
  static HttpHead read(InputStream in) throws IOException {
    String start = readLine(in);
    if (start == null) {
      return null;
    }
    List<String[]> fields = new ArrayList<>();
    for (String line; !(line = requireLine(in)).isEmpty(); ) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line: " + line);
      }
      fields.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
    }
    return new HttpHead(start, fields);
  }

  String method() {
    return startLine.split(" ", 3)[0];
  }

  String target() {
    return startLine.split(" ", 3)[1];
  }

  int status() {
    return Integer.parseInt(startLine.split(" ", 3)[1]);
  }

  String header(String name) {
    for (String[] f : fields) {
      if (f[0].equalsIgnoreCase(name)) {
        return f[1];
      }
    }
    return null;
  }

  HttpHead without(String name) {
    List<String[]> kept = new ArrayList<>();
    for (String[] f : fields) {
      if (!f[0].equalsIgnoreCase(name)) {
        kept.add(f);
      }
    }
    return new HttpHead(startLine, kept);
  }

  HttpHead with(String name, String value) {
    HttpHead h = without(name);
    h.fields.add(new String[] {name, value});
    return h;
  }

  boolean chunked() {
    String te = header("Transfer-Encoding");
    return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
  }

  /** The declared body length; -1 when none is declared. */
  long contentLength() {
    String cl = header("Content-Length");
    return cl == null ? -1 : Long.parseLong(cl.trim());
  }

  void write(OutputStream out) throws IOException {
    StringBuilder b = new StringBuilder(startLine).append("\r\n");
    for (String[] f : fields) {
      b.append(f[0]).append(": ").append(f[1]).append("\r\n");
    }
    out.write(b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Copies a chunked body verbatim (sizes, data, trailers) up to and including its end. */
  static long relayChunked(InputStream in, OutputStream out) throws IOException {
    long total = 0;
    while (true) {
      String sizeLine = requireLine(in);
      total += writeLine(out, sizeLine);
      long size = Long.parseLong(sizeLine.split(";", 2)[0].trim(), 16);
      if (size == 0) {
        for (String trailer; !(trailer = requireLine(in)).isEmpty(); ) {
          total += writeLine(out, trailer);
        }
        return total + writeLine(out, "");
      }
      total += copy(in, out, size);
      total += writeLine(out, requireLine(in));
    }
  }

  /** Copies exactly {@code n} bytes. */
  static long copy(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[16 * 1024];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new IOException("stream ended " + left + " bytes early");
      }
      out.write(buf, 0, r);
      left -= r;
    }
    return n;
  }

  private static long writeLine(OutputStream out, String line) throws IOException {
    byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    out.write(bytes);
    return bytes.length;
  }

  private static String requireLine(InputStream in) throws IOException {
    String line = readLine(in);
    if (line == null) {
      throw new IOException("connection closed inside an HTTP head");
    }
    return line;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
      }
      line.write(c);
    }
    if (line.size() == 0) {
      return null;
    }
    throw new IOException("connection closed inside an HTTP line");
  }
}
