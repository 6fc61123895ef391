package dev.satellite.agent.groundcontrol;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link FleetListener#all}: tells each listener in turn; one that throws is logged. */
final class FleetListeners implements FleetListener {
  private static final Logger log = LoggerFactory.getLogger(FleetListeners.class);

  private final List<FleetListener> listeners;

  FleetListeners(List<FleetListener> listeners) {
    this.listeners = listeners;
  }

  private void each(String event, Consumer<FleetListener> call) {
    for (FleetListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        log.warn("fleet listener {} failed on {}: {}", listener, event, e.toString(), e);
      }
    }
  }

  @Override
  public void registered(Registration registration, boolean fromSavedFile) {
    each("registered", l -> l.registered(registration, fromSavedFile));
  }

  @Override
  public void configApplied(String digest) {
    each("configApplied", l -> l.configApplied(digest));
  }

  @Override
  public void heartbeatDelivered(int status) {
    each("heartbeatDelivered", l -> l.heartbeatDelivered(status));
  }

  @Override
  public void heartbeatFailed(String reason) {
    each("heartbeatFailed", l -> l.heartbeatFailed(reason));
  }
}
