package io.github.posj.core.stake;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Validators and their stakes, with the total of the positive stakes.
 *
 * <p>Stakes are whole tokens in a {@code long}. A stake of zero or less is kept (the tutorial
 * accepts it) but is never eligible to win. The total of the positive stakes never overflows: a
 * table whose total would exceed {@link Long#MAX_VALUE} cannot be made ({@link #headroom()} tells
 * how much more fits). Iteration is in address order, whatever the insertion order.
 *
 * <p>Immutable; thread-safe.
 */
public final class StakeTable {
  private static final StakeTable EMPTY = new StakeTable(new TreeMap<>(), 0);

  private final TreeMap<ValidatorId, Long> stakes;
  private final long totalEligible;

  private StakeTable(TreeMap<ValidatorId, Long> stakes, long totalEligible) {
    this.stakes = stakes;
    this.totalEligible = totalEligible;
  }

  /** The table with no validators. */
  public static StakeTable empty() {
    return EMPTY;
  }

  /**
   * A table of these stakes.
   *
   * @throws IllegalArgumentException if the positive stakes add up to more than {@link
   *     Long#MAX_VALUE}, or a key is {@link ValidatorId#NONE}
   */
  public static StakeTable of(Map<ValidatorId, Long> stakes) {
    TreeMap<ValidatorId, Long> copy = new TreeMap<>();
    long total = 0;
    for (Map.Entry<ValidatorId, Long> entry : stakes.entrySet()) {
      ValidatorId id = Objects.requireNonNull(entry.getKey(), "validator");
      long stake = Objects.requireNonNull(entry.getValue(), "stake");
      checkId(id);
      total = addStake(total, stake, id);
      copy.put(id, stake);
    }
    return new StakeTable(copy, total);
  }

  /**
   * Returns a table with {@code validator}'s stake set to {@code stake} (added or replaced). O(n):
   * owners that register many validators keep their own map and call {@link #of(Map)} once.
   *
   * @throws IllegalArgumentException if the total would overflow
   */
  public StakeTable with(ValidatorId validator, long stake) {
    checkId(Objects.requireNonNull(validator, "validator"));
    long total = totalEligible - Math.max(0, stakes.getOrDefault(validator, 0L));
    total = addStake(total, stake, validator);
    TreeMap<ValidatorId, Long> copy = new TreeMap<>(stakes);
    copy.put(validator, stake);
    return new StakeTable(copy, total);
  }

  /** Returns a table without {@code validator} (slashed or gone); the same table if absent. */
  public StakeTable without(ValidatorId validator) {
    Long old = stakes.get(validator);
    if (old == null) {
      return this;
    }
    TreeMap<ValidatorId, Long> copy = new TreeMap<>(stakes);
    copy.remove(validator);
    return new StakeTable(copy, totalEligible - Math.max(0, old));
  }

  /** {@code validator}'s stake, or empty if it is not in the table. */
  public OptionalLong stakeOf(ValidatorId validator) {
    Long stake = stakes.get(validator);
    return stake == null ? OptionalLong.empty() : OptionalLong.of(stake);
  }

  /** Whether {@code validator} is in the table with a positive stake. */
  public boolean isEligible(ValidatorId validator) {
    Long stake = stakes.get(validator);
    return stake != null && stake > 0;
  }

  /** The sum of the positive stakes. */
  public long totalEligibleStake() {
    return totalEligible;
  }

  /** How many more tokens of positive stake fit before the total would overflow. */
  public long headroom() {
    return Long.MAX_VALUE - totalEligible;
  }

  /** The number of validators (eligible or not). */
  public int size() {
    return stakes.size();
  }

  /** The stakes, in address order: an unmodifiable view. */
  public Map<ValidatorId, Long> asMap() {
    return Collections.unmodifiableSortedMap(stakes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StakeTable && stakes.equals(((StakeTable) other).stakes);
  }

  @Override
  public int hashCode() {
    return stakes.hashCode();
  }

  @Override
  public String toString() {
    return "StakeTable[validators=" + stakes.size() + ", totalEligible=" + totalEligible + "]";
  }

  static void checkId(ValidatorId id) {
    if (id.isNone()) {
      throw new IllegalArgumentException("the empty address \"\" cannot hold a stake");
    }
  }

  /** {@code total + stake} for a positive stake, {@code total} otherwise; refuses an overflow. */
  static long addStake(long total, long stake, ValidatorId id) {
    if (stake <= 0) {
      return total;
    }
    if (stake > Long.MAX_VALUE - total) {
      throw new IllegalArgumentException(
          "total stake would overflow: "
              + total
              + " + "
              + stake
              + " (validator "
              + id.hex()
              + ") exceeds "
              + Long.MAX_VALUE);
    }
    return total + stake;
  }
}
