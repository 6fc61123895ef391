package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.registry.internal.copy.BlobLocations;
import org.junit.jupiter.api.Test;

/** The copier's memory of which destination repositories hold which blobs (mount sources). */
class ImageCopierBlobLocationsTest {
  private static final String BLOB = "sha256:" + "1".repeat(64);
  private static final String OTHER_BLOB = "sha256:" + "2".repeat(64);

  @Test
  void offersAnotherRepositoryOfTheSameRegistryButNotTheTargetItself() {
    BlobLocations locations = new BlobLocations(10);
    locations.remember("edge:5000", BLOB, "library/base");

    assertThat(locations.mountSource("edge:5000", BLOB, "library/app")).contains("library/base");
    assertThat(locations.mountSource("edge:5000", BLOB, "library/base")).isEmpty();
  }

  @Test
  void neverOffersARepositoryOfAnotherRegistry() {
    BlobLocations locations = new BlobLocations(10);
    locations.remember("other:5000", BLOB, "library/base");

    assertThat(locations.mountSource("edge:5000", BLOB, "library/app")).isEmpty();
  }

  @Test
  void forgottenRepositoryIsNoLongerOffered() {
    BlobLocations locations = new BlobLocations(10);
    locations.remember("edge:5000", BLOB, "library/base");

    locations.forget("edge:5000", BLOB, "library/base");

    assertThat(locations.mountSource("edge:5000", BLOB, "library/app")).isEmpty();
  }

  @Test
  void forgetsTheLeastRecentlyUsedBlobBeyondItsBound() {
    BlobLocations locations = new BlobLocations(1);
    locations.remember("edge:5000", BLOB, "library/base");

    locations.remember("edge:5000", OTHER_BLOB, "library/base");

    assertThat(locations.mountSource("edge:5000", BLOB, "library/app")).isEmpty();
    assertThat(locations.mountSource("edge:5000", OTHER_BLOB, "library/app")).isPresent();
  }

  @Test
  void offersTheMostRecentlySeenRepository() {
    BlobLocations locations = new BlobLocations(10);
    locations.remember("edge:5000", BLOB, "old/repo");
    locations.remember("edge:5000", BLOB, "new/repo");

    assertThat(locations.mountSource("edge:5000", BLOB, "library/app")).contains("new/repo");
  }
}
