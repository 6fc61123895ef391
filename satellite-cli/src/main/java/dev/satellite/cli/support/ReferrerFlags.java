package dev.satellite.cli.support;

import dev.satellite.agent.Satellite;
import dev.satellite.registry.Referrers;
import dev.satellite.registry.SignaturePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which signatures, SBOMs and attestations travel with the images ({@code --referrers}) and
 * how often those of images already at the edge are looked for again ({@code
 * --referrers-recheck}), and whether images must be signed ({@code --require-signature}), a picocli mixin of {@link
 * SyncFlags}. {@link #options} checks them (a key file is read then); {@link Choice#applyTo} sets
 * them on a satellite's builder.
 */
public final class ReferrerFlags {
  @Option(names = "--referrers", paramLabel = "all|none|<type>,<type>", order = 33,
      description = "referrers copied with their images: all (default), none, or these artifact "
          + "types, e.g. application/spdx+json,application/vnd.dev.cosign.simplesigning.v1+json")
  String referrers;

  @Option(names = "--referrers-recheck", paramLabel = "<5m|30s|0>", order = 34,
      description = "how old the last look at the referrers of an image already at the edge may "
          + "be before a pass looks upstream again (default 5m; 0: every pass)")
  String recheck;

  @Option(names = "--require-signature", paramLabel = "<pem>", order = 35,
      description = "place an image only when a cosign signature for its digest verifies with a "
          + "public key (ECDSA P-256 or RSA) in this PEM file; repeat for more keys (keyless "
          + "signatures are not verified)")
  List<Path> signatureKeys = new ArrayList<>();

  /**
   * The choices given, checked.
   *
   * @throws UsageException naming the option and what is wrong with its value
   */
  public Choice options() {
    Referrers chosen = Referrers.ALL;
    if (referrers != null) {
      try {
        chosen = Referrers.parse(referrers);
      } catch (IllegalArgumentException e) {
        throw new UsageException("option --referrers: " + e.getMessage());
      }
    }
    if (recheck != null) {
      try {
        chosen = chosen.recheckInterval(recheck.equals("0") ? Duration.ZERO
            : Durations.parse(recheck));
      } catch (IllegalArgumentException e) {
        throw new UsageException("option --referrers-recheck: " + e.getMessage());
      }
    }
    Optional<SignaturePolicy> policy = Optional.empty();
    if (!signatureKeys.isEmpty()) {
      try {
        policy = Optional.of(SignaturePolicy.publicKeyFiles(signatureKeys.toArray(Path[]::new)));
      } catch (IllegalArgumentException e) {
        throw new UsageException("option --require-signature: " + e.getMessage());
      }
    }
    return new Choice(chosen, policy);
  }

  /** The checked choices; {@link #applyTo} sets them on a satellite's builder. */
  public record Choice(Referrers referrers, Optional<SignaturePolicy> signaturePolicy) {
    public void applyTo(Satellite.Builder builder) {
      builder.referrers(referrers);
      signaturePolicy.ifPresent(builder::signaturePolicy);
    }
  }
}
