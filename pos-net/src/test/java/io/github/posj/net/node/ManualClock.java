package io.github.posj.net.node;

import java.time.Instant;
import java.time.InstantSource;

/**
 * A clock the test sets (as Guava's {@code FakeTicker}).
 *
 * <p>Thread-safe.
 */
final class ManualClock implements InstantSource {
  private volatile Instant now;

  ManualClock(Instant now) {
    this.now = now;
  }

  void set(Instant time) {
    now = time;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
