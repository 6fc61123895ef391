package dev.satellite.registry.internal.auth;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header: a scheme ({@code Bearer}, {@code Basic}) and
 * its parameters, names lowercased.
 */
public record Challenge(String scheme, Map<String, String> params) {

  public Challenge {
    params = Map.copyOf(params);
  }

  public boolean isBearer() {
    return scheme.equalsIgnoreCase("Bearer");
  }

  public boolean isBasic() {
    return scheme.equalsIgnoreCase("Basic");
  }

  /** This challenge without its {@code scope}: what applies to every later request. */
  public Challenge withoutScope() {
    Map<String, String> rest = new HashMap<>(params);
    rest.remove("scope");
    return new Challenge(scheme, rest);
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }
}
