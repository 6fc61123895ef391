package dev.satellite.agent.groundcontrol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ground Control's rate limit, kept by the client: never more than 10 requests in a window. */
class RequestBudgetTest {
  private long now;
  private final List<Long> sentAt = new ArrayList<>();
  private final RequestBudget budget = new RequestBudget(RequestBudget.PERMITS,
      RequestBudget.WINDOW, () -> now, duration -> now += duration.toNanos());

  @Test
  void neverLetsMoreThanTenRequestsIntoAnyWindow() throws Exception {
    for (int i = 0; i < 45; i++) {
      budget.acquire();
      sentAt.add(now);
      now += Duration.ofMillis(700).toNanos(); // a caller three times too eager
    }

    long window = RequestBudget.WINDOW.toNanos();
    for (int i = RequestBudget.PERMITS; i < sentAt.size(); i++) {
      assertThat(sentAt.get(i) - sentAt.get(i - RequestBudget.PERMITS))
          .as("request %d and the one ten before it", i).isGreaterThanOrEqualTo(window);
    }
    assertThat(Duration.ofNanos(now)).as("45 requests take four windows")
        .isGreaterThan(RequestBudget.WINDOW.multipliedBy(4));
  }

  @Test
  void aFirstBurstOfTenGoesAtOnce() throws Exception {
    for (int i = 0; i < RequestBudget.PERMITS; i++) {
      budget.acquire();
    }
    assertThat(now).isZero();
    assertThat(budget.waitNow()).isEqualTo(RequestBudget.WINDOW);
  }

  @Test
  void aPauseHoldsEveryRequestBack() throws Exception {
    budget.pauseFor(Duration.ofSeconds(60));

    budget.acquire();

    assertThat(Duration.ofNanos(now)).isEqualTo(Duration.ofSeconds(60));
    assertThat(budget.waitNow()).isZero();
  }
}
