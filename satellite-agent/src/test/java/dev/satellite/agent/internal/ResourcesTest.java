package dev.satellite.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  @Test
  void closesInReverseOrderOfCreationAndTriesEveryOneWhenOneFails() {
    List<String> closed = new ArrayList<>();
    Resources resources = new Resources();
    resources.add(() -> closed.add("state directory"));
    resources.add(() -> {
      closed.add("checkpoint");
      throw new IllegalStateException("checkpoint lock");
    });
    resources.add(() -> closed.add("copier"));

    assertThatThrownBy(resources::close).hasMessage("checkpoint lock");
    assertThat(closed).containsExactly("copier", "checkpoint", "state directory");

    resources.close();
    assertThat(closed).as("closed once").hasSize(3);
  }
}
