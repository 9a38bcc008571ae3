package io.github.posj.core.selection;

import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses one validator with probability exactly {@code stake / total}, in O(1) per draw: an
 * integer alias table, for callers that draw many times from one table (simulations). The server,
 * which builds a table per round and draws once, uses {@link StakeWeightedSelector}, which builds
 * faster.
 *
 * <p>Exact: each validator owns exactly {@code n * stake} of the {@code n * total} (column, offset)
 * tickets, and a draw picks one uniformly: a column uniform in {@code [0, n)}, then an offset
 * uniform in {@code [0, total)}, each by Lemire's multiply-and-reject method on one {@link
 * RandomnessSource#nextLong()} (repeated only when the low word of the product falls below {@code
 * 2^64 mod bound}: no modulo bias, no division on the common path). The table needs {@code n *
 * total <= Long.MAX_VALUE} (at a million validators, a total up to 9.2 * 10<sup>12</sup>); {@link
 * #of} refuses larger ones. Deterministic, and independent of insertion order (address order, as
 * {@link StakeWeightedSelector#of(StakeTable)}). Memory O(validators): 12 bytes a validator.
 *
 * <p>Immutable; thread-safe (the randomness source passed to {@link #select} is not shared).
 */
/*
 * Implementation notes: Walker's alias method with Vose's linear-time construction (M. D. Vose,
 * "A linear algorithm for generating random numbers with a given distribution", IEEE TSE 1991),
 * in integers so that it stays exact. Validator i gets mass m_i = stake_i * n; there are n columns
 * of capacity T = total, so the masses fill them exactly. Each column c keeps its own validator
 * for the first cut[c] units and its alias for the rest. A draw r in [0, nT) picks column r / T
 * and offset r % T. P(i) = (cut[i] + sum over columns aliased to i of (T - cut[c])) / nT
 * = m_i / nT = stake_i / total. AliasSelectorTest checks it by enumerating every r.
 *
 * A draw at a million validators is bound by memory, not arithmetic: a column's cut and its alias's
 * position are packed in one long (an 8 MB array at a million validators), so finding a draw's
 * position costs one cache miss; select then reads the winner's id (a second array). The
 * two bounded draws replace the two 64-bit divisions that r / T and a modulo-based bound cost.
 * Lemire, "Fast random integer generation in an interval", ACM TOMACS 29(1), 2019.
 */
public final class AliasSelector {
  // Column c: tickets [0, cut) of it are owners[c]'s (position c), the rest are the alias's, where
  // columns[c] = cut << aliasBits | alias position. Both always fit in one long: n * total <=
  // 2^63 - 1 bounds bits(n - 1) + bits(total) by 64. One array read per draw position.
  private final ValidatorId[] owners;
  private final long[] columns;
  private final int aliasBits;
  private final long aliasMask;
  private final long total;

  private AliasSelector(ValidatorId[] owners, long[] cuts, int[] alias, long total) {
    this.owners = owners;
    this.total = total;
    int n = owners.length;
    this.aliasBits = n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    this.aliasMask = aliasBits == 0 ? 0 : -1L >>> (64 - aliasBits);
    if (n > 1 && aliasBits + (64 - Long.numberOfLeadingZeros(total)) > 64) {
      throw new IllegalStateException("a column does not fit 64 bits: " + n + " x " + total);
    }
    this.columns = new long[n];
    for (int c = 0; c < n; c++) {
      columns[c] = (cuts[c] << aliasBits) | alias[c];
    }
  }

  private long cut(long column) {
    return column >>> aliasBits;
  }

  private int alias(long column) {
    return (int) (column & aliasMask);
  }

  /**
   * An alias table over the eligible (positive-stake) validators of {@code table}.
   *
   * @throws IllegalArgumentException if validators × total stake exceeds {@link Long#MAX_VALUE}
   */
  public static AliasSelector of(StakeTable table) {
    Objects.requireNonNull(table, "table");
    Map<ValidatorId, Long> stakes = table.asMap();
    ValidatorId[] ids = new ValidatorId[stakes.size()];
    long[] weights = new long[stakes.size()];
    int n = 0;
    for (Map.Entry<ValidatorId, Long> entry : stakes.entrySet()) {
      if (entry.getValue() > 0) {
        ids[n] = entry.getKey();
        weights[n] = entry.getValue();
        n++;
      }
    }
    ids = Arrays.copyOf(ids, n);
    long total = table.totalEligibleStake();
    if (n > 0 && total > Long.MAX_VALUE / n) {
      throw new IllegalArgumentException(
          "an alias table needs validators x total stake <= "
              + Long.MAX_VALUE
              + ", got "
              + n
              + " x "
              + total
              + "; use StakeWeightedSelector");
    }
    long[] mass = new long[n];
    for (int i = 0; i < n; i++) {
      mass[i] = weights[i] * n;
    }
    long[] cut = new long[n];
    int[] alias = new int[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int smallCount = 0;
    int largeCount = 0;
    for (int i = 0; i < n; i++) {
      if (mass[i] < total) {
        small[smallCount++] = i;
      } else {
        large[largeCount++] = i;
      }
    }
    while (smallCount > 0 && largeCount > 0) {
      int less = small[--smallCount];
      int more = large[--largeCount];
      cut[less] = mass[less];
      alias[less] = more;
      mass[more] -= total - mass[less];
      if (mass[more] < total) {
        small[smallCount++] = more;
      } else {
        large[largeCount++] = more;
      }
    }
    // What is left has exactly a full column (integer arithmetic: no rounding residue).
    while (largeCount > 0) {
      int i = large[--largeCount];
      cut[i] = total;
      alias[i] = i;
    }
    while (smallCount > 0) {
      int i = small[--smallCount];
      cut[i] = total;
      alias[i] = i;
    }
    return new AliasSelector(ids, cut, alias, total);
  }

  /** Chooses a validator, or empty when none is eligible. */
  public Optional<ValidatorId> select(RandomnessSource randomness) {
    Objects.requireNonNull(randomness, "randomness");
    int n = owners.length;
    if (n == 0) {
      return Optional.empty();
    }
    if (n == 1) {
      return Optional.of(owners[0]);
    }
    int c = (int) uniform(randomness, n);
    long offset = uniform(randomness, total);
    long column = columns[c];
    return Optional.of(owners[offset < cut(column) ? c : alias(column)]);
  }

  /**
   * Draws like {@link #select} (the same randomness consumed, the same winner) but returns the
   * winner's position in address order, {@code [0, size())}, without reading its id: for callers
   * that count wins over many draws (a simulation) and look the ids up once, with {@link
   * #validator(int)}. Reads two arrays at one index, where {@link #select} reads three.
   *
   * @throws IllegalStateException if no validator is eligible
   */
  public int drawPosition(RandomnessSource randomness) {
    Objects.requireNonNull(randomness, "randomness");
    int n = owners.length;
    if (n <= 1) {
      if (n == 0) {
        throw new IllegalStateException("no eligible validator to draw");
      }
      return 0;
    }
    int c = (int) uniform(randomness, n);
    long offset = uniform(randomness, total);
    long column = columns[c];
    return offset < cut(column) ? c : alias(column);
  }

  /**
   * The eligible validator at {@code position} in address order.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= position < size()}
   */
  public ValidatorId validator(int position) {
    return owners[position];
  }

  /**
   * A uniform value in {@code [0, bound)}: the high word of the unsigned 128-bit product of a
   * random long and {@code bound}, drawing again while the low word is below {@code 2^64 mod bound}
   * (Lemire 2019).
   */
  static long uniform(RandomnessSource randomness, long bound) {
    long x = randomness.nextLong();
    long low = x * bound;
    if (Long.compareUnsigned(low, bound) < 0) {
      long threshold = Long.remainderUnsigned(-bound, bound);
      while (Long.compareUnsigned(low, threshold) < 0) {
        x = randomness.nextLong();
        low = x * bound;
      }
    }
    // Unsigned high word for a positive bound (Math.unsignedMultiplyHigh is Java 18).
    return Math.multiplyHigh(x, bound) + ((x >> 63) & bound);
  }

  /**
   * The validator that owns ticket {@code r} of {@code [0, size() * totalStake())}: ticket {@code
   * r} is offset {@code r % total} of column {@code r / total}.
   */
  public ValidatorId owner(long r) {
    long tickets = owners.length * total;
    if (r < 0 || r >= tickets) {
      throw new IllegalArgumentException("a ticket is in [0, " + tickets + "), got " + r);
    }
    int c = (int) (r / total);
    long column = columns[c];
    return owners[r - c * total < cut(column) ? c : alias(column)];
  }

  /**
   * How many tickets of {@code [0, n * total)} the validator at {@code position} owns, computed
   * from the table's columns (for tests of large totals, where enumerating is impossible).
   */
  long ticketsOwnedBy(int position) {
    long owned = cut(columns[position]);
    for (int c = 0; c < owners.length; c++) {
      long cut = cut(columns[c]);
      if (alias(columns[c]) == position && cut < total) {
        owned += total - cut;
      }
    }
    return owned;
  }

  /** The position of {@code validator} in address order, or -1. */
  int positionOf(ValidatorId validator) {
    return Arrays.asList(owners).indexOf(validator);
  }

  /** The number of eligible validators. */
  public int size() {
    return owners.length;
  }

  /** The total eligible stake. */
  public long totalStake() {
    return total;
  }
}
