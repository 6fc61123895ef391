package dev.satellite.registry;

import dev.satellite.persistence.AtomicFileUploadJournal;
import java.nio.file.Path;
import java.util.List;

/**
 * Child JVM main for {@link ResumableCopyKillIT}: copies one image between two
 * plain-HTTP registries with an upload journal, and prints the result.
 *
 * <p>Arguments: source base URL, destination base URL, repository, manifest digest, tag, journal
 * directory. Exit 0 on success, 1 with the error on stderr otherwise.
 */
public final class ResumableCopyChild {
  private ResumableCopyChild() {}

  public static void main(String[] args) {
    try (RegistryClient source = RegistryClient.builder(args[0]).build();
        RegistryClient destination = RegistryClient.builder(args[1]).build();
        AtomicFileUploadJournal journal = AtomicFileUploadJournal.open(Path.of(args[5]));
        ImageCopier copier = ImageCopier.builder().uploadJournal(journal).build()) {
      CopyResult result =
          copier.copy(CopyRequest.of(source, args[2], Digest.parse(args[3]))
                  .to(destination, args[2])
                  .tags(List.of(args[4])));
      System.out.println("copied " + result);
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
  }
}
