package dev.satellite.agent.internal;

import dev.satellite.core.SatelliteException;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.persistence.files.AtomicFileReplacer;
import dev.satellite.persistence.files.SystemFileOps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last pass's report ({@link SyncReport#toJson()}) in the state directory, replaced
 * atomically after each pass, so {@code SatelliteStatus} can tell an operator about it while the
 * satellite runs or after it crashed. A write that fails is logged and the satellite goes on.
 */
public final class LastPassFile implements SyncListener {
  private static final Logger log = LoggerFactory.getLogger(LastPassFile.class);

  private final AtomicFileReplacer replacer;
  private final Path file;

  public LastPassFile(Path file) {
    this.file = file;
    this.replacer = new AtomicFileReplacer(file, SystemFileOps.INSTANCE);
  }

  @Override
  public void syncFinished(SyncReport report) {
    byte[] json = (report.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      replacer.replace(out -> out.write(json));
    } catch (SatelliteException e) {
      log.warn("the last pass's report could not be kept in {}: {}", file, e.getMessage());
    }
  }
}
