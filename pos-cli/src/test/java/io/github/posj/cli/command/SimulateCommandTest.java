package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosCommand;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

final class SimulateCommandTest {
  @TempDir Path dir;

  private String simulate(String... args) {
    CliRun run = new CliRun(dir);
    String[] full = new String[args.length + 1];
    full[0] = "simulate";
    System.arraycopy(args, 0, full, 1, args.length);
    assertThat(run.run(full)).as(run.err()).isZero();
    return run.out();
  }

  @Test
  void simulate_sameSeed_printsTheSameBytes() {
    String first = simulate("--validators", "8", "--rounds", "300", "--seed", "42");
    String second = simulate("--validators", "8", "--rounds", "300", "--seed", "42");

    assertThat(first).isEqualTo(second).contains("chi-square:").doesNotContain("time:");
  }

  @Test
  void simulate_otherSeed_printsOtherWins() {
    assertThat(simulate("--validators", "8", "--rounds", "300", "--seed", "1"))
        .isNotEqualTo(simulate("--validators", "8", "--rounds", "300", "--seed", "2"));
  }

  @Test
  void simulate_manyRounds_fitTheStakes() {
    String report =
        simulate("--validators", "20", "--rounds", "20000", "--seed", "3", "--fast", "--top", "5");

    Matcher p = Pattern.compile("p-value ([0-9.]+)").matcher(report);
    assertThat(p.find()).isTrue();
    // Deterministic for this seed; a biased selector gives p near 0 over 20,000 draws.
    assertThat(Double.parseDouble(p.group(1))).isGreaterThan(0.01);
    assertThat(report).contains("(the 5 largest stakes of 20 validators)");
  }

  /** 10,000 Zipf-like stakes: the alias table's heavy level and its batched draws at work. */
  @Test
  void simulate_fast_heavyTailedStakes_fitTheStakes() {
    String report =
        simulate(
            "--validators",
            "10000",
            "--stake-dist",
            "zipf",
            "--rounds",
            "200000",
            "--seed",
            "3",
            "--fast",
            "--top",
            "3");

    Matcher p = Pattern.compile("p-value ([0-9.]+)").matcher(report);
    assertThat(p.find()).isTrue();
    assertThat(Double.parseDouble(p.group(1))).isGreaterThan(0.01);
    assertThat(report).contains("200000 rounds").contains("(the 3 largest stakes of 10000");
  }

  @Test
  void simulate_whales_reportsThemFirst() {
    String report = simulate("--validators", "6", "--rounds", "200", "--stake-dist", "whales");

    assertThat(report).contains("1000000000000").contains("whales stakes");
  }

  @Test
  void simulate_timing_addsTheTime() {
    assertThat(simulate("--rounds", "10", "--timing")).contains("time:");
  }

  @Test
  void simulate_onATerminal_drawsProgressThenErasesIt() {
    CliRun run = CliRun.onTerminal(dir);

    assertThat(run.run("simulate", "--rounds", "200", "--fast")).isZero();

    assertThat(run.err())
        .startsWith("\rround 2/200 (1%)")
        .endsWith("\rround 200/200 (100%)\r\033[K");
    assertThat(run.out()).isEqualTo(simulate("--rounds", "200", "--fast"));
  }

  @Test
  void simulate_badCounts_areUsageErrors() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("simulate", "--validators", "0")).isEqualTo(2);
    assertThat(run.err()).contains("--validators is 1 to 1000000");
  }

  @Test
  void simulate_moreRoundsThanTheChainWindow_restartsTheChainSaysSoAndKeepsTheWins() {
    CliRun run = new CliRun(dir);
    CommandLine commandLine = PosCommand.commandLine(run.environment());
    String[] args = {"simulate", "--validators", "5", "--rounds", "40", "--seed", "9"};
    SimulateCommand command =
        (SimulateCommand) commandLine.parseArgs(args).subcommand().commandSpec().userObject();
    command.chainWindow = 7;

    assertThat(command.call()).isZero();

    String windowed = run.out();
    String whole = simulate(Arrays.copyOfRange(args, 1, args.length));
    assertThat(windowed.lines().findFirst().orElseThrow())
        .endsWith("full rounds (the chain restarts from genesis every 7 rounds, to bound memory)");
    assertThat(whole.lines().findFirst().orElseThrow()).endsWith(", full rounds");
    assertThat(windowed.lines().skip(1).toList()).isEqualTo(whole.lines().skip(1).toList());
  }

  @Test
  void simulate_countsOfOne_areSingular() {
    String report = simulate("--validators", "2", "--rounds", "1", "--top", "1");

    assertThat(report)
        .startsWith("posj simulate: 2 validators, 1 round, seed 1,")
        .contains("(the largest stake of 2 validators)")
        .contains("with 1 degree of freedom,");
  }
}
