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
 * <p>Exact: a draw is one uniform integer in {@code [0, n * total)} without modulo bias, and each
 * validator owns exactly {@code n * stake} of them. The table needs {@code n * total <=
 * Long.MAX_VALUE} (at a million validators, a total up to 9.2 * 10<sup>12</sup>); {@link #of}
 * refuses larger ones. Deterministic, and independent of insertion order (address order, as {@link
 * StakeWeightedSelector#of(StakeTable)}). Memory O(validators).
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
 */
public final class AliasSelector {
  private final ValidatorId[] validators;
  // One memory access per draw: when the total fits 31 bits, column c is one long, cut << 32 |
  // alias (8 bytes a column); otherwise its cut is at [2c] and its alias at [2c + 1].
  private final boolean compact;
  private final long[] columns;
  private final long total;

  private AliasSelector(ValidatorId[] validators, long[] cut, int[] alias, long total) {
    this.validators = validators;
    this.total = total;
    this.compact = total <= Integer.MAX_VALUE;
    this.columns = new long[compact ? cut.length : 2 * cut.length];
    for (int c = 0; c < cut.length; c++) {
      if (compact) {
        columns[c] = cut[c] << 32 | (alias[c] & 0xFFFF_FFFFL);
      } else {
        columns[2 * c] = cut[c];
        columns[2 * c + 1] = alias[c];
      }
    }
  }

  private long cutOf(int column) {
    return compact ? columns[column] >>> 32 : columns[2 * column];
  }

  private int aliasOf(int column) {
    return compact ? (int) columns[column] : (int) columns[2 * column + 1];
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
    int n = validators.length;
    if (n == 0) {
      return Optional.empty();
    }
    if (n == 1) {
      return Optional.of(validators[0]);
    }
    return Optional.of(validators[columnOwner(randomness.nextLong(n * total))]);
  }

  /** The position of the validator that owns ticket {@code r} of {@code [0, n * total)}. */
  int columnOwner(long r) {
    int column = (int) (r / total);
    long offset = r - column * total;
    if (compact) {
      long packed = columns[column];
      return offset < packed >>> 32 ? column : (int) packed;
    }
    return offset < columns[2 * column] ? column : (int) columns[2 * column + 1];
  }

  /** The validator that owns ticket {@code r} of {@code [0, size() * totalStake())}. */
  public ValidatorId owner(long r) {
    long tickets = validators.length * total;
    if (r < 0 || r >= tickets) {
      throw new IllegalArgumentException("a ticket is in [0, " + tickets + "), got " + r);
    }
    return validators[columnOwner(r)];
  }

  /**
   * How many tickets of {@code [0, n * total)} the validator at {@code position} owns, computed
   * from the table's columns (for tests of large totals, where enumerating is impossible).
   */
  long ticketsOwnedBy(int position) {
    long owned = 0;
    for (int c = 0; c < validators.length; c++) {
      long cut = cutOf(c);
      if (c == position) {
        owned += cut;
      }
      if (aliasOf(c) == position && cut < total) {
        owned += total - cut;
      }
    }
    return owned;
  }

  /** The position of {@code validator} in address order, or -1. */
  int positionOf(ValidatorId validator) {
    return Arrays.asList(validators).indexOf(validator);
  }

  /** The number of eligible validators. */
  public int size() {
    return validators.length;
  }

  /** The total eligible stake. */
  public long totalStake() {
    return total;
  }
}
