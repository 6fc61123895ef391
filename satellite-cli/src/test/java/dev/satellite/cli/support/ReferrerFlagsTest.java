package dev.satellite.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.registry.Referrers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReferrerFlagsTest {
  @TempDir Path dir;

  private static ReferrerFlags.Choice parse(String... args) {
    ReferrerFlags flags = new ReferrerFlags();
    new CommandLine(flags).parseArgs(args);
    return flags.options();
  }

  @Test
  void allByDefaultNoneOrAListOfArtifactTypes() {
    assertThat(parse().referrers()).isEqualTo(Referrers.ALL);
    assertThat(parse().signaturePolicy()).isEmpty();
    assertThat(parse("--referrers", "none").referrers()).isEqualTo(Referrers.NONE);
    assertThat(parse("--referrers", "ALL").referrers()).isEqualTo(Referrers.ALL);
    assertThat(parse("--referrers", "application/spdx+json, application/vnd.dsse.envelope.v1+json")
        .referrers().artifactTypes())
        .containsExactlyInAnyOrder("application/spdx+json", "application/vnd.dsse.envelope.v1+json");
  }

  @Test
  void referrersRecheckSetsTheIntervalOfTheChosenReferrers() {
    assertThat(parse().referrers().recheckInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(parse("--referrers-recheck", "30s").referrers())
        .isEqualTo(Referrers.ALL.recheckInterval(Duration.ofSeconds(30)));
    assertThat(parse("--referrers", "none", "--referrers-recheck", "1h").referrers())
        .isEqualTo(Referrers.NONE.recheckInterval(Duration.ofHours(1)));
    assertThat(parse("--referrers-recheck", "0").referrers().recheckInterval()).isZero();
  }

  @Test
  void requireSignatureReadsThePublicKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    Path pem = dir.resolve("cosign.pub");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic()
            .getEncoded())
        + "\n-----END PUBLIC KEY-----\n");

    assertThat(parse("--require-signature", pem.toString()).signaturePolicy().orElseThrow()
        .keys()).hasSize(1);
  }

  @Test
  void badValuesNameTheOptionAndWhatIsWrong() {
    assertThatThrownBy(() -> parse("--referrers", "application/spdx+json,"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("option --referrers: invalid artifact type ''");
    assertThatThrownBy(() -> parse("--referrers-recheck", "soon"))
        .isInstanceOf(UsageException.class)
        .hasMessage("option --referrers-recheck: 'soon' is not a duration (use e.g. 500ms, 30s,"
            + " 5m, 1h)");
    Path missing = dir.resolve("missing.pub");
    assertThatThrownBy(() -> parse("--require-signature", missing.toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("option --require-signature: signature public key file "
            + missing + ": cannot read file");
  }
}
