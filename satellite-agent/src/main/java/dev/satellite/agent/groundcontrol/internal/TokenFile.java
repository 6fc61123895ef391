package dev.satellite.agent.groundcontrol.internal;

import dev.satellite.core.SatelliteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A new registration token an operator puts in the state directory ({@value #NAME}) for a running
 * satellite whose robot account was refused: read at each check, never logged.
 *
 * <p>The file must be a regular file (not a link) that only its owner may read or write (mode
 * {@code 0600} or {@code 0400} where the file system has POSIX modes); any other is refused with
 * a message naming the file and its mode, and left as it is. The token is its content without
 * surrounding white space. Tokens are single-use, so the file is deleted once a registration with
 * it succeeded ({@link #consume}).
 */
public final class TokenFile {
  public static final String NAME = "token";
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final int MAX_BYTES = 4096;

  private final Path path;

  public TokenFile(Path stateDirectory) {
    this.path = stateDirectory.resolve(NAME);
  }

  public Path path() {
    return path;
  }

  /**
   * The token in the file; empty when there is no file.
   *
   * @throws SatelliteException naming the file when it is not a regular owner-only file, is
   *     empty, too long, or cannot be read
   */
  public Optional<String> read() {
    try {
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
        throw refused("it is not a regular file");
      }
      PosixFileAttributeView posix = Files.getFileAttributeView(path,
          PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (posix != null) {
        Set<PosixFilePermission> mode = posix.readAttributes().permissions();
        if (mode.stream().anyMatch(OTHERS::contains)) {
          throw refused("its mode " + PosixFilePermissions.toString(mode) + " lets others read or"
              + " write it; chmod 600 it");
        }
      }
      byte[] bytes;
      try (var in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
      if (bytes.length > MAX_BYTES) {
        throw refused("it holds more than " + MAX_BYTES + " bytes");
      }
      String token = new String(bytes, StandardCharsets.UTF_8).strip();
      if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
        throw refused(token.isEmpty() ? "it is empty" : "it holds more than one word");
      }
      return Optional.of(token);
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SatelliteException("read the registration token file " + path + ": " + e, e);
    }
  }

  /** Deletes the file after its token was used; a file already gone is fine. */
  public void consume() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new SatelliteException("delete the used registration token file " + path + ": " + e,
          e);
    }
  }

  private SatelliteException refused(String why) {
    return new SatelliteException("registration token file " + path + " not used: " + why);
  }
}
