package dev.satellite.registry;

import dev.satellite.registry.internal.blob.UploadPosition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.satellite.core.SatelliteException;
import dev.satellite.core.UploadRecord;
import dev.satellite.persistence.AtomicFileUploadJournal;
import dev.satellite.registry.testing.ImagePush;
import dev.satellite.registry.testing.faults.Fault;
import dev.satellite.registry.testing.faults.FaultProxy;
import dev.satellite.testing.DistributionRegistry;
import dev.satellite.testing.FileDigests;
import dev.satellite.testing.RequiresRegistry;
import dev.satellite.testing.TestBlob;
import dev.satellite.testing.TestImage;
import dev.satellite.testing.TestImages;
import dev.satellite.testing.TestImages.Format;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable copies between two real registries, each behind a fault proxy: a first copy is cut
 * off after exactly three of its 1 MiB chunks (the source connection drops), and a second copy
 * continues it. Each test then breaks one thing the continuation relies on and checks that the
 * copy falls back safely, says so, and leaves the exact blob at the edge.
 */
@RequiresRegistry
class ResumableCopyFallbackIT {
  private static final int CHUNK = 1024 * 1024;
  private static final long CUT = 3L * CHUNK;
  private static final long SIZE = 6L * CHUNK + 333;

  private static DistributionRegistry upstream;
  private static DistributionRegistry edge;
  private static FaultProxy sourceProxy;
  private static FaultProxy edgeProxy;

  @TempDir Path tmp;
  private AtomicFileUploadJournal journal;
  private RegistryClient source;
  private RegistryClient destination;
  private TestBlob layer;
  private TestImage image;
  private String repository;
  private static int seed = 40;

  @BeforeAll
  static void startRegistries() {
    upstream = DistributionRegistry.builder().start();
    edge = DistributionRegistry.builder().start();
    sourceProxy = FaultProxy.to(upstream.hostPort());
    edgeProxy = FaultProxy.to(edge.hostPort());
  }

  @AfterAll
  static void stopRegistries() {
    sourceProxy.close();
    edgeProxy.close();
    upstream.close();
    edge.close();
  }

  @BeforeEach
  void seedAndCutAFirstCopy() throws Exception {
    seed++;
    repository = "resume/app" + seed;
    layer = TestBlob.random(seed, SIZE);
    image = TestImages.image(Format.OCI, seed, layer);
    try (RegistryClient seeder = RegistryClient.builder(upstream.baseUrl()).build()) {
      ImagePush.push(seeder, repository, image, "v1");
    }
    journal = AtomicFileUploadJournal.open(tmp.resolve("journal"));
    source = RegistryClient.builder(sourceProxy.baseUrl()).maxRetries(0).build();
    destination = RegistryClient.builder(edgeProxy.baseUrl()).build();
    sourceProxy.inject("GET", ".*/blobs/" + layer.digest(), 1, Fault.dropAfter(CUT));
    assertThatThrownBy(this::copy).isInstanceOf(SatelliteException.class);
    sourceProxy.clearFaults();
    sourceProxy.resetTraffic();
    edgeProxy.resetTraffic();
  }

  @AfterEach
  void closeClients() {
    sourceProxy.clearFaults();
    edgeProxy.clearFaults();
    source.close();
    destination.close();
    journal.close();
  }

