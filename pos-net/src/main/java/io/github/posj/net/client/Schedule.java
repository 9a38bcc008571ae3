package io.github.posj.net.client;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link ValidatorFleet}'s members propose. Every schedule proposes once at the start.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface Schedule {
  /** Again after each round result a member receives, so each member takes part in every round. */
  record EveryRound() implements Schedule {}

  /**
   * Again every {@code interval}, whatever the rounds do.
   *
   * @param interval positive
   */
  record Every(Duration interval) implements Schedule {
    /** Checks the interval. */
    public Every {
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("the interval must be positive, got " + interval);
      }
    }
  }

  /** Only at the start; afterwards the members watch. */
  record Once() implements Schedule {}
}
