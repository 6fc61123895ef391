package dev.satellite.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link RequiresPostgres}: enabled when PostgreSQL's server programs are
 * found or when {@value RegistryAvailability#REQUIRE_PROPERTY} is {@code true}, disabled with the
 * reason otherwise (said once per test JVM on the process's standard error).
 */
public final class PostgresAvailability implements ExecutionCondition {
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (PostgresBinaries.find().isPresent()) {
      return ConditionEvaluationResult.enabled("PostgreSQL's initdb and pg_ctl are installed");
    }
    if (Boolean.getBoolean(RegistryAvailability.REQUIRE_PROPERTY)) {
      return ConditionEvaluationResult.enabled(RegistryAvailability.REQUIRE_PROPERTY
          + "=true: runs, and fails naming what is missing");
    }
    String reason = "PostgreSQL integration tests skipped: initdb and pg_ctl not found"
        + " (apt-get install " + PostgresBinaries.DEBIAN_PACKAGE + "; -D"
        + RegistryAvailability.REQUIRE_PROPERTY + "=true makes this a failure)";
    if (ANNOUNCED.compareAndSet(false, true)) {
      @SuppressWarnings("resource") // the process's standard error stays open
      PrintStream stderr =
          new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
      stderr.println("[WARNING] " + reason);
    }
    return ConditionEvaluationResult.disabled(reason);
  }
}
