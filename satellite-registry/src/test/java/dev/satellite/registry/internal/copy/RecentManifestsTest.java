package dev.satellite.registry.internal.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.registry.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentManifestsTest {
  private static final String TYPE = "application/vnd.oci.image.manifest.v1+json";
  private final RecentManifests recent = new RecentManifests();

  @Test
  void givesBackAManifestByTheDigestOfItsBytes() {
    Manifest manifest = manifest(1, 100);

    recent.add(manifest);

    assertThat(recent.get(manifest.digest())).hasValue(manifest);
    assertThat(recent.get(manifest(2, 100).digest())).isEmpty();
  }

  @Test
  void keepsNoMoreThanItsCapInBytesDroppingTheLeastRecentlyUsed() {
    List<Manifest> kept = new ArrayList<>();
    int each = RecentManifests.MAX_ENTRY_BYTES;
    for (int i = 0; i <= RecentManifests.MAX_BYTES / each; i++) {
      kept.add(manifest(i, each));
      recent.add(kept.get(i));
      recent.get(kept.get(0).digest());
    }

    assertThat(recent.get(kept.get(0).digest())).as("used last").isPresent();
    assertThat(recent.get(kept.get(1).digest())).as("least recently used").isEmpty();
    assertThat(recent.get(kept.get(kept.size() - 1).digest())).isPresent();
  }

  @Test
  void anImageSeenOnlyInAHeadHasNoChildrenAndNoBytes() {
    Manifest image = manifest(4, 100);

    recent.addImage(image.digest());

    assertThat(recent.children(image.digest())).hasValue(List.of());
    assertThat(recent.get(image.digest())).isEmpty();
    assertThat(recent.children(manifest(5, 100).digest())).isEmpty();
  }

  @Test
  void theChildrenOfAKeptIndexAreItsManifests() {
    Manifest child = manifest(6, 100);
    Manifest index = Manifest.of("application/vnd.oci.image.index.v1+json",
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":[{\"mediaType\":\"" + TYPE + "\",\"digest\":\"" + child.digest()
            + "\",\"size\":" + child.size() + "}]}").getBytes(StandardCharsets.UTF_8));

    recent.add(index);

    assertThat(recent.children(index.digest())).hasValueSatisfying(children ->
        assertThat(children).extracting(d -> d.digest()).containsExactly(child.digest()));
  }

  @Test
  void aManifestOverTheEntryCapIsNotKept() {
    Manifest wide = manifest(3, RecentManifests.MAX_ENTRY_BYTES + 1);

    recent.add(wide);

    assertThat(recent.get(wide.digest())).isEmpty();
  }

  /** A manifest of exactly {@code size} bytes, unique by {@code seed}. */
  private static Manifest manifest(int seed, int size) {
    StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"seed\":" + seed + ",\"pad\":\"");
    while (json.length() < size - 2) {
      json.append('x');
    }
    json.append("\"}");
    return Manifest.of(TYPE, json.toString().getBytes(StandardCharsets.UTF_8));
  }
}
