package dev.satellite.agent.internal;

import dev.satellite.core.SatelliteException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a satellite built and must close, closed in reverse order of creation. A failure to close
 * one does not stop the others; the first is thrown once all were tried, the others suppressed.
 */
public final class Resources implements AutoCloseable {
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** Adds {@code resource} to those closed by {@link #close}, and returns it. */
  public synchronized <T extends AutoCloseable> T add(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public synchronized void close() {
    RuntimeException first = null;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r
              : new SatelliteException("close " + resources.get(i) + ": " + e, e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    resources.clear();
    if (first != null) {
      throw first;
    }
  }
}
