package dev.satellite.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepeatedSyncTest {
  @Test
  void aFreshEdgePassGetsItsDestinationAndItsOwnCheckpoint() {
    String[] options = {
      "--state", "http://127.0.0.1:1/satellite/s/state:latest",
      "--destination", "http://127.0.0.1:2",
      "--checkpoint", "/tmp/edge.json",
      "--json"
    };

    String[] pass2 = RepeatedSync.toFreshEdge(options, "http://127.0.0.1:3", ".pass2");

    assertThat(pass2)
        .containsExactly(
            "--state", "http://127.0.0.1:1/satellite/s/state:latest",
            "--destination", "http://127.0.0.1:3",
            "--checkpoint", "/tmp/edge.json.pass2",
            "--json");
    assertThat(options[3]).isEqualTo("http://127.0.0.1:2");
  }
}
