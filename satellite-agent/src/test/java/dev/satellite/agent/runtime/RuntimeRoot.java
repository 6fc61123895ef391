package dev.satellite.agent.runtime;

import com.electronwill.nightconfig.core.CommentedConfig;
import dev.satellite.agent.runtime.internal.TomlFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A temporary runtime root holding realistic runtime files, and ways to look at it. */
final class RuntimeRoot {
  static final String EDGE = "http://127.0.0.1:5000";

  final Path root;

  RuntimeRoot(Path root) {
    this.root = root;
  }

  /** Copies the test resource {@code runtimes/<resource>} to {@code <root>/<path>}. */
  RuntimeRoot with(String path, String resource) {
    return withText(path, resource(resource));
  }

  /** The test resource {@code runtimes/<resource>}'s text. */
  static String resource(String resource) {
    try (InputStream in = RuntimeRoot.class.getResourceAsStream("/runtimes/" + resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RuntimeRoot withText(String path, String text) {
    Path file = root.resolve(path);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  Path path(String path) {
    return root.resolve(path);
  }

  String read(String path) {
    try {
      return Files.readString(root.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The TOML file's values as plain maps and lists. */
  Map<String, Object> toml(String path) {
    Path file = root.resolve(path);
    try {
      CommentedConfig parsed = TomlFiles.parse(file, Files.readAllBytes(file));
      return TomlFiles.values(parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test resource's TOML values. */
  static Map<String, Object> tomlResource(String resource) {
    byte[] content = resource(resource).getBytes(StandardCharsets.UTF_8);
    return TomlFiles.values(TomlFiles.parse(Path.of(resource), content));
  }

  /** Every file under the root with its content: compare two to prove nothing changed. */
  Map<String, String> snapshot() {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file).toString(), Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  RuntimeMirrors.Builder mirrors(String... specs) {
    RuntimeMirrors.Builder builder = RuntimeMirrors.builder().edge(EDGE).runtimeRoot(root);
    for (String spec : specs) {
      builder.mirrors(spec);
    }
    return builder;
  }

  MirrorReport apply(String... specs) {
    return mirrors(specs).build().apply();
  }
}
