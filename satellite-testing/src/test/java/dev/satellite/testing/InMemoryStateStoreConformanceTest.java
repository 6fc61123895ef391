package dev.satellite.testing;

import dev.satellite.core.InMemoryStateStore;
import dev.satellite.core.StateStore;

/** {@link InMemoryStateStore} keeps every promise of a store that lives in memory. */
class InMemoryStateStoreConformanceTest extends StateStoreContract {
  private final InMemoryStateStore store = new InMemoryStateStore();

  @Override
  protected StateStore openStore() {
    return store;
  }

  @Override
  protected Exclusivity exclusivity() {
    return Exclusivity.NONE;
  }

  @Override
  protected boolean durable() {
    return false;
  }
}
