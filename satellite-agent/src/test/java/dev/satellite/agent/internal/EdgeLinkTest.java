package dev.satellite.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.agent.config.SatelliteConfig;
import dev.satellite.registry.SyncWindow;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EdgeLinkTest {
  private static final SatelliteConfig.Link FROM_CONFIG = new SatelliteConfig.Link(
      OptionalLong.of(1_000_000), List.of(SyncWindow.parse("01:00-05:00")),
      Optional.of(ZoneId.of("Asia/Tokyo")), OptionalLong.of(9_000_000));

  @Test
  void theConfigFillsWhatTheBuilderLeftUnset() {
    EdgeLink link = new EdgeLink.Options().build(null);

    link.apply(FROM_CONFIG);

    assertThat(link.rules().windows()).containsExactly(SyncWindow.parse("01:00-05:00"));
    assertThat(link.rules().zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(link.rules().maxBytesPerPass()).hasValue(9_000_000);
  }

  @Test
  void theBuilderWinsOverTheConfig() {
    EdgeLink.Options options = new EdgeLink.Options();
    options.windows(List.of(SyncWindow.parse("22:00-06:00")));
    options.zone(ZoneId.of("UTC"));
    options.maxBytesPerPass(5);
    EdgeLink link = options.build(null);

    link.apply(FROM_CONFIG);

    assertThat(link.rules().windows()).containsExactly(SyncWindow.parse("22:00-06:00"));
    assertThat(link.rules().zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(link.rules().maxBytesPerPass()).hasValue(5);
  }

  @Test
  void aConfigWithoutLinkFieldsLiftsWhatAnEarlierConfigSet() {
    EdgeLink link = new EdgeLink.Options().build(null);
    link.apply(FROM_CONFIG);

    link.apply(SatelliteConfig.Link.NONE);

    assertThat(link.rules().windows()).isEmpty();
    assertThat(link.rules().maxBytesPerPass()).isEmpty();
  }
}
