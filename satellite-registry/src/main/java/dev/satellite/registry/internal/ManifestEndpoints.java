package dev.satellite.registry.internal;

import dev.satellite.core.OciGrammar;
import dev.satellite.registry.Descriptor;
import dev.satellite.registry.Digest;
import dev.satellite.registry.DigestMismatchException;
import dev.satellite.registry.Manifest;
import dev.satellite.registry.MediaTypes;
import dev.satellite.registry.RegistryException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Manifest operations: {@code HEAD}, {@code GET} (size-capped, digest-verified when fetched by
 * digest), {@code PUT} (raw bytes, own media type) and {@code DELETE} by digest or tag.
 */
public final class ManifestEndpoints {
  private static final String ACCEPT = String.join(", ", MediaTypes.MANIFEST_TYPES);

  private final RegistryCaller caller;
  private final okhttp3.HttpUrl base;
  private final int maxBytes;

  public ManifestEndpoints(RegistryCaller caller, okhttp3.HttpUrl base, int maxBytes) {
    this.caller = caller;
    this.base = base;
    this.maxBytes = maxBytes;
  }

  public Optional<Descriptor> head(String repository, String reference) {
    RegistryRequest request = request("HEAD", repository, reference, V2Paths.pull(repository));
    HeadAnswer answer =
        caller.call(
            request,
            Set.of(200, 404),
            r -> new HeadAnswer(r.code() == 404, describe(r, reference)));
    if (answer.absent()) {
      return Optional.empty();
    }
    return Optional.of(
        answer.descriptor().orElseGet(() -> get(repository, reference).descriptor()));
  }

  /** 404, or the descriptor the headers give (empty when they lack or garble one). */
  private record HeadAnswer(boolean absent, Optional<Descriptor> descriptor) {}

  /**
   * The descriptor from the headers; empty when the digest, size or type is missing or malformed,
   * in which case the manifest is fetched and hashed instead.
   */
  private static Optional<Descriptor> describe(Response response, String reference) {
    String digest = isDigest(reference) ? reference : response.header("Docker-Content-Digest");
    String length = response.header("Content-Length");
    String type = mediaType(response);
    if (digest == null || length == null || type == null || !OciGrammar.isDigest(digest)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Descriptor(type, Digest.parse(digest), Long.parseLong(length.trim())));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  public Manifest get(String repository, String reference) {
    RegistryRequest request = request("GET", repository, reference, V2Paths.pull(repository));
    return caller.call(request, Set.of(200), r -> read(r, request.action(), reference));
  }

  private Manifest read(Response response, String action, String reference) throws IOException {
    long declared = response.body().contentLength();
    if (declared > maxBytes) {
      throw tooLarge(action, declared + " bytes");
    }
    BufferedSource source = response.body().source();
    Buffer buffer = new Buffer();
    while (source.read(buffer, 8192) != -1) {
      if (buffer.size() > maxBytes) {
        throw tooLarge(action, "more than " + maxBytes + " bytes");
      }
    }
    byte[] bytes = buffer.readByteArray();
    String type = mediaType(response);
    if (type == null || !MediaTypes.isManifest(type)) {
      type = ManifestJson.mediaType(bytes, action).orElse(type);
    }
    if (type == null) {
      throw new RegistryException(action, "response has neither Content-Type nor mediaType", null);
    }
    if (!isDigest(reference)) {
      return Manifest.of(type, bytes);
    }
    Digest expected = Digest.parse(reference);
    Manifest manifest = Manifest.of(type, bytes, expected.algorithm());
    if (!manifest.digest().equals(expected)) {
      throw new DigestMismatchException(action, expected, manifest.digest());
    }
    return manifest;
  }

  private RegistryException tooLarge(String action, String size) {
    return new RegistryException(
        action, "manifest is " + size + ", over the limit of " + maxBytes + " bytes", null);
  }

  public Digest put(String repository, String reference, Manifest manifest) {
    return putReportingSubject(repository, reference, manifest).digest();
  }

  /**
   * What the registry answered a manifest {@code PUT}: the digest, and whether it said {@code
   * OCI-Subject} (a registry serving the referrers API does so for a manifest with a subject).
   */
  public record PutAnswer(Digest digest, boolean subjectReported) {}

  public PutAnswer putReportingSubject(String repository, String reference, Manifest manifest) {
    if (isDigest(reference) && !Digest.parse(reference).equals(manifest.digest())) {
      throw new IllegalArgumentException(
          "cannot put " + manifest + " under another digest " + reference);
    }
    RegistryRequest request =
        request("PUT", repository, reference, V2Paths.push(repository))
            .withBody(
                RequestBody.create(manifest.bytes(), MediaType.get(manifest.mediaType())), true);
    boolean[] subject = new boolean[1];
    String reported =
        caller.call(request, Set.of(200, 201), r -> {
          subject[0] = r.header("OCI-Subject") != null;
          return r.header("Docker-Content-Digest");
        });
    if (reported == null) {
      return new PutAnswer(manifest.digest(), subject[0]);
    }
    if (!OciGrammar.isDigest(reported)) {
      throw new RegistryException(
          request.action(),
          "registry reported an invalid Docker-Content-Digest: " + reported,
          null);
    }
    Digest digest = Digest.parse(reported);
    if (digest.algorithm().equals(manifest.digest().algorithm())
        && !digest.equals(manifest.digest())) {
      throw new DigestMismatchException(request.action(), manifest.digest(), digest);
    }
    return new PutAnswer(digest, subject[0]);
  }

  public void delete(String repository, Digest digest) {
    RegistryRequest request =
        request("DELETE", repository, digest.toString(), V2Paths.delete(repository));
    caller.call(request, Set.of(200, 202, 404), r -> null);
  }

  public boolean deleteTag(String repository, String tag) {
    RegistryRequest request =
        request("DELETE", repository, V2Paths.requireTag(tag), V2Paths.delete(repository));
    return caller.call(
        request,
        Set.of(200, 202, 404, 400, 405),
        r -> {
          if (r.code() != 400 && r.code() != 405) {
            return true;
          }
          RegistryException refused = caller.failure(request, r);
          List<String> codes = refused.errorCodes();
          if (r.code() == 405
              || codes.contains("UNSUPPORTED")
              || codes.contains("DIGEST_INVALID")) {
            return false;
          }
          throw refused;
        });
  }

  private RegistryRequest request(
      String method, String repository, String reference, String scope) {
    String ref = V2Paths.requireReference(reference);
    String action =
        method + " manifest " + V2Paths.display(repository, ref) + " at " + caller.registry();
    return RegistryRequest.of(
            action, method, V2Paths.url(base, repository, "manifests", ref), List.of(scope))
        .withHeader("Accept", ACCEPT);
  }

  private static String mediaType(Response response) {
    String header = response.header("Content-Type");
    if (header == null || header.isBlank()) {
      return null;
    }
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
  }

  private static boolean isDigest(String reference) {
    return reference.contains(":");
  }
}
