package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.report.FairnessReport;
import io.github.posj.cli.report.Quantity;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.round.Round;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.selection.AliasSelector;
import io.github.posj.core.selection.StakeWeightedSelector;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pos simulate}: rounds in-process, no sockets, and a fairness report; reproducible bit for
 * bit from the seed.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs rounds in-process (pure pos-core, no sockets) where every validator proposes, and"
          + " reports wins against the stake-proportional expectation with a chi-square test.",
      "The same options and seed print the same bytes (no times or dates unless --timing)."
    })
public final class SimulateCommand implements Callable<Integer> {
  /** How stakes are drawn. */
  enum StakeDistribution {
    /** Uniform in 1..stake-max. */
    uniform,
    /** Everyone stakes stake-max. */
    equal,
    /** Zipf-like: the i-th validator stakes stake-max / i (at least 1). */
    zipf,
    /** Three whales of 10^12 tokens, the rest uniform in 1..stake-max. */
    whales
  }

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final long WHALE_STAKE = 1_000_000_000_000L;

  /**
   * Full rounds keep at most this many blocks: the chain then restarts from genesis. Wins do not
   * depend on the chain's history (every validator proposes on the current head, so no proposal is
   * stale), and a chain of millions of blocks would not fit in memory.
   */
  static final int CHAIN_WINDOW = 10_000;

  private final CliEnvironment environment;
  private final ProgressLine progress;

  @Option(
      names = "--validators",
      paramLabel = "N",
      defaultValue = "10",
      description = "Number of validators (default ${DEFAULT-VALUE}).")
  int validators;

