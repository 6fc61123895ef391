package dev.satellite.agent.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * registries.yaml as k3s and RKE2 document it (docs.k3s.io, "Private Registry Configuration"):
 * {@code mirrors.<registry>.endpoint} (a list of URLs, tried in order, the registry's default
 * endpoint last) and {@code rewrite}; {@code configs.<registry host[:port]>} with {@code auth}
 * ({@code username}, {@code password}, {@code auth}, {@code identitytoken}) and {@code tls}
 * ({@code cert_file}, {@code key_file}, {@code ca_file}, {@code insecure_skip_verify}). Read
 * strictly (keys in snake case, as k3s spells them): an unknown key or a value of another type
 * fails, as a key k3s does not know would be ignored by it, which is a mistake all the same.
 */
record K3sRegistriesYaml(Map<String, Mirror> mirrors, Map<String, RegistryConfig> configs) {
  private static final YAMLMapper STRICT = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .build();

  record Mirror(List<String> endpoint, Map<String, String> rewrite) {}

  record RegistryConfig(Auth auth, Tls tls) {}

  record Auth(String username, String password, String auth, String identitytoken) {}

  record Tls(String certFile, String keyFile, String caFile, Boolean insecureSkipVerify) {}

  static K3sRegistriesYaml parse(String text) throws IOException {
    return STRICT.readValue(text, K3sRegistriesYaml.class);
  }
}
