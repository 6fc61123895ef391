package dev.satellite.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No public method or constructor of the registry module's API package takes more than four
 * parameters of one type in a row: such calls are easy to get wrong by position (two repository
 * strings swapped, say). A request value or builder serves instead ({@link CopyRequest}).
 */
class PublicParameterListsTest {
  private static final int MAX_SAME_TYPE_IN_A_ROW = 4;

  @Test
  void noPublicSignatureHasMoreThanFourParametersOfOneTypeInARow() throws Exception {
    List<String> offenders = new ArrayList<>();
    for (Class<?> type : apiClasses()) {
      List<Executable> members = new ArrayList<>(List.of(type.getDeclaredMethods()));
      members.addAll(List.of(type.getDeclaredConstructors()));
      for (Executable member : members) {
        if (Modifier.isPublic(member.getModifiers())
            && longestRun(member.getParameterTypes()) > MAX_SAME_TYPE_IN_A_ROW) {
          offenders.add(member.toGenericString());
        }
      }
    }

    assertThat(offenders).isEmpty();
  }

  private static int longestRun(Class<?>[] parameters) {
    int longest = Math.min(parameters.length, 1);
    int run = 1;
    for (int i = 1; i < parameters.length; i++) {
      run = parameters[i].equals(parameters[i - 1]) ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  /** The public classes of {@code dev.satellite.registry} (not {@code internal}), nested ones too. */
  private static List<Class<?>> apiClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(RegistryClient.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()).resolve("dev/satellite/registry");
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = file.getFileName().toString().replace(".class", "");
        Class<?> type = Class.forName("dev.satellite.registry." + name);
        if (Modifier.isPublic(type.getModifiers())) {
          classes.add(type);
        }
      }
    }
    assertThat(classes).contains(RegistryClient.class, RegistryClient.Builder.class);
    return classes;
  }
}
