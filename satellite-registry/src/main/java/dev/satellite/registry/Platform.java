package dev.satellite.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * The platform an image of a multi-arch index runs on, as written in the index ({@code "platform":
 * {"os": "linux", "architecture": "arm64", "variant": "v8"}}).
 *
 * @param variant empty when the index gives none
 */
public record Platform(String os, String architecture, Optional<String> variant) {

  /**
   * @throws IllegalArgumentException when os or architecture is blank
   */
  public Platform {
    if (os == null || os.isBlank() || architecture == null || architecture.isBlank()) {
      throw new IllegalArgumentException(
          "invalid platform: os and architecture are required, got os="
              + os
              + " architecture="
              + architecture);
    }
    variant = Objects.requireNonNull(variant, "variant").filter(v -> !v.isBlank());
  }

  /**
   * Parses {@code os/architecture[/variant]}, e.g. {@code linux/arm64/v8}.
   *
   * @throws IllegalArgumentException when the value does not have two or three parts
   */
  public static Platform parse(String value) {
    String[] parts = value == null ? new String[0] : value.split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException(
          "invalid platform '" + value + "': expected os/architecture[/variant]");
    }
    return new Platform(
        parts[0], parts[1], parts.length == 3 ? Optional.of(parts[2]) : Optional.empty());
  }

  /**
   * True when {@code other} names the same os and architecture and, if this platform has a variant,
   * the same variant ({@code linux/arm64} matches {@code linux/arm64/v8}).
   */
  public boolean matches(Platform other) {
    return os.equals(other.os)
        && architecture.equals(other.architecture)
        && (variant.isEmpty() || variant.equals(other.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
  }
}
