package dev.satellite.registry.internal;

import dev.satellite.registry.Digest;
import dev.satellite.registry.internal.blob.VerifyingBlobStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;

/** Blob reads: {@code HEAD} (only 404 is absent) and the verified, resumable {@code GET}. */
public final class BlobEndpoints {
  private final RegistryCaller caller;
  private final HttpUrl base;

  public BlobEndpoints(RegistryCaller caller, HttpUrl base) {
    this.caller = caller;
    this.base = base;
  }

  /** The blob's size from {@code Content-Length} (-1 when not sent), or empty on 404. */
  public Optional<Long> head(String repository, Digest digest) {
    RegistryRequest request = request("HEAD", repository, digest);
    return caller.call(
        request,
        Set.of(200, 404),
        r -> {
          if (r.code() == 404) {
            return Optional.empty();
          }
          return Optional.of(contentLength(r.header("Content-Length")));
        });
  }

  private static long contentLength(String header) {
    try {
      return header == null ? -1L : Long.parseLong(header.trim());
    } catch (NumberFormatException malformed) {
      return -1L;
    }
  }

  public InputStream open(String repository, Digest digest) {
    return VerifyingBlobStream.open(caller, request("GET", repository, digest), digest);
  }

  /** The blob from byte {@code offset} on, verified whole given the hash of the bytes before. */
  public VerifyingBlobStream openFrom(
      String repository, Digest digest, long offset, MessageDigest prefixHash) {
    return VerifyingBlobStream.openFrom(
        caller, request("GET", repository, digest), digest, offset, prefixHash);
  }

  private RegistryRequest request(String method, String repository, Digest digest) {
    String action =
        method
            + " blob "
            + V2Paths.display(repository, digest.toString())
            + " at "
            + caller.registry();
    return RegistryRequest.of(
        action,
        method,
        V2Paths.url(base, repository, "blobs", digest.toString()),
        List.of(V2Paths.pull(repository)));
  }
}
