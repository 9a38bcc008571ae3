package io.github.posj.core.round;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A whole round in pos-core: check every candidate against the head (hash recomputed), dedupe,
 * build the stake table of the eligible, draw, append.
 *
 * <p>Run: {@code java -jar pos-bench/target/benchmarks.jar RoundBenchmark}.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoundBenchmark extends BenchmarkDefaults {
  @Param({"10000"})
  int candidates;

  private Chain chain;
  private List<Block> proposals;
  private StakeTable stakes;
  private RandomnessSource randomness;

  /** One proposal from each of {@code candidates} validators on a genesis-only chain. */
  @Setup
  public void setUp() {
    Instant start = Instant.parse("2026-11-24T05:37:41Z");
    chain = Chain.genesis(HashScheme.posj(), GoTimestamp.format(start));
    RandomnessSource seeds = RandomnessSource.seeded(20261124);
    proposals = new ArrayList<>(candidates);
    Map<ValidatorId, Long> map = new HashMap<>();
    String timestamp = GoTimestamp.format(start.plusSeconds(30));
    for (int i = 0; i < candidates; i++) {
      ValidatorId id = ValidatorId.derive(("round/" + i).getBytes(StandardCharsets.UTF_8));
      map.put(id, 1 + seeds.nextLong(1000));
      proposals.add(chain.nextBlock(60 + i % 40, timestamp, id));
    }
    stakes = StakeTable.of(map);
    randomness = RandomnessSource.seeded(7);
  }

  /** {@code Round.resolve} over every candidate. */
  @Benchmark
  public RoundOutcome resolve() {
    return new Round(chain, proposals, stakes).resolve(randomness);
  }
}