  @Test
  void continuesTheSessionTheRegistryStillKnowsAndFetchesOnlyTheRest() throws Exception {
    assertThat(record().uploaded()).isEqualTo(CUT);

    CopyResult result = copy();

    assertThat(result.restartedUploads()).isEmpty();
    assertThat(result.bytesResumed()).isEqualTo(CUT);
    assertThat(result.bytesCopied()).isEqualTo(SIZE - CUT);
    assertThat(fetchedFromSource()).isEqualTo(SIZE - CUT);
    assertThat(edgeProxy.exchanges("PATCH", ".*")).hasSize(4);
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  @Test
  void startsANewSessionFedFromTheSpoolWhenTheRegistryNoLongerKnowsTheRecordedOne()
      throws Exception {
    UploadRecord recorded = record();
    String forgotten = recorded.location()
        .replaceFirst("/uploads/[^?]+", "/uploads/00000000-0000-0000-0000-000000000000");
    journal.save(new UploadRecord(recorded.registry(), recorded.repository(), recorded.digest(),
        recorded.size(), forgotten, recorded.uploaded(), Instant.now()));

    CopyResult result = copy();

    assertThat(result.restartedUploads()).singleElement().asString()
        .contains(layer.digest()).contains("no longer knows the recorded upload session");
    assertThat(fetchedFromSource()).isEqualTo(SIZE - CUT);
    assertThat(result.bytesResumed()).isEqualTo(CUT);
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  @Test
  void aRecordedSessionOfAnotherRepositoryIsLeftAloneAndTheSpoolStillUsed() throws Exception {
    UploadRecord recorded = record();
    journal.save(new UploadRecord(recorded.registry(), "resume/elsewhere", recorded.digest(),
        recorded.size(), recorded.location(), recorded.uploaded(), Instant.now()));

    CopyResult result = copy();

    assertThat(result.restartedUploads()).singleElement().asString()
        .contains("belongs to repository resume/elsewhere");
    assertThat(edgeProxy.exchanges("GET", ".*/blobs/uploads/.*")).isEmpty();
    assertThat(fetchedFromSource()).isEqualTo(SIZE - CUT);
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  @Test
  void aRetryInTheSameProcessContinuesWhereTheCutLeftOff() throws Exception {
    sourceProxy.inject("GET", ".*/blobs/" + layer.digest(), 1, Fault.dropAfter(CHUNK + 100));

    CopyResult result;
    try (ImageCopier copier = ImageCopier.builder()
        .uploadJournal(journal)
        .resumableUploads(CHUNK, CHUNK)
        .maxBlobAttempts(2)
        .build()) {
      result = copier.copy(CopyRequest.of(source, repository, Digest.parse(image.digest()))
              .to(destination, repository)
              .tags(List.of("v1")));
    }

    assertThat(result.blobsUploaded()).isEqualTo(1);
    assertThat(fetchedFromSource()).as("each byte fetched once after the first cut")
        .isEqualTo(SIZE - CUT);
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  @Test
  void uploadsAgainFromTheSpoolWhenTheRegistryRefusesToContinueWith416() throws Exception {
    edgeProxy.inject("PATCH", ".*", 1, Fault.status(416));

    CopyResult result = copy();

    assertThat(result.restartedUploads()).singleElement().asString()
        .contains("refused to continue").contains("416");
    assertThat(result.bytesResumed()).isEqualTo(CUT);
    assertThat(result.bytesCopied()).isEqualTo(SIZE - CUT);
    // On the wire a little more: the source had sent ahead of the chunk the refusal cut short.
    assertThat(fetchedFromSource()).isLessThan(SIZE);
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  @Test
  void aSessionHoldingAWrongPrefixIsRejectedAtCommitAndTheBlobUploadedAgain() throws Exception {
    UploadPosition wrong = sessionHoldingWrongBytes(CUT);
    journal.save(new UploadRecord(destination.registry(), repository, layer.digest(), SIZE,
        wrong.location(), wrong.offset(), Instant.now()));

    CopyResult result = copy();

    assertThat(result.restartedUploads()).singleElement().asString()
        .contains("refused to continue");
    assertThat(edge.requests()).anySatisfy(e -> {
      assertThat(e.method()).isEqualTo("PUT");
      assertThat(e.path()).contains("/blobs/uploads/");
      assertThat(e.status()).isEqualTo(400);
    });
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  @Test
  void aSpoolHoldingWrongBytesFailsTheDigestCheckBeforeCommitAndIsDropped() throws Exception {
    try (FileChannel spool = FileChannel.open(spoolFile(), StandardOpenOption.WRITE)) {
      spool.write(java.nio.ByteBuffer.wrap(new byte[] {0x5a, 0x5a, 0x5a}), 1000);
    }

    CopyResult result = copy();

    assertThat(result.restartedUploads()).singleElement().asString()
        .contains("did not hash to the digest");
    assertThat(fetchedFromSource()).isEqualTo(SIZE - CUT + SIZE);
    assertThat(edge.requests()).noneMatch(e -> e.method().equals("PUT") && e.status() >= 400);
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  @Test
  void aJournalEntryFailingItsIntegrityCheckStartsTheBlobOverFromZero() throws Exception {
    Path recordFile = recordFile();
    byte[] bytes = Files.readAllBytes(recordFile);
    Files.write(recordFile, Arrays.copyOf(bytes, bytes.length / 2));

    CopyResult result = copy();

    assertThat(result.restartedUploads()).singleElement().asString()
        .contains("could not be trusted");
    assertThat(result.bytesResumed()).isZero();
    assertThat(fetchedFromSource()).isEqualTo(SIZE);
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  @Test
  void aSourceIgnoringTheRangeIsReadFromItsStartAndSaysSo() throws Exception {
    OkHttpClient noRanges = new OkHttpClient.Builder()
        .addInterceptor(chain -> chain.proceed(
            chain.request().newBuilder().removeHeader("Range").build()))
        .build();
    source.close();
    source = RegistryClient.builder(sourceProxy.baseUrl()).sharedHttpClient(noRanges).build();

    CopyResult result = copy();

    assertThat(result.restartedUploads()).singleElement().asString()
        .contains("ignored the range request");
    assertThat(result.bytesResumed()).isZero();
    assertThat(fetchedFromSource()).isEqualTo(SIZE);
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  @Test
  void aSourceRefusingTheRangeWith416IsFetchedAgainFromZero() throws Exception {
    sourceProxy.inject("GET", ".*/blobs/" + layer.digest(), 1, Fault.status(416));

    CopyResult result = copy();

    assertThat(result.restartedUploads()).singleElement().asString()
        .contains("refused the range request");
    assertThat(fetchedFromSource()).isEqualTo(SIZE);
    assertExactBlobAtEdgeAndJournalEmpty();
  }

  private CopyResult copy() {
    try (ImageCopier copier = ImageCopier.builder()
        .uploadJournal(journal)
        .resumableUploads(CHUNK, CHUNK)
        .maxBlobAttempts(1)
        .build()) {
      return copier.copy(CopyRequest.of(source, repository, Digest.parse(image.digest()))
              .to(destination, repository)
              .tags(List.of("v1")));
    }
  }

  private UploadRecord record() {
    return journal.find(destination.registry(), layer.digest()).orElseThrow();
  }

  private Path spoolFile() {
    return journal.spoolFile(destination.registry(), layer.digest());
  }

  private Path recordFile() {
    String spool = spoolFile().getFileName().toString();
    return spoolFile().resolveSibling(spool.replace(".spool", ".upload"));
  }

  private long fetchedFromSource() {
    return sourceProxy.bodyBytes("GET", ".*/blobs/" + layer.digest());
  }

  /** Opens a session at the edge holding {@code bytes} bytes that are not the layer's. */
  private UploadPosition sessionHoldingWrongBytes(long bytes) {
    byte[] junk = new byte[(int) bytes];
    Arrays.fill(junk, (byte) 7);
    AtomicReference<UploadPosition> last = new AtomicReference<>();
    InputStream junkThenCut = new InputStream() {
      private int position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (position >= junk.length) {
          throw new IOException("cut off");
        }
        int n = Math.min(len, junk.length - position);
        System.arraycopy(junk, position, b, off, n);
        position += n;
        return n;
      }
    };
    assertThatThrownBy(() -> destination.resumableBlobs().pushBlobInChunks(repository,
        Digest.parse(layer.digest()), SIZE, junkThenCut, CHUNK, Optional.empty(), last::set))
        .isInstanceOf(RegistryException.class);
    assertThat(last.get().offset()).isEqualTo(bytes);
    return last.get();
  }

  private void assertExactBlobAtEdgeAndJournalEmpty() throws Exception {
    assertThat(FileDigests.sha256(edge.blobFile(layer.digest()))).isEqualTo(layer.digest());
    assertThat(journal.find(destination.registry(), layer.digest())).isEmpty();
    assertThat(spoolFile()).doesNotExist();
  }
}
