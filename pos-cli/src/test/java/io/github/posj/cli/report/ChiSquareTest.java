package io.github.posj.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

final class ChiSquareTest {
  @Test
  void pValue_tableCriticalValues_giveTheirProbabilities() {
    // Critical values from the NIST/SEMATECH e-Handbook, table 1.3.6.7.4.
    assertThat(ChiSquare.pValue(3.841, 1)).isCloseTo(0.05, within(1e-4));
    assertThat(ChiSquare.pValue(6.635, 1)).isCloseTo(0.01, within(1e-4));
    assertThat(ChiSquare.pValue(18.307, 10)).isCloseTo(0.05, within(1e-4));
    assertThat(ChiSquare.pValue(124.342, 100)).isCloseTo(0.05, within(1e-4));
    assertThat(ChiSquare.pValue(9.342, 10)).isCloseTo(0.50, within(1e-3));
  }

  @Test
  void pValue_edges() {
    assertThat(ChiSquare.pValue(0, 5)).isEqualTo(1.0);
    assertThat(ChiSquare.pValue(1000, 3)).isLessThan(1e-100);
    assertThat(ChiSquare.pValue(2, 2)).isCloseTo(Math.exp(-1), within(1e-12));
  }

  @Test
  void logGamma_knownValues() {
    assertThat(ChiSquare.logGamma(1)).isCloseTo(0, within(1e-13));
    assertThat(ChiSquare.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
    assertThat(ChiSquare.logGamma(0.5)).isCloseTo(Math.log(Math.sqrt(Math.PI)), within(1e-12));
  }

  @Test
  void statistic_sumsSquaredDeviations() {
    assertThat(ChiSquare.statistic(new long[] {10, 20}, new double[] {15, 15}))
        .isCloseTo(25.0 / 15 * 2, within(1e-12));
    assertThatThrownBy(() -> ChiSquare.statistic(new long[] {1}, new double[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChiSquare.pValue(-1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
