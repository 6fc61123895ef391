package dev.satellite.registry.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WwwAuthenticateTest {

  @Test
  void parsesBearerParametersWithCommasInsideQuotes() {
    List<Challenge> challenges =
        WwwAuthenticate.parse(
            List.of(
                "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                    + "scope=\"repository:library/app:pull,push\""));

    assertThat(challenges).hasSize(1);
    Challenge bearer = challenges.get(0);
    assertThat(bearer.isBearer()).isTrue();
    assertThat(bearer.param("realm")).contains("https://auth.example.com/token");
    assertThat(bearer.param("service")).contains("registry.example.com");
    assertThat(bearer.param("scope")).contains("repository:library/app:pull,push");
  }

  @Test
  void parsesUnquotedValuesSpacesAndEscapes() {
    Challenge c =
        WwwAuthenticate.parse(List.of("bearer  Realm = \"a\\\"b\" , error=invalid_token")).get(0);

    assertThat(c.isBearer()).isTrue();
    assertThat(c.param("realm")).contains("a\"b");
    assertThat(c.param("error")).contains("invalid_token");
  }

  @Test
  void separatesSeveralChallengesInOneHeader() {
    List<Challenge> challenges =
        WwwAuthenticate.parse(
            List.of("Basic realm=\"r1\", Bearer realm=\"https://t/x\",service=s"));

    assertThat(challenges).extracting(Challenge::scheme).containsExactly("Basic", "Bearer");
    assertThat(challenges.get(1).param("service")).contains("s");
  }

  @Test
  void dropsScopeForLaterRequests() {
    Challenge c = WwwAuthenticate.parse(List.of("Bearer realm=\"r\",scope=\"x\"")).get(0);

    assertThat(c.withoutScope().param("scope")).isEmpty();
    assertThat(c.withoutScope().param("realm")).contains("r");
  }
}
