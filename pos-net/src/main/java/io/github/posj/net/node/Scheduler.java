package io.github.posj.net.node;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks at instants of a clock: the {@link NetworkValidator}'s alarm for its duty slots and
 * deadlines. Injected, with the clock, so that tests drive slot starts without waiting (as the
 * tutorial client's {@code Ticker}).
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface Scheduler {
  /**
   * Runs {@code task} once, at {@code time} by the clock or soon after (never much before), on any
   * thread. A task may find the clock earlier than it asked for (the clock moved), so it reads the
   * clock again.
   */
  void schedule(Instant time, Runnable task);

  /**
   * Runs tasks after the delay from {@code clock}'s now to their time, on the JDK's shared daemon
   * timer ({@link CompletableFuture#delayedExecutor}): nothing to shut down.
   */
  static Scheduler system(InstantSource clock) {
    Objects.requireNonNull(clock, "clock");
    return (time, task) -> {
      Duration wait = Duration.between(clock.instant(), time);
      long nanos;
      try {
        nanos = Math.max(0, wait.toNanos());
      } catch (ArithmeticException e) {
        nanos = Long.MAX_VALUE; // more than 292 years away: as good as never
      }
      CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(task);
    };
  }
}
