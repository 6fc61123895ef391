package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.registry.Credentials;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The robot account a satellite uses now, owned in this one place: Ground Control's client reads
 * it at each heartbeat and refresh, the upstream registry client at each request ({@link
 * #upstream()}). A new secret (refreshed, or from a new registration) is saved to the
 * registration file first ({@code 0600}, replaced atomically), then swapped in with one atomic
 * write, so a crash between the two leaves the new secret on disk and nothing is half-replaced.
 */
public final class RobotCredentials implements Supplier<Registration> {
  private record Held(Registration registration, Credentials credentials, long generation) {}

  private final RegistrationFile file;
  private final String groundControlUrl;
  private final AtomicReference<Held> held;

  /**
   * @param registration the registration in use, saved already
   * @param groundControlUrl the Ground Control that handed it out, written beside it
   */
  public RobotCredentials(Registration registration, RegistrationFile file,
      String groundControlUrl) {
    this.file = Objects.requireNonNull(file, "file");
    this.groundControlUrl = Objects.requireNonNull(groundControlUrl, "groundControlUrl");
    this.held = new AtomicReference<>(held(registration, 0));
  }

  /** The registration in use now. */
  @Override
  public Registration get() {
    return held.get().registration();
  }

  /** The robot account as the upstream registry client's credentials, read at each request. */
  public Supplier<Credentials> upstream() {
    return () -> held.get().credentials();
  }

  /** How many times the credentials were replaced since start: a change means new ones. */
  public long generation() {
    return held.get().generation();
  }

  /**
   * Saves {@code next} in place of the registration file, then uses it from now on.
   *
   * @throws dev.satellite.core.SatelliteException when it cannot be saved (the current one stays
   *     in use and on disk)
   */
  public synchronized void replace(Registration next) {
    file.save(groundControlUrl, next);
    held.set(held(next, held.get().generation() + 1));
  }

  /**
   * Saves {@code next} in place of the registration file without using it now (it belongs to
   * another satellite or Harbor: the running one cannot switch to it).
   */
  public synchronized void saveForNextStart(Registration next) {
    file.save(groundControlUrl, next);
  }

  private static Held held(Registration registration, long generation) {
    return new Held(registration,
        Credentials.basic(registration.username(), registration.password()), generation);
  }

  @Override
  public String toString() {
    return "RobotCredentials[" + get().username() + ", generation " + generation() + "]";
  }
}
