package dev.satellite.registry;

import java.util.List;

/**
 * Child JVM main for {@link ImageCopierMemoryIT}: copies one image between two
 * plain-HTTP registries and prints the result. Run with a small heap to prove blobs are streamed.
 *
 * <p>Arguments: source base URL, destination base URL, repository, manifest digest, tag. Exit 0 on
 * success, 1 with the error on stderr otherwise.
 */
public final class LargeBlobCopyChild {
  private LargeBlobCopyChild() {}

  public static void main(String[] args) {
    try (RegistryClient source = RegistryClient.builder(args[0]).build();
        RegistryClient destination = RegistryClient.builder(args[1]).build();
        ImageCopier copier = ImageCopier.builder().build()) {
      CopyResult result =
          copier.copy(CopyRequest.of(source, args[2], Digest.parse(args[3]))
                  .to(destination, args[2])
                  .tags(List.of(args[4])));
      System.out.println("copied " + result);
      System.out.println("max heap " + Runtime.getRuntime().maxMemory());
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
  }
}
