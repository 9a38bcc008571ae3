package io.github.posj.core.schedule;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.chain.SignedChainGenerator;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Preimage;
import io.github.posj.core.random.HashChainRandomness;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.selection.StakeWeightedSelector;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The leader re-check a verifier makes for every block (issue #12's target: <= 2 µs): the onion
 * step ({@link HashOnion#chains}: one SHA-256) and the draw of the slot's leader from the epoch's
 * selector with the epoch's seed computed beforehand ({@link LeaderSchedule#leader(long, Hash)}:
 * the slot's seed, one SHA-256, a {@link HashChainRandomness} block, one SHA-256, and a binary
 * search over the prefix sums). Each call draws for the next slot, so that at 10^6 validators the
 * search reads a new part of the 16 MB of prefix sums and ids every time, as a verifier's does.
 *
 * <p>A genesis holds at most {@link Genesis#MAX_VALIDATORS} (100,000) validators, so at 1,000,000
 * the draw runs the statements of {@link LeaderSchedule#leader(long, Hash)} on a {@link
 * StakeWeightedSelector} over a stake table of that size (ids derived from fixed seeds, stakes in
 * 1..1000): the same code on the same data layout, without a genesis. Below that the schedule is
 * built from a real genesis ({@link SignedChainGenerator}'s keys and stakes).
 *
 * <p>Run: {@code taskset -c 1 java -jar pos-bench/target/benchmarks.jar LeaderScheduleBenchmark}.
 */
@State(Scope.Thread)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class LeaderScheduleBenchmark extends BenchmarkDefaults {
  @Param({"10", "1000", "10000", "1000000"})
  int validators;

  private LeaderSchedule schedule;
  private StakeWeightedSelector selector;
  private Hash epochSeed;
  private Hash reveal;
  private Hash lastReveal;
  private long slot;

  /** Builds the schedule (or, above a genesis's limit, the selector) and an onion pair. */
  @Setup
  public void setUp() {
    if (validators <= Genesis.MAX_VALIDATORS) {
      Genesis genesis = SignedChainGenerator.of(validators, 0).genesis();
      schedule = LeaderSchedule.of(genesis);
      epochSeed = schedule.seed(0, schedule.initialMix());
    } else {
      RandomnessSource stakes = RandomnessSource.seeded(20261201);
      Map<ValidatorId, Long> table = new HashMap<>();
      for (int i = 0; i < validators; i++) {
        table.put(
            ValidatorId.derive(("bench/" + i).getBytes(StandardCharsets.UTF_8)),
            1 + stakes.nextLong(1000));
      }
      selector = StakeWeightedSelector.of(StakeTable.of(table));
      epochSeed = Preimage.sha256Of("an epoch seed".getBytes(StandardCharsets.UTF_8));
    }
    HashOnion onion = HashOnion.of(Preimage.sha256Of("onion".getBytes(StandardCharsets.UTF_8)), 2);
    reveal = onion.valueAt(1);
    lastReveal = onion.valueAt(2);
    slot = 1;
  }

  /** The onion step alone: does the block's Reveal chain to the validator's last one. */
  @Benchmark
  public boolean onionStep() {
    return HashOnion.chains(reveal, lastReveal);
  }

  /** The draw alone: the leader of the next slot from the epoch's seed. */
  @Benchmark
  public ValidatorId leader() {
    return leaderOf(slot++);
  }

  /** Both, as a verifier does per block (the target). */
  @Benchmark
  public ValidatorId recheck() {
    if (!HashOnion.chains(reveal, lastReveal)) {
      throw new IllegalStateException("the onion pair does not chain");
    }
    return leaderOf(slot++);
  }

  private ValidatorId leaderOf(long s) {
    if (schedule != null) {
      return schedule.leader(s, epochSeed);
    }
    // LeaderSchedule.leader(s, epochSeed)'s statements, on a selector too large for a genesis.
    return selector
        .select(new HashChainRandomness(LeaderSchedule.leaderSeed(epochSeed, s).toByteArray()))
        .orElseThrow();
  }
}
