package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Scheduler#system}: delays are read from the injected clock. */
final class SchedulerTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  private final Scheduler scheduler = Scheduler.system(new ManualClock(NOW));

  @Test
  void schedule_timeInThePast_runsAtOnce() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);

    scheduler.schedule(NOW.minusSeconds(3600), ran::countDown);

    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void schedule_timeAhead_waitsTheClocksDifference() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    long start = System.nanoTime();

    scheduler.schedule(NOW.plusMillis(50), ran::countDown);

    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
  }

  @Test
  void schedule_farFuture_doesNotOverflow() {
    assertThatCode(() -> scheduler.schedule(Instant.MAX, () -> {})).doesNotThrowAnyException();
  }
}
