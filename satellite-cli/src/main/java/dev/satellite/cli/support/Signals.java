package dev.satellite.cli.support;

import sun.misc.Signal;

/**
 * Termination signals as a request to stop, rather than as the end of the process. With a
 * handler for {@code SIGTERM} and {@code SIGINT} installed, the JVM no longer starts its shutdown
 * on them: the command stops its work cleanly, then ends with {@code System.exit(0)}, which runs
 * every shutdown hook of the host application as a normal exit does. (A shutdown hook cannot
 * choose the exit status: after a signal the JVM ends with 128 + the signal's number unless a hook
 * halts it, and halting skips the hooks that have not run yet.)
 *
 * <p>Uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, present in every
 * OpenJDK build; where it is missing the default behaviour stays (shutdown hooks, exit 143).
 */
public final class Signals {
  private Signals() {}

  /**
   * Runs {@code onStop} on the first {@code SIGTERM} or {@code SIGINT}, on a thread of the JVM's.
   *
   * @return whether the handlers could be installed
   */
  public static boolean onTermination(Runnable onStop) {
    try {
      for (String name : new String[] {"TERM", "INT"}) {
        Signal.handle(new Signal(name), signal -> onStop.run());
      }
      return true;
    } catch (IllegalArgumentException | LinkageError e) {
      return false;
    }
  }
}
