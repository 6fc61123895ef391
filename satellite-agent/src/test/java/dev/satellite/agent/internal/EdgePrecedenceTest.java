package dev.satellite.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** --destination is never replaced by local_registry unless bring_own_registry or none given. */
class EdgePrecedenceTest {
  @Test
  void anEdgeGivenStaysWhenTheConfigsRegistryIsTheGoSatellitesOwn() {
    assertThat(EdgePrecedence.configNamesTheEdge(true, false)).isFalse();
  }

  @Test
  void anEdgeGivenIsReplacedWhenTheOperatorBringsTheConfigsRegistry() {
    assertThat(EdgePrecedence.configNamesTheEdge(true, true)).isTrue();
  }

  @Test
  void withoutAnEdgeGivenTheConfigsRegistryIsTheEdgeEitherWay() {
    assertThat(EdgePrecedence.configNamesTheEdge(false, false)).isTrue();
    assertThat(EdgePrecedence.configNamesTheEdge(false, true)).isTrue();
  }
}
