package dev.satellite.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A real CNCF Distribution registry ({@code docker-registry serve config.yml}) on a free loopback
 * port, for tests. Each instance has its own directory (config, filesystem storage, htpasswd, log),
 * so several run side by side. {@link #close()} stops the process (SIGTERM, then SIGKILL) and
 * deletes the directory when the harness created it.
 *
 * <pre>{@code
 * try (DistributionRegistry plain = DistributionRegistry.builder().start();
 *     DistributionRegistry secured = DistributionRegistry.builder()
 *         .basicAuth("alice", "s3cret")
 *         .tls(TestCertificates.authority(dir, "ca-a"))
 *         .start()) {
 *   RegistryClient c = RegistryClient.builder(secured.baseUrl())
 *       .credentials(Credentials.basic(secured.username(), secured.password()))
 *       .tls(TlsOptions.builder().trustedCertificates(secured.caCertificate()).build())
 *       .build();
 * }
 * }</pre>
 *
 * <p>{@link Builder#start()} returns once {@code GET /v2/} answers 200 or 401; if the process
 * exits or the timeout passes first, it fails with the tail of the registry's log.
 */
public final class DistributionRegistry implements AutoCloseable {
  private static final int START_ATTEMPTS = 3;

  private final Builder settings;
  private final Path directory;
  private final boolean ownsDirectory;
  private final int port;
  private final Path logFile;
  private final OkHttpClient httpClient;
  private final Process process;
  private final Thread shutdownHook;
  private volatile String password;

  private DistributionRegistry(Builder b, Path directory, boolean ownsDirectory, int port)
      throws IOException {
    this.settings = b;
    this.directory = directory;
    this.ownsDirectory = ownsDirectory;
    this.port = port;
    this.logFile = directory.resolve("registry.log");
    this.password = b.password;
    this.httpClient = HarnessSupport.probeClient(b.serverCa, b.clientCa);
    Path config =
        RegistryConfigFile.write(
            new RegistryConfigFile.Settings(
                directory,
                port,
                b.username,
                b.password,
                b.serverCertificate,
                b.clientCa == null ? null : b.clientCa.certificatePem()));
    Path exe = Executables.find(Executables.DOCKER_REGISTRY);
    this.process =
        new ProcessBuilder(exe.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
    this.shutdownHook = new Thread(this::stopProcess, "stop registry " + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:<port>} or {@code https://127.0.0.1:<port>}. */
  public String baseUrl() {
    return (settings.serverCertificate == null ? "http" : "https") + "://" + hostPort();
  }

  /** {@code 127.0.0.1:<port>}: the registry part of an image reference. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** @throws IllegalStateException when the registry was started without {@code basicAuth} */
  public String username() {
    return requireSet(settings.username, "basicAuth");
  }

  /** @throws IllegalStateException when the registry was started without {@code basicAuth} */
  public String password() {
    return requireSet(password, "basicAuth");
  }

  /**
   * Replaces the user's password, as Harbor does when a robot account's secret is refreshed or
   * expires: the htpasswd file is rewritten atomically and the running registry refuses the old
   * password ({@code 401}) from its next request on.
   *
   * @throws IllegalStateException when the registry was started without {@code basicAuth}
   * @throws UncheckedIOException when the file cannot be written
   */
  public void changePassword(String newPassword) {
    requireSet(settings.username, "basicAuth");
    try {
      RegistryConfigFile.writeHtpasswd(directory.resolve("htpasswd"), settings.username,
          Objects.requireNonNull(newPassword, "newPassword"));
    } catch (IOException e) {
      throw new UncheckedIOException("rewrite the htpasswd of " + baseUrl(), e);
    }
    this.password = newPassword;
  }

  /** PEM of the CA that signed the server certificate. @throws IllegalStateException without TLS */
  public Path caCertificate() {
    return requireSet(settings.serverCa, "tls").certificatePem();
  }

  /** Root of the registry's filesystem storage. */
  public Path storageDir() {
    return directory.resolve("storage");
  }

  /** Where the committed blob {@code digest} ("sha256:...") lives in {@link #storageDir()}. */
  public Path blobFile(String digest) {
    String[] parts = digest.split(":", 2);
    return storageDir()
        .resolve("docker/registry/v2/blobs")
        .resolve(parts[0])
        .resolve(parts[1].substring(0, 2))
        .resolve(parts[1])
        .resolve("data");
  }

  /** Every request the registry has answered so far, from its access log, oldest first. */
  public List<AccessLog.Entry> requests() {
    return AccessLog.read(logFile);
  }

  /** The registry's stdout and stderr. */
  public Path logFile() {
    return logFile;
  }

  /**
   * A raw OkHttp client able to reach this registry: trusts its CA and, when client certificates
   * are required, presents one issued for the harness. It sends no credentials.
   */
  public OkHttpClient httpClient() {
    return httpClient;
  }

  /**
   * Pushes {@code image} to {@code repository} with this harness's own client and credentials (not
   * the code under test): each blob the repository lacks, then the manifest by digest and under
   * each tag.
   *
   * @return the manifest digest ({@code sha256:...})
   */
  public String push(String repository, TestImage image, String... tags) {
    return seeder().push(repository, image, tags);
  }

  /** Pushes every child image of {@code index}, then the index by digest and under each tag. */
  public String push(String repository, TestIndex index, String... tags) {
    return seeder().push(repository, index, tags);
  }

  private RegistrySeeder seeder() {
    return new RegistrySeeder(httpClient, baseUrl(), settings.username, password);
  }

  /** The last lines of the registry's log, for failure messages. */
  public String logTail() {
    try {
      if (!Files.exists(logFile)) {
        return "(no log)";
      }
      String log = Files.readString(logFile, StandardCharsets.UTF_8);
      return log.length() <= 4000 ? log : "..." + log.substring(log.length() - 4000);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    httpClient.connectionPool().evictAll();
    httpClient.dispatcher().executorService().shutdown();
    if (ownsDirectory) {
      HarnessSupport.deleteRecursively(directory);
    }
  }

  @Override
  public String toString() {
    return "DistributionRegistry[" + baseUrl() + ", dir=" + directory + "]";
  }

  private void stopProcess() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Polls {@code /v2/} until it answers 200 or 401; false when the process exited first. */
  private boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Request ping = new Request.Builder().url(baseUrl() + "/v2/").build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Response r = httpClient.newCall(ping).execute()) {
        if (r.code() == 200 || r.code() == 401) {
          return true;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "registry " + baseUrl() + " did not answer /v2/ within " + timeout + "; log:\n"
            + logTail());
  }

  private static <T> T requireSet(T value, String option) {
    if (value == null) {
      throw new IllegalStateException("this registry was started without " + option + "(..)");
    }
    return value;
  }

  /** Options of one registry instance; {@link #start()} launches it. */
  public static final class Builder {
    private Path directory;
    private String username;
    private String password;
    private TestCertificates.Authority serverCa;
    private TestCertificates.Issued serverCertificate;
    private TestCertificates.Authority clientCa;
    private Duration startTimeout = Duration.ofSeconds(30);
    private int port;

    private Builder() {}

    /**
     * Listen on {@code port} (e.g. the port of a registry stopped before, to start it again over
     * the same {@link #directory}); a free port by default. A port in use fails the start.
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Keep config, storage and log in {@code dir} (e.g. a JUnit {@code @TempDir}); not deleted. */
    public Builder directory(Path dir) {
      this.directory = Objects.requireNonNull(dir);
      return this;
    }

    /** Require HTTP Basic auth (htpasswd file, bcrypt) for this single user. */
    public Builder basicAuth(String username, String password) {
      this.username = Objects.requireNonNull(username);
      this.password = Objects.requireNonNull(password);
      return this;
    }

    /** Serve HTTPS with a certificate for 127.0.0.1/localhost issued by {@code ca}. */
    public Builder tls(TestCertificates.Authority ca) {
      this.serverCa = Objects.requireNonNull(ca);
      return this;
    }

    /** Require a client certificate issued by {@code ca} ({@code http.tls.clientcas}). */
    public Builder requireClientCertificate(TestCertificates.Authority ca) {
      this.clientCa = Objects.requireNonNull(ca);
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * Starts the registry and waits until it answers.
     *
     * @throws IllegalStateException when {@code docker-registry} is missing, or the registry did
     *     not come up (message carries its log)
     */
    public DistributionRegistry start() {
      if (clientCa != null && serverCa == null) {
        throw new IllegalStateException("requireClientCertificate(..) needs tls(..) as well");
      }
      try {
        boolean owns = directory == null;
        if (serverCa != null && serverCertificate == null) {
          serverCertificate = serverCa.issueServer();
        }
        String lastLog = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
          Path dir = owns ? Files.createTempDirectory("registry-") : directory;
          DistributionRegistry r;
          try {
            r = new DistributionRegistry(this, dir, owns,
                port != 0 ? port : HarnessSupport.freePort());
          } catch (IOException | RuntimeException e) {
            if (owns) {
              HarnessSupport.deleteRecursively(dir);
            }
            throw e;
          }
          boolean ready;
          try {
            ready = r.awaitReady(startTimeout);
          } catch (RuntimeException | InterruptedException e) {
            r.close();
            throw e;
          }
          if (ready) {
            return r;
          }
          lastLog = r.logTail();
          r.close();
          if (port != 0 || !lastLog.contains("address already in use")) {
            break;
          }
        }
        throw new IllegalStateException("docker-registry exited during start-up; log:\n" + lastLog);
      } catch (IOException e) {
        throw new UncheckedIOException("start docker-registry", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting docker-registry", e);
      }
    }
  }
}
