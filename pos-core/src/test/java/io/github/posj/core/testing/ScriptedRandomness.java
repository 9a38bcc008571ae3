package io.github.posj.core.testing;

import io.github.posj.core.random.RandomnessSource;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A randomness source that returns the values it was given, in order, and fails the test when it
 * runs out (like Guava's FakeTicker, for draws). Counts the values consumed.
 */
public final class ScriptedRandomness implements RandomnessSource {
  private final Deque<Long> values = new ArrayDeque<>();
  private int consumed;

  /** A source that will return {@code values} in order. */
  public ScriptedRandomness(long... values) {
    for (long value : values) {
      this.values.add(value);
    }
  }

  @Override
  public long nextLong() {
    Long value = values.poll();
    if (value == null) {
      throw new AssertionError("ScriptedRandomness ran out after " + consumed + " values");
    }
    consumed++;
    return value;
  }

  /** How many values were consumed. */
  public int consumed() {
    return consumed;
  }
}
