package dev.satellite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.SyncReport.Failure;
import dev.satellite.core.SyncReport.Operation;
import org.junit.jupiter.api.Test;

/** The line {@code SyncCommand} prints on standard error for each failed entity. */
class SyncCommandFailureLineTest {

  @Test
  void namesTheEntityAndItsGroupThenTheReason() {
    Failure failure =
        new Failure("g2", "library/app", "v1", Operation.REPLICATE, "copy failed: 503");

    assertThat(SyncCommand.failureLine(failure))
        .isEqualTo("failed library/app:v1 in group g2: copy failed: 503");
  }

  @Test
  void showsMissingPartsOfAnInvalidEntryAsQuestionMarks() {
    Failure failure = new Failure("g1", null, "v1", Operation.VALIDATE, "no repository");

    assertThat(SyncCommand.failureLine(failure)).isEqualTo("failed ?:v1 in group g1: no repository");
  }
}
