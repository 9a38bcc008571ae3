package io.github.posj.core.selection;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The lottery at a million validators (stakes uniform in 1..1000) with each randomness source that
 * posj ships: SplitMix64 ({@code --seed}, simulations), the platform's {@code SecureRandom} (the
 * server's default) and the SHA-256 hash chain (reproducible in any language).
 *
 * <p>Run: {@code java -jar pos-bench/target/benchmarks.jar SelectionRandomnessBenchmark}.
 */
@State(Scope.Thread)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class SelectionRandomnessBenchmark extends BenchmarkDefaults {
  private static final int VALIDATORS = 1_000_000;

  @Param({"splitmix64", "secure-random", "hash-chain"})
  String source;

  private ValidatorId[] ids;
  private long[] amounts;
  private StakeWeightedSelector prefixSums;
  private AliasSelector alias;
  private RandomnessSource randomness;

  /** The same validators and stakes as {@link SelectionBenchmark}'s uniform case. */
  @Setup
  public void setUp() {
    RandomnessSource seeds = RandomnessSource.seeded(20261124);
    ids = new ValidatorId[VALIDATORS];
    amounts = new long[VALIDATORS];
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < VALIDATORS; i++) {
      ids[i] = ValidatorId.derive(("bench/" + i).getBytes(StandardCharsets.UTF_8));
      amounts[i] = 1 + seeds.nextLong(1000);
      map.put(ids[i], amounts[i]);
    }
    StakeTable table = StakeTable.of(map);
    prefixSums = StakeWeightedSelector.of(table);
    alias = AliasSelector.of(table);
    randomness =
        switch (source) {
          case "splitmix64" -> RandomnessSource.seeded(7);
          case "secure-random" -> RandomnessSource.from(new SecureRandom());
          case "hash-chain" -> RandomnessSource.hashChain(new byte[] {7});
          default -> throw new IllegalArgumentException("unknown source " + source);
        };
  }

  /** One draw from a built alias table. */
  @Benchmark
  public Optional<ValidatorId> drawAlias() {
    return alias.select(randomness);
  }

  /** One draw from built prefix sums. */
  @Benchmark
  public Optional<ValidatorId> drawPrefixSums() {
    return prefixSums.select(randomness);
  }

  /** A round's lottery: the proposers' arrays in arrival order, one draw. */
  @Benchmark
  public Optional<ValidatorId> roundSelectOnce() {
    return StakeWeightedSelector.selectOnce(ids, amounts, randomness);
  }
}
