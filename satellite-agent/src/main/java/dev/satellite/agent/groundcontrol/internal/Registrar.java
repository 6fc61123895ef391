package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.GroundControlClient;
import dev.satellite.agent.groundcontrol.GroundControlException;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.groundcontrol.RegistrationRefusedException;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile.CorruptRegistrationException;
import dev.satellite.agent.groundcontrol.internal.RegistrationFile.Saved;
import dev.satellite.core.SatelliteException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obtains the satellite's registration: the saved one when there is one (no token needed, none
 * spent), else a new one from Ground Control with the token, saved before it is used.
 *
 * <p>Failures that may pass (Ground Control unreachable, 5xx, 408, 429) are retried every {@code
 * interval} (Ground Control's {@code register_satellite_interval}, 5 s by default), each wait
 * jittered by up to a fifth either way so that a fleet coming back from a power cut does not
 * arrive in step, and never shorter than a {@code Retry-After} Ground Control asked for. It keeps
 * trying for ever unless a patience is given. The first failure is logged at WARN with Ground
 * Control's answer; while it goes on, one WARN line a minute at most says for how long and how
 * many attempts. A refused token ({@link RegistrationRefusedException}) fails at once with Ground
 * Control's answer. A saved registration that fails its checks is set aside and replaced when a
 * token is given, and is an error otherwise.
 *
 * <p>With a SPIFFE identity ({@link #obtainWithSpiffe}) no token is needed: a new registration
 * comes from {@code GET satellites/spiffe-ztr}, and a saved one that fails its checks is set aside
 * and replaced that way.
 */
public final class Registrar {
  private static final Logger log = LoggerFactory.getLogger(Registrar.class);
  private static final Duration LOG_EVERY = Duration.ofMinutes(1);
  private static final double JITTER = 0.2;

  /** Waits between attempts; tests substitute one that does not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final GroundControlClient client;
  private final RegistrationFile file;
  private final Duration interval;
  private final Optional<Duration> patience;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final LongSupplier nanoTime;
  private final FleetListener listener;

  /**
   * @param interval time between attempts, before jitter
   * @param patience how long to keep trying; empty for ever
   */
  public Registrar(GroundControlClient client, RegistrationFile file, Duration interval,
      Optional<Duration> patience, Sleeper sleeper) {
    this(client, file, interval, patience, sleeper, new FleetListener() {});
  }

  /** @param listener told of the registration obtained */
  public Registrar(GroundControlClient client, RegistrationFile file, Duration interval,
      Optional<Duration> patience, Sleeper sleeper, FleetListener listener) {
    this(client, file, interval, patience, sleeper, ThreadLocalRandom.current()::nextDouble,
        System::nanoTime, listener);
  }

  /** With the jitter's random numbers ([0, 1)) and the clock given, for tests. */
  public Registrar(GroundControlClient client, RegistrationFile file, Duration interval,
      Optional<Duration> patience, Sleeper sleeper, DoubleSupplier random, LongSupplier nanoTime) {
    this(client, file, interval, patience, sleeper, random, nanoTime, new FleetListener() {});
  }

  private Registrar(GroundControlClient client, RegistrationFile file, Duration interval,
      Optional<Duration> patience, Sleeper sleeper, DoubleSupplier random, LongSupplier nanoTime,
      FleetListener listener) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the registration interval must be positive, got "
          + interval);
    }
    this.listener = listener;
    this.client = client;
    this.file = file;
    this.interval = interval;
    this.patience = patience;
    this.sleeper = sleeper;
    this.random = random;
    this.nanoTime = nanoTime;
  }

  /**
   * The registration to use.
   *
   * @param token the one-time registration token; may be empty when a registration was saved
   * @throws RegistrationRefusedException when Ground Control refused the token
   * @throws GroundControlException when Ground Control stayed unreachable for the whole patience
   *     (never when there is none)
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
    listener.registered(saved.registration(), true);
    return saved.registration();
  }

  private Registration keep(Registration registration) {
    file.save(client.url(), registration);
    log.info("registered with Ground Control at {} as satellite {} (state {}); registration saved"
        + " to {}", client.url(), registration.satelliteName(), registration.stateReference(),
        file.path());
    listener.registered(registration, false);
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
    long started = nanoTime.getAsLong();
    long lastLogged = started;
    for (int attempt = 1; ; attempt++) {
      GroundControlException failure;
      try {
        Registration registration = route.get();
        if (attempt > 1) {
          log.info("registered with Ground Control at {} after {} attempts over {} s",
              client.url(), attempt, seconds(nanoTime.getAsLong() - started));
        }
        return registration;
      } catch (RegistrationRefusedException e) {
        throw e;
      } catch (GroundControlException e) {
        if (!e.passable() || Thread.currentThread().isInterrupted()) {
          throw interruptedOr(e, attempt);
        }
        failure = e;
      }
      Duration delay = delay(failure);
      long now = nanoTime.getAsLong();
      if (patience.isPresent() && now - started + delay.toNanos() > patience.get().toNanos()) {
        throw failure;
      }
      if (attempt == 1) {
        log.warn("registration with Ground Control failed: {}; trying again every {} s until it"
            + " answers", failure.getMessage(), interval.toSeconds());
      } else if (now - lastLogged >= LOG_EVERY.toNanos()) {
        lastLogged = now;
        log.warn("still not registered with Ground Control at {} after {} attempts over {} s;"
            + " last failure: {}", client.url(), attempt, seconds(now - started),
            failure.getMessage());
      } else {
        log.debug("registration attempt {} failed: {}", attempt, failure.getMessage());
      }
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interruptedOr(null, attempt);
      }
    }
  }

  /** The interval jittered by up to a fifth either way, and at least Ground Control's wait. */
  private Duration delay(GroundControlException failure) {
    double factor = 1 - JITTER + 2 * JITTER * random.getAsDouble();
    Duration jittered = Duration.ofNanos((long) (interval.toNanos() * factor));
    Duration asked = failure.retryAfter().orElse(Duration.ZERO);
    return asked.compareTo(jittered) > 0 ? asked : jittered;
  }

  private SatelliteException interruptedOr(GroundControlException failure, int attempt) {
    if (Thread.currentThread().isInterrupted()) {
      return new SatelliteException("registration with Ground Control at " + client.url()
          + " interrupted after " + attempt + " attempts");
    }
    return failure;
  }

  private boolean sameGroundControl(String savedUrl) {
    return savedUrl.isEmpty() || savedUrl.equals(client.url());
  }

  private static long seconds(long nanos) {
    return Duration.ofNanos(nanos).toSeconds();
  }
}
