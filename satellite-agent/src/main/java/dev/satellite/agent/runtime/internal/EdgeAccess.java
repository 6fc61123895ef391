package dev.satellite.agent.runtime.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a runtime reaches the edge registry beyond its URL: the TLS files (paths on the node, written
 * as they are) and the credentials. Only runtimes whose mirror configuration carries them
 * (k3s's and RKE2's {@code registries.yaml}) write them; {@link #toString} never shows the
 * password.
 *
 * @param caFile CA bundle (PEM) that verifies the edge's certificate
 * @param certFile client certificate (PEM) for mutual TLS
 * @param keyFile the client certificate's key (PEM)
 * @param insecureSkipVerify do not verify the edge's certificate (never implied by anything else)
 * @param username user for the edge registry, empty for anonymous pulls
 * @param password that user's password
 */
public record EdgeAccess(Optional<String> caFile, Optional<String> certFile,
    Optional<String> keyFile, boolean insecureSkipVerify, Optional<String> username,
    Optional<String> password) {
  /** Neither TLS settings nor credentials. */
  public static final EdgeAccess NONE = new EdgeAccess(Optional.empty(), Optional.empty(),
      Optional.empty(), false, Optional.empty(), Optional.empty());

  public EdgeAccess {
    caFile = Objects.requireNonNull(caFile, "caFile").filter(path -> !path.isBlank());
    certFile = Objects.requireNonNull(certFile, "certFile").filter(path -> !path.isBlank());
    keyFile = Objects.requireNonNull(keyFile, "keyFile").filter(path -> !path.isBlank());
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (certFile.isPresent() != keyFile.isPresent()) {
      throw new IllegalArgumentException("a client certificate needs its key and a key its"
          + " certificate (cert file " + certFile.orElse("missing") + ", key file "
          + keyFile.orElse("missing") + ")");
    }
    if (username.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException("edge credentials need both a username and a password");
    }
    for (Optional<String> file : List.of(caFile, certFile, keyFile)) {
      file.filter(path -> !path.startsWith("/")).ifPresent(path -> {
        throw new IllegalArgumentException("edge TLS file \"" + path + "\" is not an absolute"
            + " path: the runtime reads it from its own working directory");
      });
    }
  }

  /** True when any TLS setting is given. */
  public boolean hasTls() {
    return caFile.isPresent() || certFile.isPresent() || insecureSkipVerify;
  }

  /** True when credentials are given. */
  public boolean hasCredentials() {
    return username.isPresent();
  }

  @Override
  public String toString() {
    return "EdgeAccess[caFile=" + caFile + ", certFile=" + certFile + ", keyFile=" + keyFile
        + ", insecureSkipVerify=" + insecureSkipVerify + ", username=" + username
        + ", password=" + (password.isPresent() ? "<redacted>" : "none") + "]";
  }
}
