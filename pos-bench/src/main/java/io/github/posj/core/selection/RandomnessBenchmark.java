package io.github.posj.core.selection;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.random.RandomnessSource;
import java.security.SecureRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one unbiased bounded draw from each randomness source; add it to a selection's draw
 * time (measured with SplitMix64) to get that selection with another source.
 *
 * <p>Run: {@code java -jar pos-bench/target/benchmarks.jar RandomnessBenchmark}.
 */
@State(Scope.Thread)
public class RandomnessBenchmark extends BenchmarkDefaults {
  private static final long BOUND = 500_000_000_000L;

  private RandomnessSource splitMix;
  private RandomnessSource secure;
  private RandomnessSource hashChain;

  /** Fixed seeds; SecureRandom is the platform default, as the server uses it. */
  @Setup
  public void setUp() {
    splitMix = RandomnessSource.seeded(7);
    secure = RandomnessSource.from(new SecureRandom());
    hashChain = RandomnessSource.hashChain(new byte[] {7});
  }

  /** SplitMix64 ({@code --seed}, simulations). */
  @Benchmark
  public long splitMix64() {
    return splitMix.nextLong(BOUND);
  }

  /** The server's default. */
  @Benchmark
  public long secureRandom() {
    return secure.nextLong(BOUND);
  }

  /** The reproducible SHA-256 hash chain (4 values per digest). */
  @Benchmark
  public long hashChain() {
    return hashChain.nextLong(BOUND);
  }
}
