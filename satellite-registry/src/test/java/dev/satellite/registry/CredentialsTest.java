package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialsTest {

  @Test
  void toStringNeverShowsThePassword() {
    Credentials credentials = Credentials.basic("robot$edge", "hunter2-secret");

    assertThat(credentials.toString()).contains("robot$edge").doesNotContain("hunter2-secret");
  }

  @Test
  void clientToStringShowsNoCredentials() {
    RegistryClient client =
        RegistryClient.builder("https://h:5000")
            .credentials(Credentials.basic("alice", "hunter2-secret"))
            .build();

    assertThat(client.toString()).doesNotContain("hunter2-secret").doesNotContain("alice");
  }

  @Test
  void anonymousHasNoUserOrPassword() {
    assertThat(Credentials.anonymous().isAnonymous()).isTrue();
    assertThat(Credentials.anonymous().username()).isEmpty();
    assertThat(Credentials.anonymous().password()).isEmpty();
  }

  @Test
  void rejectsUserNameWithColon() {
    assertThatThrownBy(() -> Credentials.basic("a:b", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("x");
  }
}
