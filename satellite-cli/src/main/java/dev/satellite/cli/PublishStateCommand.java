package dev.satellite.cli;

import dev.satellite.cli.support.Commands;
import dev.satellite.cli.support.RegistryLogin;
import dev.satellite.cli.support.UsageException;
import dev.satellite.registry.Credentials;
import dev.satellite.registry.RegistryClient;
import dev.satellite.registry.StateImage;
import dev.satellite.registry.StatePublication;
import dev.satellite.registry.StatePublisher;
import dev.satellite.registry.TlsOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The small control-plane side: publishes group states, an optional config state and the
 * satellite state that lists them, in the Harbor Ground Control format, then prints the satellite
 * state reference for {@code satellite sync --state}. Tags are resolved to digests in the image registry
 * when publishing.
 *
 * <pre>{@code
 * satellite publish-state --registry http://127.0.0.1:5101 --satellite edge-1 \
 *     --group 'g1=demo/app1:v1+latest,demo/app2:v1' --group 'g2=demo/app3:v1' \
 *     --config config.json
 * }</pre>
 */
@Command(usageHelpWidth = 100, abbreviateSynopsis = true,
    name = "publish-state", sortOptions = false,
    description = "Publishes group, config and satellite state artifacts.",
    footer = {"", "prints the satellite state reference to use with satellite sync or agent --state"})
public final class PublishStateCommand {
  @Option(names = "--registry", required = true, paramLabel = "<url>",
      description = "registry receiving the state artifacts (http:// = plain HTTP)")
  String registry;

  @Option(names = "--registry-ca", paramLabel = "<pem>",
      description = "CA bundle trusted for --registry (instead of the system's)")
  Path registryCa;

  @Option(names = "--user", paramLabel = "<name>",
      description = "its user; password from env " + RegistryLogin.PASSWORD_VARIABLE)
  String user;

  @Option(names = "--satellite", required = true, paramLabel = "<name>",
      description = "satellite name: <registry>/satellite/satellite-state/<name>/state")
  String satellite;

  @Option(names = "--group", required = true, paramLabel = "<name>=<spec>",
      description = {"a group; spec is <repo>:<tag>[+<tag>...][,<repo>:<tag>...];",
          "repeat for more groups"})
  List<String> groups;

  @Option(names = "--images-registry", paramLabel = "<url>",
      description = "registry the group's images are pulled from (default --registry)")
  String imagesRegistry;

  @Option(names = "--config", paramLabel = "<file>",
      description = "JSON published as the satellite's config state")
  Path configFile;

  @Option(names = "--help", usageHelp = true, description = "print this help")
  boolean help;

  private PublishStateCommand() {}

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    PublishStateCommand command = new PublishStateCommand();
    OptionalInt exit = Commands.parse(SatelliteCommand.line(command), args, out, err);
    return exit.isPresent() ? exit.getAsInt() : command.publish(env, out, err);
  }

  private int publish(Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      Optional<byte[]> config = Optional.ofNullable(configFile).map(PublishStateCommand::readConfig);
      Credentials credentials = RegistryLogin.credentials(user, env);
      String sourceRegistry = imagesRegistry == null ? registry : imagesRegistry;
      TlsOptions tls = registryCa == null
          ? TlsOptions.systemDefault()
          : TlsOptions.builder().trustedCertificates(registryCa).build();
      try (RegistryClient target =
          RegistryClient.builder(registry).credentials(credentials).tls(tls).build()) {
        StatePublisher publisher =
            StatePublisher.builder(target)
                .sourceClientFactory(
                    url ->
                        url.equals(registry)
                            ? RegistryClient.builder(url).credentials(credentials).tls(tls).build()
                            : RegistryClient.builder(url).build())
                .build();
        List<String> groupRefs = new ArrayList<>();
        for (String group : groups) {
          int equals = group.indexOf('=');
          if (equals <= 0) {
            throw new UsageException(
                "option --group: '" + group + "' is not <name>=<repo>:<tag>[+<tag>...][,...]");
          }
          StatePublication published =
              publisher.publishGroup(
                  group.substring(0, equals), sourceRegistry, images(group.substring(equals + 1)));
          groupRefs.add(published.reference());
          err.println("published group state " + published.reference() + " " + published.digest());
        }
        Optional<String> configRef =
            config.map(bytes -> publisher.publishConfig(satellite, bytes).reference());
        StatePublication state = publisher.publishSatellite(satellite, groupRefs, configRef);
        out.println(scheme(registry) + state.reference());
        return 0;
      }
    } catch (UsageException | IllegalArgumentException e) {
      err.println("satellite publish-state: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("satellite publish-state: " + e.getMessage());
      return 1;
    }
  }

  /** {@code repo:tag+tag,repo:tag} into images. */
  private static List<StateImage> images(String list) {
    List<StateImage> images = new ArrayList<>();
    for (String item : list.split(",")) {
      int colon = item.lastIndexOf(':');
      if (colon <= 0 || colon == item.length() - 1) {
        throw new UsageException("option --group: '" + item + "' is not <repo>:<tag>[+<tag>...]");
      }
      images.add(
          new StateImage(
              item.substring(0, colon),
              List.of(item.substring(colon + 1).split("\\+")),
              Optional.empty()));
    }
    return images;
  }

  private static byte[] readConfig(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UsageException("option --config: cannot read file '" + file + "': " + e);
    }
  }

  private static String scheme(String registry) {
    return registry.startsWith("http://") ? "http://" : "";
  }
}
