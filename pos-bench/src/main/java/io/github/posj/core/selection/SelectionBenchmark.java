package io.github.posj.core.selection;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.math3.distribution.EnumeratedIntegerDistribution;
import org.apache.commons.math3.random.AbstractRandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Stake-weighted selection: per-draw time on a built table (simulation) and build + one draw (what
 * the server does each round), for prefix sums ({@link StakeWeightedSelector}), the exact alias
 * table ({@link AliasSelector}: one draw a call, or 1,024) and commons-math3's {@code
 * EnumeratedIntegerDistribution}. Stakes are uniform in 1..1000, the same plus three whales of
 * 10^12 tokens, or Zipf-like (the i-th validator stakes 1 + 10^9 / i).
 *
 * <p>Run: {@code java -jar pos-bench/target/benchmarks.jar SelectionBenchmark}.
 */
@State(Scope.Thread)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class SelectionBenchmark extends BenchmarkDefaults {
  private static final long WHALE = 1_000_000_000_000L;
  private static final long ZIPF_TOP = 1_000_000_000L;
  private static final int BATCH = 1024;

  @Param({"10", "1000", "100000", "1000000"})
  int validators;

  /**
   * The stake shape: uniform 1..1000; whales (three validators of 10^12, the rest uniform); zipf
   * (heavy-tailed: the i-th validator stakes 1 + 10^9 / i, as real stake is: a few large holders
   * and a long tail).
   */
  @Param({"uniform", "whales", "zipf"})
  String stakes;

  private ValidatorId[] ids;
  private long[] amounts;
  private StakeTable table;
  private StakeWeightedSelector prefixSums;
  private AliasSelector alias;
  private EnumeratedIntegerDistribution commonsSameRng;
  private EnumeratedIntegerDistribution commonsDefaultRng;
  private int[] singletons;
  private double[] probabilities;
  private RandomnessSource randomness;
  private final int[] batch = new int[BATCH];

  /** Builds every table once per trial, from fixed seeds. */
  @Setup
  public void setUp() {
    RandomnessSource seeds = RandomnessSource.seeded(20261124);
    ids = new ValidatorId[validators];
    amounts = new long[validators];
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < validators; i++) {
      ids[i] = ValidatorId.derive(("bench/" + i).getBytes(StandardCharsets.UTF_8));
      amounts[i] =
          switch (stakes) {
            case "whales" -> i < 3 ? WHALE : 1 + seeds.nextLong(1000);
            case "zipf" -> 1 + ZIPF_TOP / (i + 1);
            default -> 1 + seeds.nextLong(1000);
          };
      map.put(ids[i], amounts[i]);
    }
    table = StakeTable.of(map);
    prefixSums = StakeWeightedSelector.of(table);
    alias = AliasSelector.of(table);
    singletons = new int[validators];
    probabilities = new double[validators];
    double total = table.totalEligibleStake();
    for (int i = 0; i < validators; i++) {
      singletons[i] = i;
      probabilities[i] = amounts[i] / total;
    }
    randomness = RandomnessSource.seeded(7);
    commonsSameRng =
        new EnumeratedIntegerDistribution(new SameRng(randomness), singletons, probabilities);
    commonsDefaultRng = new EnumeratedIntegerDistribution(singletons, probabilities);
  }

  /** One draw from built prefix sums: binary search, O(log n). */
  @Benchmark
  public Optional<ValidatorId> drawPrefixSums() {
    return prefixSums.select(randomness);
  }

  /** One draw from a built alias table: O(1). */
  @Benchmark
  public Optional<ValidatorId> drawAlias() {
    return alias.select(randomness);
  }

  /** One draw from a built alias table, as the winner's position (a simulation counting wins). */
  @Benchmark
  public int drawAliasPosition() {
    return alias.drawPosition(randomness);
  }

  /** One draw from commons-math3 on the same SplitMix64 stream (inverse CDF over doubles). */
  /**
   * {@link AliasSelector#drawPositions}: 1,024 draws a call (what {@code pos simulate --fast} does,
   * in batches of 4,096), reported per draw.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int[] drawAliasPositions() {
    alias.drawPositions(randomness, batch);
    return batch;
  }

  @Benchmark
  public int drawCommonsMath3SameRng() {
    return commonsSameRng.sample();
  }

  /** One draw from commons-math3 with its default generator (Well19937c). */
  @Benchmark
  public int drawCommonsMath3DefaultRng() {
    return commonsDefaultRng.sample();
  }

  /** Prefix sums built over the proposers in arrival order (no address order), one draw. */
  @Benchmark
  public Optional<ValidatorId> roundPrefixSums() {
    return StakeWeightedSelector.ofOrdered(ids, amounts).select(randomness);
  }

  /**
   * What {@code Round} does: the proposers in arrival order, no table built, one draw ({@link
   * StakeWeightedSelector#selectOnce}).
   */
  @Benchmark
  public Optional<ValidatorId> roundSelectOnce() {
    return StakeWeightedSelector.selectOnce(ids, amounts, randomness);
  }

  /** Building the alias table from a stake table already in address order, one draw. */
  @Benchmark
  public Optional<ValidatorId> roundAlias() {
    return AliasSelector.of(table).select(randomness);
  }

  /** Building commons-math3's distribution (normalising doubles), one draw. */
  @Benchmark
  public int roundCommonsMath3() {
    return new EnumeratedIntegerDistribution(new SameRng(randomness), singletons, probabilities)
        .sample();
  }

  /** commons-math3's RandomGenerator over our RandomnessSource, so both see the same stream. */
  static final class SameRng extends AbstractRandomGenerator {
    private final RandomnessSource source;

    SameRng(RandomnessSource source) {
      this.source = source;
    }

    @Override
    public void setSeed(long seed) {
      throw new UnsupportedOperationException("seeded at construction");
    }

    @Override
    public double nextDouble() {
      return (source.nextLong() >>> 11) * 0x1.0p-53;
    }

    @Override
    public long nextLong() {
      return source.nextLong();
    }
  }
}
