package dev.satellite.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests: {@code initdb} into a temporary directory, {@code pg_ctl
 * start} on a free loopback port (its Unix socket in that directory too), password authentication
 * (SCRAM) for one superuser. When the tests run as root, the server runs as the {@code postgres}
 * user ({@code runuser}), since PostgreSQL refuses to run as root.
 *
 * <pre>{@code
 * try (PostgresServer db = PostgresServer.start()) {
 *   String url = db.newDatabase();  // jdbc:postgresql://127.0.0.1:<port>/db1
 *   ... DriverManager.getConnection(url, db.user(), db.password()) ...
 *   db.stop();     // the database is down: connections fail
 *   db.restart();  // up again, same data
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops the server ({@code pg_ctl stop -m immediate}) and deletes the directory;
 * a JVM shutdown hook does the same for a test run that dies.
 */
public final class PostgresServer implements AutoCloseable {
  private static final String USER = "satellite";
  private static final String PASSWORD = "satellite-test-password";
  private static final int START_ATTEMPTS = 3;
  private static PostgresServer shared;

  private final Path bin;
  private final Path directory;
  private final Path data;
  private final Path log;
  private final boolean asPostgresUser;
  private final AtomicInteger databases = new AtomicInteger();
  private final Thread shutdownHook;
  private int port;

  private PostgresServer(Path bin, Path directory, boolean asPostgresUser) {
    this.bin = bin;
    this.directory = directory;
    this.data = directory.resolve("data");
    this.log = directory.resolve("postgres.log");
    this.asPostgresUser = asPostgresUser;
    this.shutdownHook = new Thread(this::stopQuietly, "stop postgres " + directory);
  }

  /**
   * Creates a cluster in a new temporary directory and starts it.
   *
   * @throws IllegalStateException when PostgreSQL is not installed (naming the package), or the
   *     server did not start (with its log)
   */
  public static PostgresServer start() {
    Path bin = PostgresBinaries.require();
    Path dir;
    try {
      dir = Files.createTempDirectory("postgres-");
    } catch (IOException e) {
      throw new UncheckedIOException("create a directory for PostgreSQL", e);
    }
    PostgresServer server = new PostgresServer(bin, dir, runningAsRoot());
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      server.initialize();
      server.startOnFreePort();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * One server for every test of this JVM, started on first use and stopped when the JVM exits
   * (each test takes a {@link #newDatabase()} of its own). Tests that stop it restart it.
   */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /** The JDBC URL of {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** The superuser the tests connect as. */
  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  /** Creates a new, empty database ({@code createdb}) and returns its JDBC URL. */
  public String newDatabase() {
    String name = "db" + databases.incrementAndGet();
    run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
        "-U", USER, name), "createdb " + name);
    return jdbcUrl(name);
  }

  /** Stops the server ({@code pg_ctl stop -m fast}): open connections are closed, new ones fail. */
  public void stop() {
    run(List.of(pgCtl(), "-D", data.toString(), "-m", "fast", "-w", "stop"), "pg_ctl stop");
  }

  /** Starts the stopped server again on the same port, with the same data. */
  public void restart() {
    if (!tryStart()) {
      throw new IllegalStateException("PostgreSQL did not start again on port " + port + "; log:\n"
          + logTail());
    }
  }

  /** The last lines of the server's log, for failure messages. */
  public String logTail() {
    try {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
      return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    HarnessSupport.deleteRecursively(directory);
  }

  @Override
  public String toString() {
    return "PostgresServer[127.0.0.1:" + port + ", dir=" + directory + "]";
  }

  private void initialize() {
    try {
      Path pwfile = directory.resolve("pwfile");
      Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
      if (asPostgresUser) {
        UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByName("postgres");
        Files.setOwner(directory, postgres);
        Files.setOwner(pwfile, postgres);
      }
      run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
          "--pwfile=" + pwfile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"),
          "initdb");
      Files.writeString(data.resolve("postgresql.conf"),
          "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + directory + "'\n"
              + "max_connections = 40\nshared_buffers = 32MB\n",
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("initialize PostgreSQL in " + directory, e);
    }
  }

  private void startOnFreePort() {
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        port = HarnessSupport.freePort();
      } catch (IOException e) {
        throw new UncheckedIOException("find a free port", e);
      }
      if (tryStart()) {
        return;
      }
      if (!logTail().contains("could not bind")) {
        break;
      }
    }
    throw new IllegalStateException("PostgreSQL did not start; log:\n" + logTail());
  }

  /** {@code pg_ctl start}, waiting until the server accepts connections; false when it did not. */
  private boolean tryStart() {
    List<String> command = List.of(pgCtl(), "-D", data.toString(), "-l", log.toString(), "-w",
        "-t", "60", "-o", "-p " + port, "start");
    return exec(command).exitCode() == 0;
  }

  private void stopQuietly() {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      exec(List.of(pgCtl(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }
  }

  private String pgCtl() {
    return bin.resolve("pg_ctl").toString();
  }

  private void run(List<String> command, String what) {
    Result result = exec(command);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(what + " failed (exit " + result.exitCode() + "):\n"
          + result.output() + "\nserver log:\n" + logTail());
    }
  }

  private record Result(int exitCode, String output) {}

  private Result exec(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", PASSWORD);
    builder.directory(directory.toFile());
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", full));
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("run " + String.join(" ", full), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", full), e);
    }
  }

  private static boolean runningAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
