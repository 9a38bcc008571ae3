package io.github.posj.core.selection;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.random.RandomnessSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The tutorial's lottery: a pool with one entry per token, then a uniform index. Build + one draw,
 * as its round does. At 10^6 validators the pool holds about 5 * 10^8 entries (2 GB of references
 * and seconds per round), so the forks get an 8 GB heap; whales (10^12 entries each) cannot be
 * allocated at all: that is defect B6.
 *
 * <p>Run: {@code java -jar pos-bench/target/benchmarks.jar TutorialPoolBenchmark}.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch"})
public class TutorialPoolBenchmark extends BenchmarkDefaults {
  @Param({"10", "1000", "100000", "1000000"})
  int validators;

  private String[] addresses;
  private long[] stakes;
  private RandomnessSource randomness;

  /** Uniform stakes in 1..1000 from a fixed seed. */
  @Setup
  public void setUp() {
    RandomnessSource seeds = RandomnessSource.seeded(20261124);
    addresses = new String[validators];
    stakes = new long[validators];
    for (int i = 0; i < validators; i++) {
      addresses[i] = String.format("%064x", i);
      stakes[i] = 1 + seeds.nextLong(1000);
    }
    randomness = RandomnessSource.seeded(7);
  }

  /** Build the pool (one reference per token) and draw one entry. */
  @Benchmark
  public String roundTutorialPool() {
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < validators; i++) {
      for (long t = 0; t < stakes[i]; t++) {
        pool.add(addresses[i]);
      }
    }
    return pool.get((int) randomness.nextLong(pool.size()));
  }
}
