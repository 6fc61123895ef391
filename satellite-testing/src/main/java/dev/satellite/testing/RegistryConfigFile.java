package dev.satellite.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Writes the {@code config.yml} of one CNCF Distribution instance: filesystem storage under the
 * instance directory with deletes enabled, a loopback listen address, warn-level logs plus the
 * access log in combined log format (read by {@link AccessLog}), and optionally htpasswd (bcrypt)
 * auth, TLS and required client certificates.
 */
final class RegistryConfigFile {
  private RegistryConfigFile() {}

  /** What to put in the file; null members are left out. */
  record Settings(
      Path directory,
      int port,
      String username,
      String password,
      TestCertificates.Issued serverCertificate,
      Path clientCaPem) {}

  static Path write(Settings s) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("version: 0.1");
    lines.add("log:");
    lines.add("  level: warn");
    lines.add("  accesslog:");
    lines.add("    disabled: false");
    lines.add("storage:");
    lines.add("  filesystem:");
    lines.add("    rootdirectory: " + quoted(s.directory().resolve("storage")));
    lines.add("  delete:");
    lines.add("    enabled: true");
    lines.add("  maintenance:");
    lines.add("    uploadpurging:");
    lines.add("      enabled: false");
    lines.add("http:");
    lines.add("  addr: 127.0.0.1:" + s.port());
    lines.add("  secret: " + UUID.randomUUID());
    if (s.serverCertificate() != null) {
      lines.add("  tls:");
      lines.add("    certificate: " + quoted(s.serverCertificate().certificatePem()));
      lines.add("    key: " + quoted(s.serverCertificate().privateKeyPem()));
      if (s.clientCaPem() != null) {
        lines.add("    clientcas:");
        lines.add("      - " + quoted(s.clientCaPem()));
      }
    }
    if (s.username() != null) {
      Path htpasswd = writeHtpasswd(s.directory().resolve("htpasswd"), s.username(), s.password());
      lines.add("auth:");
      lines.add("  htpasswd:");
      lines.add("    realm: satellite-test");
      lines.add("    path: " + quoted(htpasswd));
    }
    Path config = s.directory().resolve("config.yml");
    Files.write(config, lines, StandardCharsets.UTF_8);
    return config;
  }

  /**
   * Runs {@code htpasswd -Bbn user password} (bcrypt) and puts its output line in {@code file},
   * replacing it atomically (Distribution reads the file again when it changes).
   */
  static Path writeHtpasswd(Path file, String username, String password)
      throws IOException {
    Path htpasswd = Executables.find(Executables.HTPASSWD);
    Process p =
        new ProcessBuilder(htpasswd.toString(), "-Bbn", username, password)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out;
    try (var in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.startsWith(username + ":")) {
        p.destroyForcibly();
        throw new IOException("htpasswd -Bbn " + username + " failed (exit " + exitOf(p) + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running htpasswd", e);
    }
    Path temp = Files.createTempFile(file.getParent(), "htpasswd-", ".tmp");
    Files.writeString(temp, out + "\n", StandardCharsets.UTF_8);
    return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static String exitOf(Process p) {
    return p.isAlive() ? "still running" : Integer.toString(p.exitValue());
  }

  private static String quoted(Path path) {
    return "\"" + path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
