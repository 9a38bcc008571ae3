package io.github.posj.core.random;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA
 * 2014): fast, statistically strong, reproducible, and not cryptographic (a draw can be predicted
 * from the seed). For tests, simulations and {@code --seed}; never for a public server's lottery.
 *
 * <pre>
 *   state += 0x9e3779b97f4a7c15
 *   z = state
 *   z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9
 *   z = (z ^ (z >>> 27)) * 0x94d049bb133111eb
 *   return z ^ (z >>> 31)
 * </pre>
 *
 * <p>The first value for seed 0 is {@code 0xe220a8397b1dcdaf}.
 *
 * <p>Not thread-safe; confine to one thread.
 */
public final class SplitMix64Randomness implements RandomnessSource {
  private long state;

  /** A stream that starts from {@code seed}. */
  public SplitMix64Randomness(long seed) {
    this.state = seed;
  }

  @Override
  public long nextLong() {
    state += 0x9e3779b97f4a7c15L;
    long z = state;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
