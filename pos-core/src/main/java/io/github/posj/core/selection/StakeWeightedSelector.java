package io.github.posj.core.selection;

import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses one validator with probability exactly {@code stake / total}, among the validators of a
 * {@link StakeTable} whose stake is positive.
 *
 * <p>Exact: draws are integers in {@code [0, total)} without modulo bias ({@link
 * RandomnessSource#nextLong(long)}), and each validator owns exactly {@code stake} of them.
 * Deterministic: the same table and the same randomness stream always choose the same validator,
 * whatever order the table was built in (validators are laid out in address order). Memory is
 * O(validators), whatever the stakes: a stake of 10<sup>15</sup> costs what a stake of 1 costs.
 *
 * <p>Immutable; thread-safe (the randomness source passed to {@link #select} is not shared).
 */
/*
 * Implementation notes: the tutorial materialises a pool with one entry per token (defect B6: a
 * stake of 10^12 exhausts memory). Here the eligible validators, in address order, own consecutive
 * ranges of [0, total): validator i owns [prefix[i-1], prefix[i]). A draw r is located by binary
 * search over the strictly increasing prefix sums: O(n) to build, O(log n) per draw.
 * of(StakeTable) inherits the table's address order (a sorted map: O(n log n) to build the table);
 * ofOrdered() takes the caller's order as is, O(n), for callers that already hold a fixed order.
 *
 * A round draws once from each new set of proposers, so there building dominates. selectOnce()
 * neither sorts nor builds: one pass totals the stakes, the ticket is drawn, and a second pass
 * walks the stakes until the ticket falls in one. It reads only the stakes array (and the winner's
 * id), so it costs about what copying the array would. Address order would need every proposer's
 * address read, a cache miss each at a million proposers: ten times the cost (measured in
 * docs/adr/0003); hence a round lays its proposers out in arrival order.
 */
public final class StakeWeightedSelector {
  private final ValidatorId[] validators;
  private final long[] prefixSums;

  private StakeWeightedSelector(ValidatorId[] validators, long[] prefixSums) {
    this.validators = validators;
    this.prefixSums = prefixSums;
  }

  /**
   * A selector over the eligible (positive-stake) validators of {@code table}, laid out in address
   * order: the same table gives the same winners for the same randomness, however it was built.
   */
  public static StakeWeightedSelector of(StakeTable table) {
    Objects.requireNonNull(table, "table");
    Map<ValidatorId, Long> stakes = table.asMap();
    ValidatorId[] ids = new ValidatorId[stakes.size()];
    long[] amounts = new long[stakes.size()];
    int i = 0;
    for (Map.Entry<ValidatorId, Long> entry : stakes.entrySet()) {
      ids[i] = entry.getKey();
      amounts[i] = entry.getValue();
      i++;
    }
    return build(ids, amounts);
  }

  /**
   * A selector over {@code validators} with {@code stakes} (same length), laid out <em>in the order
   * given</em>: O(n), with no sorting, for callers that already hold their validators in a fixed
   * order (a simulation, a benchmark, a node that keeps its proposers sorted). The same validators
   * in another order give other winners for the same randomness; {@link #of(StakeTable)} gives
   * order independence. Validators with a stake of zero or less are left out; each validator should
   * appear once (one listed twice owns both ranges). The arrays are copied.
   *
   * @throws IllegalArgumentException if the lengths differ or the positive stakes add up to more
   *     than {@link Long#MAX_VALUE}
   */
  public static StakeWeightedSelector ofOrdered(ValidatorId[] validators, long[] stakes) {
    Objects.requireNonNull(validators, "validators");
    Objects.requireNonNull(stakes, "stakes");
    requireOneStakeEach(validators, stakes);
    return build(validators, stakes);
  }

  /**
   * One draw without building a selector: exactly what {@code ofOrdered(validators,
   * stakes).select(randomness)} returns (the validators laid out in the order given), with the same
   * randomness consumed, in two sequential passes over {@code stakes} and no allocation. For
   * callers that draw once from each set of validators, as a round does. Validators with a stake of
   * zero or less are left out; each validator should appear once (one listed twice owns both
   * ranges). The arrays are not modified.
   *
   * @throws IllegalArgumentException if the lengths differ or the positive stakes add up to more
   *     than {@link Long#MAX_VALUE}
   */
  public static Optional<ValidatorId> selectOnce(
      ValidatorId[] validators, long[] stakes, RandomnessSource randomness) {
    Objects.requireNonNull(validators, "validators");
    Objects.requireNonNull(stakes, "stakes");
    Objects.requireNonNull(randomness, "randomness");
    requireOneStakeEach(validators, stakes);
    long total = 0;
    int eligible = 0;
    int only = -1;
    for (int i = 0; i < stakes.length; i++) {
      if (stakes[i] > 0) {
        total = addStake(total, stakes[i]);
        eligible++;
        only = i;
      }
    }
    if (eligible <= 1) {
      return eligible == 0
          ? Optional.empty()
          : Optional.of(Objects.requireNonNull(validators[only], "validator"));
    }
    long ticket = randomness.nextLong(total);
    for (int i = 0; ; i++) {
      if (stakes[i] > 0) {
        if (ticket < stakes[i]) {
          return Optional.of(Objects.requireNonNull(validators[i], "validator"));
        }
        ticket -= stakes[i];
      }
    }
  }

  private static void requireOneStakeEach(ValidatorId[] validators, long[] stakes) {
    if (validators.length != stakes.length) {
      throw new IllegalArgumentException(
          "one stake per validator: "
              + validators.length
              + " validators, "
              + stakes.length
              + " stakes");
    }
  }

  private static long addStake(long total, long stake) {
    if (stake > Long.MAX_VALUE - total) {
      throw new IllegalArgumentException(
          "total stake would overflow: " + total + " + " + stake + " exceeds " + Long.MAX_VALUE);
    }
    return total + stake;
  }

  private static StakeWeightedSelector build(ValidatorId[] validators, long[] stakes) {
    ValidatorId[] ids = new ValidatorId[validators.length];
    long[] sums = new long[validators.length];
    int n = 0;
    long total = 0;
    for (int i = 0; i < validators.length; i++) {
      long stake = stakes[i];
      if (stake > 0) {
        total = addStake(total, stake);
        ids[n] = Objects.requireNonNull(validators[i], "validator");
        sums[n] = total;
        n++;
      }
    }
    return new StakeWeightedSelector(
        n == ids.length ? ids : Arrays.copyOf(ids, n),
        n == sums.length ? sums : Arrays.copyOf(sums, n));
  }

  /**
   * Chooses a validator, or empty when none is eligible (no validators, or none with a positive
   * stake). Consumes randomness only when there is a choice to make among two or more.
   */
  public Optional<ValidatorId> select(RandomnessSource randomness) {
    Objects.requireNonNull(randomness, "randomness");
    int n = validators.length;
    if (n == 0) {
      return Optional.empty();
    }
    if (n == 1) {
      return Optional.of(validators[0]);
    }
    return Optional.of(validators[positionOf(randomness.nextLong(prefixSums[n - 1]))]);
  }

  /**
   * The position (in address order) of the validator that owns ticket {@code ticket} of {@code [0,
   * total)}; exposed for exhaustive tests and benchmarks.
   */
  int positionOf(long ticket) {
    int found = Arrays.binarySearch(prefixSums, ticket);
    // prefixSums[i] == ticket means the ticket is the first of validator i + 1's range.
    return found >= 0 ? found + 1 : -found - 1;
  }

  /** The validator that owns ticket {@code ticket} of {@code [0, total)}. */
  public ValidatorId owner(long ticket) {
    if (ticket < 0 || ticket >= totalStake()) {
      throw new IllegalArgumentException("a ticket is in [0, " + totalStake() + "), got " + ticket);
    }
    return validators[positionOf(ticket)];
  }

  /**
   * The tickets of the validator that owns ticket {@code ticket}: {@code from <= ticket < to}, and
   * {@code to - from} is its stake.
   *
   * @throws IllegalArgumentException if {@code ticket} is outside {@code [0, total)}
   */
  public Tickets ticketsOfOwner(long ticket) {
    if (ticket < 0 || ticket >= totalStake()) {
      throw new IllegalArgumentException("a ticket is in [0, " + totalStake() + "), got " + ticket);
    }
    int position = positionOf(ticket);
    return new Tickets(position == 0 ? 0 : prefixSums[position - 1], prefixSums[position]);
  }

  /**
   * The consecutive tickets {@code [from, to)} one validator owns.
   *
   * <p>Immutable; thread-safe.
   *
   * @param from its first ticket
   * @param to one past its last ticket
   */
  public record Tickets(long from, long to) {
    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException unless {@code 0 <= from < to}
     */
    public Tickets {
      if (from < 0 || to <= from) {
        throw new IllegalArgumentException(
            "tickets are 0 <= from < to, got [" + from + ", " + to + ")");
      }
    }
  }

  /** The number of eligible validators. */
  public int size() {
    return validators.length;
  }

  /** The total eligible stake: the number of tickets. */
  public long totalStake() {
    return validators.length == 0 ? 0 : prefixSums[validators.length - 1];
  }
}
