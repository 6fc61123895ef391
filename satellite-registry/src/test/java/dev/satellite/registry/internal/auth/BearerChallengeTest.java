package dev.satellite.registry.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Challenge;
import okhttp3.Headers;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The Bearer challenge of a 401, as {@link RegistryAuth} reads it from OkHttp's parsing. */
class BearerChallengeTest {

  private static Response unauthorized(String... wwwAuthenticate) {
    Headers.Builder headers = new Headers.Builder();
    for (String value : wwwAuthenticate) {
      headers.add("WWW-Authenticate", value);
    }
    return new Response.Builder()
        .request(new Request.Builder().url("http://registry.test/v2/").build())
        .protocol(Protocol.HTTP_1_1)
        .code(401)
        .message("Unauthorized")
        .headers(headers.build())
        .build();
  }

  @Test
  void parsesBearerParametersWithCommasInsideQuotes() {
    Challenge bearer =
        RegistryAuth.bearerChallenge(
                unauthorized(
                    "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                        + "scope=\"repository:library/app:pull,push\""))
            .orElseThrow();

    assertThat(bearer.realm()).isEqualTo("https://auth.example.com/token");
    assertThat(bearer.authParams())
        .containsEntry("service", "registry.example.com")
        .containsEntry("scope", "repository:library/app:pull,push");
  }

  @Test
  void parsesUnquotedValuesLowercaseSchemeAndEscapes() {
    Challenge c =
        RegistryAuth.bearerChallenge(unauthorized("bearer  Realm=\"a\\\"b\" , error=invalid_token"))
            .orElseThrow();

    assertThat(c.realm()).isEqualTo("a\"b");
    assertThat(c.authParams()).containsEntry("error", "invalid_token");
  }

  @Test
  void findsTheBearerChallengeAmongSeveralInOneHeader() {
    Challenge c =
        RegistryAuth.bearerChallenge(
                unauthorized("Basic realm=\"r1\", Bearer realm=\"https://t/x\",service=s"))
            .orElseThrow();

    assertThat(c.realm()).isEqualTo("https://t/x");
    assertThat(c.authParams()).containsEntry("service", "s");
  }

  @Test
  void findsTheBearerChallengeInALaterHeader() {
    assertThat(
            RegistryAuth.bearerChallenge(
                unauthorized("Basic realm=\"r1\"", "Bearer realm=\"https://t/x\"")))
        .map(Challenge::realm)
        .contains("https://t/x");
  }

  @Test
  void noBearerChallengeInBasicOnlyOrMissingHeaders() {
    assertThat(RegistryAuth.bearerChallenge(unauthorized("Basic realm=\"r\""))).isEmpty();
    assertThat(RegistryAuth.bearerChallenge(unauthorized())).isEmpty();
  }
}
