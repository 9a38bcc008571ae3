package io.github.posj.core.random;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A source of uniformly distributed 64-bit values, handed to pos-core wherever it draws (pos-core
 * never creates randomness of its own).
 *
 * <p>Three kinds are provided: {@link #from(RandomGenerator)} adapts any JDK generator (the server
 * hands in a {@code SecureRandom}); {@link #seeded(long)} is a fast reproducible SplitMix64 stream
 * for tests, simulations and {@code --seed}; {@link #hashChain(byte[])} is a SHA-256 stream that
 * any language can reproduce from its seed ({@link HashChainRandomness}).
 *
 * <p>Contract: {@link #nextLong()} returns values uniform over all 2<sup>64</sup> longs; a
 * deterministic source returns the same sequence for the same seed on every JVM. Sources are
 * stateful: not thread-safe unless the implementation says so; confine each to one thread.
 */
@FunctionalInterface
public interface RandomnessSource {
  /** The next uniformly distributed 64-bit value. */
  long nextLong();

  /**
   * A uniform value in {@code [0, bound)}, without modulo bias.
   *
   * <p>The algorithm is fixed so that any implementation reproduces the same draws from the same
   * {@link #nextLong()} stream: for a power of two, {@code nextLong() & (bound - 1)}; otherwise
   * take {@code u = nextLong() >>> 1} and {@code r = u % bound}, and draw again while {@code u - r
   * + (bound - 1)} overflows (u lies in the last, incomplete copy of the range), else return {@code
   * r}.
   *
   * @throws IllegalArgumentException if {@code bound <= 0}
   */
  default long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long mask = bound - 1;
    if ((bound & mask) == 0) {
      return nextLong() & mask;
    }
    long u = nextLong() >>> 1;
    long r = u % bound;
    while (u - r + mask < 0) {
      u = nextLong() >>> 1;
      r = u % bound;
    }
    return r;
  }

  /**
   * Adapts a JDK generator, e.g. a {@code SecureRandom} or a {@code SplittableRandom}. Thread-safe
   * if the generator is.
   */
  static RandomnessSource from(RandomGenerator generator) {
    Objects.requireNonNull(generator, "generator");
    return generator::nextLong;
  }

  /**
   * A fast, reproducible SplitMix64 stream from {@code seed} (see {@link SplitMix64Randomness}).
   */
  static RandomnessSource seeded(long seed) {
    return new SplitMix64Randomness(seed);
  }

  /**
   * A reproducible SHA-256 hash-chain stream from {@code seed} (see {@link HashChainRandomness}).
   */
  static RandomnessSource hashChain(byte[] seed) {
    return new HashChainRandomness(seed);
  }
}
