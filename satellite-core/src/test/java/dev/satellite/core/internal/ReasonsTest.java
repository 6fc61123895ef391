package dev.satellite.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.SatelliteException;
import org.junit.jupiter.api.Test;

class ReasonsTest {
  @Test
  void aMessageOverSeveralLinesBecomesOneLine() {
    SatelliteException e = new SatelliteException(
        "GET manifest app:v1 at edge.example: Hostname edge.example not verified:\n"
            + "    certificate: sha256/AAAA\n"
            + "    DN: CN=other.example\r\n"
            + "    subjectAltNames: [other.example]\n");

    assertThat(Reasons.describe(e)).isEqualTo(
        "GET manifest app:v1 at edge.example: Hostname edge.example not verified: "
            + "certificate: sha256/AAAA DN: CN=other.example subjectAltNames: [other.example]");
  }

  @Test
  void prefixesWhatWasBeingDoneUnlessTheMessageSaysIt() {
    SatelliteException saysIt = new SatelliteException("copy app:v1 from a to b: 503");
    assertThat(Reasons.describe("copy app:v1", saysIt)).isEqualTo("copy app:v1 from a to b: 503");
    assertThat(Reasons.describe("copy app:v1", new SatelliteException("GET manifest: 503")))
        .isEqualTo("copy app:v1: GET manifest: 503");
  }

  @Test
  void anotherExceptionKeepsItsClassSoABugIsRecognizable() {
    assertThat(Reasons.describe(new IllegalStateException("no\nway")))
        .isEqualTo("java.lang.IllegalStateException: no way");
    assertThat(Reasons.describe(new NullPointerException()))
        .isEqualTo("java.lang.NullPointerException");
  }
}
