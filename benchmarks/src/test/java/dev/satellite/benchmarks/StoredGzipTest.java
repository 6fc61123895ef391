package dev.satellite.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.benchmarks.SeededBytes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoredGzipTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65_534, 65_535, 65_536, 200_000})
  void gunzipGivesThePayloadBackAndTheSizeIsAnnouncedExactly(int length) throws Exception {
    byte[] payload = new SeededBytes(7, length).readAllBytes();
    byte[] gzip;
    try (InputStream framed = new StoredGzip(new ByteArrayInputStream(payload), length)) {
      gzip = framed.readAllBytes();
    }

    assertThat((long) gzip.length).isEqualTo(StoredGzip.size(length));
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      assertThat(in.readAllBytes()).isEqualTo(payload);
    }
  }
}