  @Option(
      names = "--rounds",
      paramLabel = "R",
      defaultValue = "1000",
      description = "Number of rounds (default ${DEFAULT-VALUE}).")
  long rounds;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seed of the stakes, the proposals and the draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--stake-dist",
      paramLabel = "DIST",
      defaultValue = "uniform",
      description = "uniform, equal, zipf or whales (default ${DEFAULT-VALUE}).")
  StakeDistribution distribution;

  @Option(
      names = "--stake-max",
      paramLabel = "M",
      defaultValue = "1000",
      description = "Largest ordinary stake (default ${DEFAULT-VALUE}).")
  long stakeMax;

  @Option(
      names = "--top",
      paramLabel = "K",
      defaultValue = "10",
      description = "Rows in the table: the K largest stakes (default ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--fast",
      description =
          "Draw winners straight from an exact alias table instead of running full rounds"
              + " (blocks, hashing, chain); same fairness, much faster for large runs.")
  boolean fast;

  @Option(names = "--timing", description = "Also print how long the run took.")
  boolean timing;

  /** {@link #CHAIN_WINDOW}; smaller in tests. */
  int chainWindow = CHAIN_WINDOW;

  SimulateCommand(CliEnvironment environment) {
    this.environment = environment;
    this.progress = new ProgressLine(environment);
  }

  @Override
  public Integer call() {
    if (validators < 1 || validators > 1_000_000) {
      throw new CommandFailure("--validators is 1 to 1000000, got " + validators, PosCommand.USAGE);
    }
    if (rounds < 1) {
      throw new CommandFailure("--rounds must be at least 1, got " + rounds, PosCommand.USAGE);
    }
    if (stakeMax < 1 || top < 1) {
      throw new CommandFailure("--stake-max and --top must be at least 1", PosCommand.USAGE);
    }
    long started = System.nanoTime();
    RandomnessSource randomness = RandomnessSource.seeded(seed);
    List<ValidatorId> ids = new ArrayList<>(validators);
    Map<ValidatorId, Long> stakes = new HashMap<>();
    for (int i = 0; i < validators; i++) {
      ValidatorId id =
          ValidatorId.derive(("simulate/" + seed + "/" + i).getBytes(StandardCharsets.UTF_8));
      ids.add(id);
      stakes.put(id, stake(i, randomness));
    }
    StakeTable table = StakeTable.of(stakes);
    Map<ValidatorId, Long> wins =
        fast ? drawFast(table, randomness) : runRounds(ids, table, randomness);

    var out = environment.out();
    out.printf(
        Locale.ROOT,
        "posj simulate: %s, %s, seed %d, %s stakes (stake-max %d), %s%n",
        Quantity.of(validators, "validator"),
        Quantity.of(rounds, "round"),
        seed,
        distribution,
        stakeMax,
        fast
            ? "selector draws (--fast)"
            : rounds > chainWindow
                ? "full rounds (the chain restarts from genesis every "
                    + chainWindow
                    + " rounds, to bound memory)"
                : "full rounds");
    out.printf(Locale.ROOT, "total stake: %d%n%n", table.totalEligibleStake());
    List<FairnessReport.Row> rows = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      ValidatorId id = ids.get(i);
      rows.add(new FairnessReport.Row("v" + i, id, stakes.get(id), wins.getOrDefault(id, 0L)));
    }
    new FairnessReport(rows, rounds).print(out, top);
    if (timing) {
      double seconds = (System.nanoTime() - started) / 1e9;
      out.printf(
          Locale.ROOT, "time: %.3f s, %.0f rounds/s%n", seconds, rounds / Math.max(seconds, 1e-9));
    }
    return PosCommand.OK;
  }

  private long stake(int i, RandomnessSource randomness) {
    return switch (distribution) {
      case uniform -> 1 + randomness.nextLong(stakeMax);
      case equal -> stakeMax;
      case zipf -> Math.max(1, stakeMax / (i + 1));
      case whales -> i < 3 ? WHALE_STAKE : 1 + randomness.nextLong(stakeMax);
    };
  }

  private Map<ValidatorId, Long> drawFast(StakeTable table, RandomnessSource randomness) {
    // Many draws from one table: the alias table's O(1) draw, counting wins by position, unless
    // the total is too large for it, then the prefix-sum selector (both exact).
    Map<ValidatorId, Long> wins = new HashMap<>();
    if (table.totalEligibleStake() <= Long.MAX_VALUE / Math.max(1, table.size())) {
      AliasSelector alias = AliasSelector.of(table);
      long[] counts = new long[alias.size()];
      // Draws in batches (the same winners as one at a time, with their memory reads overlapped).
      int[] batch = new int[(int) Math.min(rounds, 4_096)];
      for (long r = 0; r < rounds; ) {
        int size = (int) Math.min(batch.length, rounds - r);
        int[] positions = size == batch.length ? batch : new int[size];
        alias.drawPositions(randomness, positions);
        for (int position : positions) {
          counts[position]++;
          progress(++r);
        }
      }
      for (int position = 0; position < counts.length; position++) {
        if (counts[position] > 0) {
          wins.put(alias.validator(position), counts[position]);
        }
      }
    } else {
      StakeWeightedSelector selector = StakeWeightedSelector.of(table);
      for (long r = 1; r <= rounds; r++) {
        wins.merge(selector.select(randomness).orElseThrow(), 1L, Long::sum);
        progress(r);
      }
    }
    progress.clear();
    return wins;
  }

  private Map<ValidatorId, Long> runRounds(
      List<ValidatorId> ids, StakeTable table, RandomnessSource randomness) {
    Chain chain = Chain.genesis(HashScheme.posj(), GoTimestamp.format(START));
    Map<ValidatorId, Long> wins = new HashMap<>();
    for (long r = 1; r <= rounds; r++) {
      String timestamp = GoTimestamp.format(START.plusSeconds(30 * r));
      List<Block> proposals = new ArrayList<>(ids.size());
      for (ValidatorId id : ids) {
        proposals.add(chain.nextBlock(60 + randomness.nextLong(41), timestamp, id));
      }
      RoundOutcome outcome = new Round(chain, proposals, table).resolve(randomness);
      if (outcome instanceof RoundOutcome.Forged forged) {
        chain = forged.chain();
        wins.merge(forged.winner(), 1L, Long::sum);
      }
      if (r % chainWindow == 0) {
        chain = Chain.genesis(HashScheme.posj(), GoTimestamp.format(START));
      }
      progress(r);
    }
    progress.clear();
    return wins;
  }

  private void progress(long round) {
    if (round % Math.max(1, rounds / 100) == 0 || round == rounds) {
      progress.show(
          String.format(Locale.ROOT, "round %d/%d (%d%%)", round, rounds, 100 * round / rounds));
    }
  }
}
