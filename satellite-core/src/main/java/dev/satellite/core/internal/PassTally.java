package dev.satellite.core.internal;

import dev.satellite.core.SyncReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The figures of a whole pass: one {@link GroupTally} per group, and pass-level errors. */
public final class PassTally {
  private final Map<String, GroupTally> groups = new LinkedHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private long upstreamBytes;
  private long upstreamBytesTotal;

  /** The tally of {@code ref}, created on first use (groups report in that order). */
  public synchronized GroupTally group(String ref) {
    return groups.computeIfAbsent(ref, GroupTally::new);
  }

  public synchronized void error(String message) {
    errors.add(message);
  }

  /** The pass's upstream bytes and the meter's running total after it. */
  public synchronized void metered(long passBytes, long total) {
    upstreamBytes = passBytes;
    upstreamBytesTotal = total;
  }

  public synchronized void interruptUnfinishedGroups() {
    groups.values().forEach(GroupTally::interruptIfUnfinished);
  }

  public synchronized SyncReport report(
      Instant startedAt, Duration duration, boolean interrupted, boolean checkpointSaved) {
    List<SyncReport.Failure> failures = new ArrayList<>();
    List<SyncReport.RetainedTag> retained = new ArrayList<>();
    List<SyncReport.ResolvedTag> resolved = new ArrayList<>();
    List<SyncReport.Deferral> deferred = new ArrayList<>();
    groups.values().forEach(tally -> {
      failures.addAll(tally.failures());
      retained.addAll(tally.retainedTags());
      resolved.addAll(tally.resolvedTags());
      deferred.addAll(tally.deferrals());
    });
    return SyncReport.builder(startedAt, duration)
        .interrupted(interrupted)
        .checkpointSaved(checkpointSaved)
        .groups(groups.values().stream().map(GroupTally::report).toList())
        .failures(failures)
        .retainedTags(retained)
        .resolvedTags(resolved)
        .errors(errors)
        .deferred(deferred)
        .upstreamBytes(upstreamBytes, upstreamBytesTotal)
        .build();
  }
}
