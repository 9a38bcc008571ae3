package io.github.posj.core.schedule;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.chain.SignedChainGenerator;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.selection.StakeWeightedSelector;
import io.github.posj.core.stake.StakeTable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a new epoch costs (issue #12's target: <= 20 ms at 10,000 validators): the stake snapshot
 * ({@link Genesis#stakes()}), the selector built from it, both together as {@link
 * LeaderSchedule#of} (which also hashes the initial mix), and the epoch's seed ({@link
 * LeaderSchedule#seed}: one SHA-256). Today the stakes are the genesis's and never change, so
 * {@code SignedChainState} builds the schedule once per chain and an epoch costs only its seed; the
 * snapshot and selector are what each epoch will cost once stake transactions exist.
 *
 * <p>Run: {@code taskset -c 1 java -jar pos-bench/target/benchmarks.jar EpochTransitionBenchmark}
 * ({@code -p validators=100000} for a genesis's maximum).
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EpochTransitionBenchmark extends BenchmarkDefaults {
  @Param({"10000"})
  int validators;

  private Genesis genesis;
  private StakeTable stakes;
  private LeaderSchedule schedule;
  private Hash mix;
  private long epoch;

  /** A genesis of {@code validators} validators ({@link SignedChainGenerator}'s). */
  @Setup
  public void setUp() {
    genesis = SignedChainGenerator.of(validators, 0).genesis();
    stakes = genesis.stakes();
    schedule = LeaderSchedule.of(genesis);
    mix = schedule.initialMix();
  }

  /** The stake snapshot: the genesis's stakes as a table in address order. */
  @Benchmark
  public StakeTable snapshot() {
    return genesis.stakes();
  }

  /** The selector (prefix sums in address order) from a snapshot taken beforehand. */
  @Benchmark
  public StakeWeightedSelector selector() {
    return StakeWeightedSelector.of(stakes);
  }

  /** Snapshot and selector together, as {@link LeaderSchedule#of} builds them (the target). */
  @Benchmark
  public LeaderSchedule schedule() {
    return LeaderSchedule.of(genesis);
  }

  /** The next epoch's seed from the mix two epochs back. */
  @Benchmark
  public Hash seed() {
    return schedule.seed(epoch++, mix);
  }
}
