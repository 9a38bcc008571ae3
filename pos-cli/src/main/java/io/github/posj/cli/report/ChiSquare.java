package io.github.posj.cli.report;

/**
 * Pearson's chi-square goodness-of-fit test: the statistic and its p-value.
 *
 * <p>Immutable; thread-safe.
 */
/*
 * Implementation notes: the p-value is the regularized upper incomplete gamma function
 * Q(df / 2, x / 2), computed as in Numerical Recipes (3rd ed., section 6.2): by its series for
 * x < a + 1, else by its continued fraction (modified Lentz), with ln Gamma from the Lanczos
 * approximation (g = 7, 9 coefficients; relative error below 1e-15). No dependency is worth it
 * for forty lines; ChiSquareTest checks the function against published table values.
 */
public final class ChiSquare {
  private static final double EPSILON = 1e-15;
  private static final double TINY = 1e-300;
  private static final double[] LANCZOS = {
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  private ChiSquare() {}

  /** The statistic: the sum of (observed - expected)^2 / expected over the cells. */
  public static double statistic(long[] observed, double[] expected) {
    if (observed.length != expected.length) {
      throw new IllegalArgumentException(
          observed.length + " observed cells but " + expected.length + " expected");
    }
    double sum = 0;
    for (int i = 0; i < observed.length; i++) {
      if (expected[i] <= 0) {
        throw new IllegalArgumentException("expected counts must be positive, got " + expected[i]);
      }
      double difference = observed[i] - expected[i];
      sum += difference * difference / expected[i];
    }
    return sum;
  }

  /** P(X >= statistic) for X chi-square distributed with {@code degreesOfFreedom}. */
  public static double pValue(double statistic, int degreesOfFreedom) {
    if (degreesOfFreedom < 1) {
      throw new IllegalArgumentException("degrees of freedom >= 1, got " + degreesOfFreedom);
    }
    if (statistic < 0 || Double.isNaN(statistic)) {
      throw new IllegalArgumentException("a chi-square statistic is >= 0, got " + statistic);
    }
    return regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);
  }

  /** Q(a, x) = Gamma(a, x) / Gamma(a), the regularized upper incomplete gamma function. */
  static double regularizedGammaQ(double a, double x) {
    if (x == 0) {
      return 1;
    }
    if (x < a + 1) {
      return Math.max(0, 1 - gammaSeriesP(a, x));
    }
    return gammaContinuedFractionQ(a, x);
  }

  private static double gammaSeriesP(double a, double x) {
    double ap = a;
    double term = 1 / a;
    double sum = term;
    for (int n = 0; n < 10_000; n++) {
      ap++;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) {
        break;
      }
    }
    return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }

  private static double gammaContinuedFractionQ(double a, double x) {
    double b = x + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = b + an / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        break;
      }
    }
    return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }

  /** ln Gamma(x) for x > 0 (Lanczos). */
  static double logGamma(double x) {
    if (x < 0.5) {
      // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double z = x - 1;
    double sum = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
