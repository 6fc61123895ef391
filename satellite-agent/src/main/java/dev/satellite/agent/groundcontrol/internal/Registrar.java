package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile.CorruptRegistrationException;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile.Saved;
import dev.satellite.core.SatelliteException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains the satellite's registration: the saved one when there is one (no token needed, none
 * spent), else a new one from Ground Control with the token, saved before it is used.
 *
 * <p>Failures that may pass (Ground Control unreachable, 5xx, 408, 429) are retried with
 * exponential backoff, from {@code firstDelay} doubling up to {@code maxDelay}, until {@code
 * patience} has gone by; a refused or expired token fails at once with Ground Control's answer.
 * A saved registration that fails its checks is set aside and replaced when a token is given, and
 * is an error otherwise.
 *
 * <p>With a SPIFFE identity ({@link #obtainWithSpiffe}) no token is needed: a new registration
 * comes from {@code GET satellites/spiffe-ztr}, and a saved one that fails its checks is set aside
 * and replaced that way.
 */
public final class Registrar {
  private static final Logger log = LoggerFactory.getLogger(Registrar.class);

  /** Waits between attempts; tests substitute one that does not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final GroundControlClient client;
  private final RegistrationFile file;
  private final Duration firstDelay;
  private final Duration maxDelay;
  private final Duration patience;
  private final Sleeper sleeper;

  public Registrar(GroundControlClient client, RegistrationFile file, Duration firstDelay,
      Duration maxDelay, Duration patience, Sleeper sleeper) {
    this.client = client;
    this.file = file;
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
    this.patience = patience;
    this.sleeper = sleeper;
  }

  /**
   * The registration to use.
   *
   * @param token the one-time registration token; may be empty when a registration was saved
   * @throws GroundControlException when Ground Control refused the token, or stayed unreachable
   *     for the whole patience
   * @throws SatelliteException when there is no usable saved registration and no token, or the
   *     registration cannot be saved; when interrupted (the interrupt flag is then set)
   */
  public Registration obtain(Optional<String> token) {
    Optional<Saved> saved = loadSaved(token.isPresent());
    if (saved.isPresent()) {
      return reuse(saved.get());
    }
    if (token.isEmpty()) {
      throw new SatelliteException("no registration saved in " + file.path().getParent()
          + " and no registration token given: a satellite joins Ground Control at " + client.url()
          + " with a one-time token once, then reuses what it saved");
    }
    return keep(register(() -> client.register(token.get())));
  }

  /**
   * The registration to use with the satellite's SPIFFE identity: the saved one, else a new one
   * from Ground Control, saved before it is used.
   *
   * @throws GroundControlException when Ground Control refused the satellite or failed SPIFFE
   *     authentication, or stayed unreachable for the whole patience
   * @throws SatelliteException when the registration cannot be saved; when interrupted
   */
  public Registration obtainWithSpiffe() {
    Optional<Saved> saved = loadSaved(true);
    return saved.isPresent() ? reuse(saved.get()) : keep(register(client::registerWithSpiffe));
  }

  private Registration reuse(Saved saved) {
    if (!sameGroundControl(saved.groundControl())) {
      log.warn("the saved registration {} was handed out by Ground Control at {}, not {};"
          + " using it", file.path(), saved.groundControl(), client.url());
    }
    log.info("using the saved registration {} (satellite {}, state {})", file.path(),
        saved.registration().satelliteName(), saved.registration().stateReference());
    return saved.registration();
  }

  private Registration keep(Registration registration) {
    file.save(client.url(), registration);
    log.info("registered with Ground Control at {} as satellite {} (state {}); registration saved"
        + " to {}", client.url(), registration.satelliteName(), registration.stateReference(),
        file.path());
    return registration;
  }

  private Optional<Saved> loadSaved(boolean tokenGiven) {
    try {
      return file.load();
    } catch (CorruptRegistrationException e) {
      if (!tokenGiven) {
        throw new SatelliteException(e.getMessage() + "; give a new registration token to"
            + " register again", e);
      }
      Path aside = file.setAside();
      log.warn("{}; set aside as {}, registering again", e.getMessage(),
          aside.getFileName());
      return Optional.empty();
    }
  }

  private Registration register(Supplier<Registration> route) {
    long deadline = System.nanoTime() + patience.toNanos();
    Duration delay = firstDelay;
    for (int attempt = 1; ; attempt++) {
      try {
        return route.get();
      } catch (GroundControlException e) {
        if (!e.passable() || System.nanoTime() + delay.toNanos() > deadline) {
          throw e;
        }
        log.warn("registration attempt {} failed: {}; trying again in {} s", attempt,
            e.getMessage(), delay.toSeconds());
      }
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SatelliteException("registration with Ground Control at " + client.url()
            + " interrupted after " + attempt + " attempts");
      }
      delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
    }
  }

  private boolean sameGroundControl(String savedUrl) {
    return savedUrl.isEmpty() || savedUrl.equals(client.url());
  }
}
