package dev.satellite.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.core.Entity;
import dev.satellite.jdbc.JdbcStateStore;
import dev.satellite.persistence.AtomicFileStateStore;
import dev.satellite.registry.RegistryClient;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public API of the five library modules, checked in as {@code docs/api/<module>.txt}: every
 * public or protected type, constructor, method and field of their packages outside {@code
 * internal}, one per line, by reflection over the compiled classes. A change to the public surface
 * fails this test until the listing is written again, so that the change shows in review as a
 * diff of that file. After an intended change:
 *
 * <pre>
 * mvn -B -pl satellite-agent -am verify -Dtest=PublicApiBaselineTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true
 * </pre>
 */
class PublicApiBaselineTest {
  private static final Path BASELINES = Path.of("..", "docs", "api");
  private static final String UPDATE_PROPERTY = "api.update";

  @ParameterizedTest
  @ValueSource(strings = {"satellite-core", "satellite-persistence", "satellite-jdbc",
      "satellite-registry", "satellite-agent"})
  void publicApiMatchesTheCheckedInListing(String module) throws IOException {
    String actual = listing(anchor(module));
    Path file = BASELINES.resolve(module + ".txt");
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(BASELINES);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    String expected = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";

    assertThat(actual)
        .as("public API of %s differs from %s; if the change is intended, write the listing again:"
            + " mvn -B -pl satellite-agent -am verify -Dtest=PublicApiBaselineTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D%s=true", module, file, UPDATE_PROPERTY)
        .isEqualTo(expected);
  }

  private static Class<?> anchor(String module) {
    return switch (module) {
      case "satellite-core" -> Entity.class;
      case "satellite-persistence" -> AtomicFileStateStore.class;
      case "satellite-jdbc" -> JdbcStateStore.class;
      case "satellite-registry" -> RegistryClient.class;
      case "satellite-agent" -> Satellite.class;
      default -> throw new IllegalArgumentException(module);
    };
  }

  /** The listing of every exported type found where {@code anchor} was loaded from. */
  static String listing(Class<?> anchor) throws IOException {
    StringBuilder out = new StringBuilder();
    for (String name : classNames(anchor)) {
      Class<?> type = load(name, anchor.getClassLoader());
      if (!isExported(type)) {
        continue;
      }
      out.append(header(type)).append('\n');
      for (String member : members(type)) {
        out.append("  ").append(member).append('\n');
      }
    }
    return out.toString();
  }

  private static TreeSet<String> classNames(Class<?> anchor) throws IOException {
    Path location;
    try {
      location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    TreeSet<String> names = new TreeSet<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        files.map(p -> location.relativize(p).toString().replace('\\', '/'))
            .forEach(entry -> addClassName(names, entry));
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          addClassName(names, e.nextElement().getName());
        }
      }
    }
    return names;
  }

  private static void addClassName(TreeSet<String> names, String entry) {
    if (!entry.endsWith(".class") || entry.endsWith("module-info.class")
        || entry.endsWith("package-info.class") || entry.startsWith("META-INF/")) {
      return;
    }
    String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    if (!Arrays.asList(name.split("\\.")).contains("internal")) {
      names.add(name);
    }
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Public or protected, as are all the types it is nested in; not anonymous, not local. */
  private static boolean isExported(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
      if (t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()
          || !visible(t.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String header(Class<?> type) {
    String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface"
        : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
    int modifiers = type.getModifiers()
        & ~(type.isInterface() ? Modifier.ABSTRACT | Modifier.INTERFACE : 0)
        & ~(type.isEnum() || type.isRecord() ? Modifier.FINAL : 0)
        & ~(type.isRecord() || type.isEnum() || type.isInterface() ? Modifier.STATIC : 0);
    StringBuilder out = new StringBuilder(Modifier.toString(modifiers)).append(' ')
        .append(kind).append(' ').append(type.getTypeName());
    if (type.getTypeParameters().length > 0) {
      out.append(Arrays.stream(type.getTypeParameters()).map(Object::toString)
          .collect(Collectors.joining(",", "<", ">")));
    }
    if (type.isRecord()) {
      out.append(Arrays.stream(type.getRecordComponents())
          .map(c -> c.getGenericType().getTypeName() + " " + c.getName())
          .collect(Collectors.joining(", ", "(", ")")));
    }
    if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class
        && !type.isEnum() && !type.isRecord()) {
      out.append(" extends ").append(type.getGenericSuperclass().getTypeName());
    }
    if (type.getGenericInterfaces().length > 0 && !type.isAnnotation()) {
      out.append(type.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(type.getGenericInterfaces()).map(t -> t.getTypeName())
              .collect(Collectors.joining(", ")));
    }
    return out.toString().trim();
  }

  private static List<String> members(Class<?> type) {
    List<Member> members = new ArrayList<>();
    members.addAll(Arrays.asList(type.getDeclaredConstructors()));
    members.addAll(Arrays.asList(type.getDeclaredMethods()));
    members.addAll(Arrays.asList(type.getDeclaredFields()));
    TreeSet<String> lines = new TreeSet<>();
    for (Member member : members) {
      if (member.isSynthetic() || !visible(member.getModifiers())
          || member instanceof Method m && m.isBridge()) {
        continue;
      }
      if (type.isEnum() && member instanceof Method m && isEnumBoilerplate(m)) {
        continue;
      }
      lines.add(describe(member)
          // the declaring type is the heading already; locking is not part of the contract
          .replace(" " + type.getTypeName() + ".", " ")
          .replace("synchronized ", ""));
    }
    return new ArrayList<>(lines);
  }

  private static boolean isEnumBoilerplate(Method m) {
    return Modifier.isStatic(m.getModifiers())
        && (m.getName().equals("values") && m.getParameterCount() == 0
            || m.getName().equals("valueOf") && m.getParameterCount() == 1);
  }

  private static String describe(Member member) {
    if (member instanceof Field field) {
      return field.toGenericString();
    }
    if (member instanceof Constructor<?> || member instanceof Method) {
      return ((Executable) member).toGenericString();
    }
    throw new IllegalArgumentException(String.valueOf(member));
  }
}
