package dev.satellite.agent.groundcontrol;

import dev.satellite.agent.groundcontrol.internal.RequestBudget;

/** Ground Control clients for tests in other packages: with a rate budget of the test's own. */
public final class TestGroundControlClients {
  private TestGroundControlClients() {}

  public static GroundControlClient withBudget(String url, RequestBudget budget) {
    return GroundControlClient.builder(url).budget(budget).build();
  }
}
