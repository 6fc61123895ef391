package dev.satellite.agent.metrics;

import dev.satellite.agent.groundcontrol.FleetListener;
import dev.satellite.agent.groundcontrol.Registration;
import dev.satellite.agent.metrics.internal.HttpFigures;
import dev.satellite.agent.metrics.internal.PassFigures;
import dev.satellite.agent.metrics.internal.PassFigures.PassOutcome;
import dev.satellite.agent.metrics.internal.TimedStateStore;
import dev.satellite.core.Entity;
import dev.satellite.core.EntityOutcome;
import dev.satellite.core.PruneOutcome;
import dev.satellite.core.StateStore;
import dev.satellite.core.SyncListener;
import dev.satellite.core.SyncReport;
import dev.satellite.registry.HttpExchangeListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A satellite's figures as Micrometer meters: hand it to {@code Satellite.Builder.metrics} (it
 * then hears of passes, checkpoint saves, fleet events and every HTTP request), or, using the
 * library's lower-level parts, install it yourself: as the {@link SyncListener} of a {@code
 * Reconciler}, around its {@link StateStore} ({@link #timed}), in your registry clients ({@link
 * #httpListener}). Then bind it to your registry:
 *
 * <pre>{@code
 * SatelliteMetrics metrics = new SatelliteMetrics();
 * metrics.bindTo(meterRegistry);                  // any number of registries, at any time
 * Satellite.builder()...metrics(metrics).build();
 * }</pre>
 *
 * <p>The figures are kept here and the meters read them ({@link FunctionCounter}, {@link
 * FunctionTimer}, {@link Gauge}), so events before {@link #bindTo} count, and one instance serves
 * several registries. Tags are few and fixed (outcomes, sides, status classes): never a
 * repository, tag or digest. The meters are listed, with units, in the README ("Metrics").
 */
public final class SatelliteMetrics implements MeterBinder, SyncListener, FleetListener {
  private final Clock clock;
  private final PassFigures passes = new PassFigures();
  private final HttpFigures http = new HttpFigures();
  private final LongAdder heartbeatsDelivered = new LongAdder();
  private final LongAdder heartbeatsFailed = new LongAdder();
  private final AtomicInteger registered = new AtomicInteger();

  public SatelliteMetrics() {
    this(Clock.systemUTC());
  }

  /** @param clock what "time since the last successful pass" is measured with */
  SatelliteMetrics(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The listener that counts and times requests to {@code side}; install it with {@code
   * RegistryClient.Builder.exchangeListener}.
   */
  public HttpExchangeListener httpListener(HttpSide side) {
    return http.listener(Objects.requireNonNull(side, "side"));
  }

  /** {@code store}, its saves timed ({@code satellite.checkpoint.saves}); closing closes it. */
  public StateStore timed(StateStore store) {
    return new TimedStateStore(Objects.requireNonNull(store, "store"), passes.checkpointSaves);
  }

  /** When the last pass that did all its work (deferrals aside) ended; empty before one. */
  public Optional<Instant> lastSuccessfulPass() {
    return Optional.ofNullable(passes.lastSuccess.get());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (PassOutcome outcome : PassOutcome.values()) {
      PassFigures.Timed timed = passes.passes.get(outcome);
      FunctionTimer.builder("satellite.passes", timed, PassFigures.Timed::count,
              PassFigures.Timed::totalNanos, TimeUnit.NANOSECONDS)
          .description("Sync passes and their duration, by outcome")
          .tag("outcome", outcome.tag()).register(registry);
    }
    TimeGauge.builder("satellite.pass.last.duration", passes.lastPassNanos, TimeUnit.NANOSECONDS,
        AtomicLongs::value).description("Duration of the last pass").register(registry);
    for (EntityOutcome outcome : EntityOutcome.values()) {
      counter("satellite.images", "Images (one repository:tag each) handled by passes,"
          + " by result", passes.images.get(outcome), null).tag("result", result(outcome))
          .register(registry);
    }
    for (PruneOutcome outcome : PruneOutcome.values()) {
      counter("satellite.images.pruned", "Prunes of images no longer desired, by"
          + " outcome", passes.prunes.get(outcome), null)
          .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry);
    }
    counter("satellite.blobs", "Blobs of copied images, by what was done",
        passes.blobsUploaded, null).tag("result", "uploaded").register(registry);
    counter("satellite.blobs", "Blobs of copied images, by what was done",
        passes.blobsMounted, null).tag("result", "mounted").register(registry);
    counter("satellite.blobs", "Blobs of copied images, by what was done",
        passes.blobsSkipped, null).tag("result", "skipped").register(registry);
    counter("satellite.bytes.copied", "Blob bytes copied to the edge",
        passes.bytesCopied, BaseUnits.BYTES).register(registry);
    counter("satellite.bytes.resumed", "Blob bytes not fetched again because an"
        + " interrupted copy had read them", passes.bytesResumed, BaseUnits.BYTES)
        .register(registry);
    counter("satellite.upstream.bytes", "Bytes read from the upstream (every"
        + " response body)", passes.upstreamBytes, BaseUnits.BYTES).register(registry);
    gauge(registry, "satellite.pass.upstream.bytes", "Bytes the last pass read from the upstream",
        passes.lastPassUpstreamBytes);
    gauge(registry, "satellite.upstream.bytes.total", "Running total of upstream bytes, kept"
        + " across restarts in the state directory", passes.upstreamBytesTotal);
    counter("satellite.referrers.copied", "Referrer manifests (signatures, SBOMs,"
        + " attestations) copied", passes.referrersCopied, null).register(registry);
    TimeGauge.builder("satellite.last.success.age", this, TimeUnit.SECONDS,
        SatelliteMetrics::secondsSinceLastSuccess)
        .description("Time since the last successful pass ended (NaN before one)")
        .register(registry);
    FunctionTimer.builder("satellite.checkpoint.saves", passes.checkpointSaves,
            PassFigures.Timed::count, PassFigures.Timed::totalNanos, TimeUnit.NANOSECONDS)
        .description("Checkpoint saves and their duration").register(registry);
    counter("satellite.heartbeats", "Heartbeats to Ground Control, by result",
        heartbeatsDelivered, null).tag("result", "delivered").register(registry);
    counter("satellite.heartbeats", "Heartbeats to Ground Control, by result",
        heartbeatsFailed, null).tag("result", "failed").register(registry);
    Gauge.builder("satellite.registered", registered, AtomicInteger::get)
        .description("1 once the satellite holds a Ground Control registration").register(registry);
    for (HttpSide side : HttpSide.values()) {
      for (String status : HttpFigures.STATUSES) {
        HttpFigures.Figure figure = http.figure(side, status);
        FunctionTimer.builder("satellite.http.requests", figure, HttpFigures.Figure::count,
                HttpFigures.Figure::totalNanos, TimeUnit.NANOSECONDS)
            .description("HTTP exchanges (retries included) and the time to their response"
                + " headers, by side and status class")
            .tags("side", side.tag(), "status", status).register(registry);
      }
    }
  }

  private static FunctionCounter.Builder<LongAdder> counter(String name, String description,
      LongAdder value, String unit) {
    FunctionCounter.Builder<LongAdder> builder =
        FunctionCounter.builder(name, value, LongAdder::sum).description(description);
    return unit == null ? builder : builder.baseUnit(unit);
  }

  private static void gauge(MeterRegistry registry, String name, String description,
      AtomicLong value) {
    Gauge.builder(name, value, AtomicLongs::value).description(description)
        .baseUnit(BaseUnits.BYTES).register(registry);
  }

  private static String result(EntityOutcome outcome) {
    return switch (outcome) {
      case REPLICATED -> "placed";
      case ALREADY_PRESENT -> "present";
      case FAILED -> "failed";
      case DEFERRED -> "deferred";
    };
  }

  private double secondsSinceLastSuccess() {
    Instant last = passes.lastSuccess.get();
    return last == null ? Double.NaN
        : Duration.between(last, clock.instant()).toNanos() / 1e9;
  }

  /** Reads an AtomicLong as a double, for gauges. */
  private static final class AtomicLongs {
    static double value(AtomicLong value) {
      return value.get();
    }
  }

  @Override
  public void pruned(String groupRef, Entity entity, PruneOutcome outcome) {
    passes.prunes.get(outcome).increment();
  }

  @Override
  public void syncFinished(SyncReport report) {
    passes.passFinished(report, clock.instant());
  }

  @Override
  public void registered(Registration registration, boolean fromSavedFile) {
    registered.set(1);
  }

  @Override
  public void heartbeatDelivered(int status) {
    heartbeatsDelivered.increment();
  }

  @Override
  public void heartbeatFailed(String reason) {
    heartbeatsFailed.increment();
  }
}
