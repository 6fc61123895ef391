package dev.satellite.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link RequiresRegistry}: enabled when {@code docker-registry} and {@code
 * htpasswd} are on {@code PATH} or when {@value #REQUIRE_PROPERTY} is {@code true}, disabled with
 * the reason otherwise.
 *
 * <p>The reason is also written once per test JVM to the process's own standard error, which the
 * build shows on its console (test output itself goes to report files), so a run that skipped
 * integration tests says so in one line.
 */
public final class RegistryAvailability implements ExecutionCondition {
  /** The system property that turns a missing program into a failure instead of a skip. */
  public static final String REQUIRE_PROPERTY = "satellite.requireRegistry";

  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    ConditionEvaluationResult result =
        evaluate(Executables.searchPath(), Boolean.getBoolean(REQUIRE_PROPERTY));
    if (result.isDisabled() && ANNOUNCED.compareAndSet(false, true)) {
      announce(result.getReason().orElseThrow());
    }
    return result;
  }

  /** The decision for a {@code PATH} value and the {@value #REQUIRE_PROPERTY} setting. */
  static ConditionEvaluationResult evaluate(String path, boolean required) {
    List<Executables.Program> missing = Executables.missing(path);
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("docker-registry and htpasswd are on PATH");
    }
    if (required) {
      return ConditionEvaluationResult.enabled(
          REQUIRE_PROPERTY + "=true: runs, and fails naming what is missing");
    }
    String programs =
        missing.stream().map(Executables.Program::name).collect(Collectors.joining(" and "));
    String packages =
        missing.stream()
            .map(Executables.Program::debianPackage)
            .collect(Collectors.joining(" "));
    return ConditionEvaluationResult.disabled(
        "real-registry integration tests skipped: "
            + programs
            + " not found on PATH (apt-get install "
            + packages
            + "; -D"
            + REQUIRE_PROPERTY
            + "=true makes this a failure)");
  }

  private static void announce(String reason) {
    @SuppressWarnings("resource") // the process's standard error stays open
    PrintStream stderr =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    stderr.println("[WARNING] " + reason);
  }
}
