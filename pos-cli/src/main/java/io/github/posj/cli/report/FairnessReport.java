package io.github.posj.cli.report;

import io.github.posj.core.stake.ValidatorId;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Wins against stake-proportional expectations, with a chi-square test: the report of {@code pos
 * simulate} and of {@code pos validator --count}. Plain text, the same bytes for the same input.
 */
public final class FairnessReport {
  /** A validator's stake and wins; {@code label} is how the report names it. */
  public record Row(String label, ValidatorId validator, long stake, long wins) {}

  private final List<Row> rows;
  private final long draws;

  /**
   * A report over {@code rows} after {@code draws} draws in which every row's validator took part.
   */
  public FairnessReport(List<Row> rows, long draws) {
    this.rows = List.copyOf(rows);
    this.draws = draws;
  }

  /** The chi-square statistic over every validator with a positive stake. */
  public double chiSquare() {
    List<Row> eligible = eligible();
    long total = totalStake(eligible);
    long[] observed = new long[eligible.size()];
    double[] expected = new double[eligible.size()];
    for (int i = 0; i < eligible.size(); i++) {
      observed[i] = eligible.get(i).wins();
      expected[i] = draws * (double) eligible.get(i).stake() / total;
    }
    return ChiSquare.statistic(observed, expected);
  }

  /** Degrees of freedom: eligible validators - 1. */
  public int degreesOfFreedom() {
    return eligible().size() - 1;
  }

  /** Prints the table (the {@code top} largest stakes) and the test's result. */
  public void print(PrintStream out, int top) {
    List<Row> eligible = eligible();
    long total = totalStake(eligible);
    List<Row> sorted = new ArrayList<>(eligible);
    sorted.sort(Comparator.comparingLong(Row::stake).reversed().thenComparing(Row::validator));
    out.printf(
        Locale.ROOT,
        "%-6s %-16s %20s %8s %12s %10s %10s%n",
        "#",
        "validator",
        "stake",
        "share",
        "expected",
        "wins",
        "diff");
    for (Row row : sorted.subList(0, Math.min(top, sorted.size()))) {
      double share = (double) row.stake() / total;
      double expected = draws * share;
      out.printf(
          Locale.ROOT,
          "%-6s %-16s %20d %7.3f%% %12.1f %10d %+10.1f%n",
          row.label(),
          row.validator().hex().substring(0, 16),
          row.stake(),
          100 * share,
          expected,
          row.wins(),
          shown(row.wins() - expected, 1));
    }
    if (sorted.size() > top) {
      out.printf(
          Locale.ROOT,
          "(%s of %s)%n",
          top == 1 ? "the largest stake" : "the " + top + " largest stakes",
          Quantity.of(sorted.size(), "validator"));
    }
    if (eligible.size() < 2 || draws == 0) {
      out.println("chi-square: needs at least two validators and one round");
      return;
    }
    double statistic = chiSquare();
    double p = ChiSquare.pValue(statistic, degreesOfFreedom());
    long small = eligible.stream().filter(r -> draws * (double) r.stake() / total < 5).count();
    out.printf(
        Locale.ROOT,
        "chi-square: %.4f with %s, p-value %.4f%n",
        shown(statistic, 4),
        Quantity.of(degreesOfFreedom(), "degree of freedom", "degrees of freedom"),
        shown(p, 4));
    if (small > 0) {
      out.printf(
          Locale.ROOT,
          "note: %s expected fewer than 5 wins; the chi-square approximation is rough"
              + " there (run more rounds)%n",
          Quantity.of(small, "validator"));
    }
    out.println(
        p >= 0.01
            ? "verdict: consistent with selection in proportion to stake (p >= 0.01)"
            : "verdict: wins deviate from the stakes more than chance explains (p < 0.01)");
  }

  /**
   * {@code value}, or 0 if it prints as zero with {@code decimals} digits: a table never shows
   * {@code -0.0} for a tiny negative difference.
   */
  private static double shown(double value, int decimals) {
    return Math.abs(value) < 0.5 * Math.pow(10, -decimals) ? 0.0 : value;
  }

  private List<Row> eligible() {
    return rows.stream().filter(r -> r.stake() > 0).toList();
  }

  private static long totalStake(List<Row> rows) {
    long total = 0;
    for (Row row : rows) {
      total = Math.addExact(total, row.stake());
    }
    return total;
  }
}
