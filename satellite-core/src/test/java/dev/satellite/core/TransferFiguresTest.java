package dev.satellite.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one set of transfer figures, and how copies, groups and passes compose it. */
class TransferFiguresTest {
  private final TransferFigures first = new TransferFigures(2, 1, 3, 700, 100, List.of("a"));
  private final TransferFigures second = new TransferFigures(1, 0, 4, 50, 0, List.of("b", "c"));

  @Test
  void plusAddsEveryFigureAndKeepsTheRestartsInOrder() {
    assertThat(first.plus(second))
        .isEqualTo(new TransferFigures(3, 1, 7, 750, 100, List.of("a", "b", "c")));
    assertThat(TransferFigures.NONE.plus(first)).isEqualTo(first);
  }

  @Test
  void aNegativeFigureIsRefusedByName() {
    assertThatThrownBy(() -> new TransferFigures(0, 0, 0, -5, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytesCopied cannot be negative: -5");
    assertThatThrownBy(() -> TransferFigures.NONE.withBlobsMounted(-1))
        .hasMessage("blobsMounted cannot be negative: -1");
  }

  @Test
  void copyAndGroupReportsReadTheirFiguresFromOneRecord() {
    GroupReport g1 = GroupReport.builder("g1", GroupReport.Status.SYNCED).transfer(first).build();
    GroupReport g2 = GroupReport.builder("g2", GroupReport.Status.SYNCED).transfer(second).build();
    ReplicationResult copy = ReplicationResult.builder().transfer(first).manifestsPushed(1).build();

    assertThat(copy.blobsUploaded()).isEqualTo(2);
    assertThat(copy.restartedUploads()).containsExactly("a");
    assertThat(g1.transfer()).isEqualTo(first);
    assertThat(g1.bytesResumed()).isEqualTo(100);
    assertThat(g2.blobsSkipped()).isEqualTo(4);
    assertThat(GroupReport.builder("g3", GroupReport.Status.SYNCED).transfer(first)
        .bytesCopied(1).build().transfer()).isEqualTo(first.withBytesCopied(1));
  }
}
