package dev.satellite.cli.support;

import dev.satellite.core.Entity;
import dev.satellite.core.EntityOutcome;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of a pass: one line per entity copied, failed or pruned and, when asked, one
 * summary line per pass. An example of a {@link SyncListener}; applications would feed metrics or
 * a progress bar.
 */
public class ProgressLog implements SyncListener {
  private static final Logger log = LoggerFactory.getLogger("satellite");
  private final boolean logSummary;

  /** @param logSummary whether each pass ends with its {@link #summary} logged */
  public ProgressLog(boolean logSummary) {
    this.logSummary = logSummary;
  }

  @Override
  public void syncFinished(SyncReport report) {
    if (logSummary) {
      log.info(summary(report));
    }
  }

  /** One line per change of role, for agents that share their site under a leader lease. */
  @Override
  public void roleChanged(Role role, String reason) {
    log.info("role: {} ({})", role.name().toLowerCase(java.util.Locale.ROOT), reason);
  }

  @Override
  public void entityFinished(String groupRef, Entity entity, EntityOutcome outcome) {
    if (outcome == EntityOutcome.REPLICATED) {
      log.info("copied {}", entity);
    } else if (outcome == EntityOutcome.FAILED) {
      log.warn("failed {}", entity);
    } else if (outcome == EntityOutcome.DEFERRED) {
      log.info("deferred {}", entity);
    }
  }

  @Override
  public void pruned(String groupRef, Entity entity, PruneOutcome outcome) {
    log.info("pruned {} ({})", entity, outcome.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** One line that says how the pass went. */
  public static String summary(SyncReport report) {
    return String.format(
        "sync %s in %d ms: %d replicated, %d unchanged, %d pruned, %d retained, %d failed, "
            + "%d deferred; blobs %d uploaded, %d mounted, %d skipped; %d bytes copied, %d resumed;"
            + " %d bytes read upstream (%d in all); checkpoint %s",
        report.ok() ? "ok" : (report.interrupted() ? "interrupted" : "incomplete"),
        report.duration().toMillis(),
        report.replicated(),
        report.unchanged(),
        report.pruned(),
        report.retained(),
        report.failed(),
        report.deferred().size(),
        report.blobsUploaded(),
        report.blobsMounted(),
        report.blobsSkipped(),
        report.bytesCopied(),
        report.bytesResumed(),
        report.upstreamBytes(),
        report.upstreamBytesTotal(),
        report.checkpointSaved() ? "saved" : "NOT saved");
  }
}
