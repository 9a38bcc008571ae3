package io.github.posj.core.stake;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The stakes of a running node, changed one validator at a time: O(1) to add, look up and remove,
 * where {@link StakeTable} (an immutable value) copies itself on every change. The same rules as a
 * {@link StakeTable}: the total of the positive stakes never overflows ({@link #headroom()}), and
 * {@link #snapshot()} gives the table as it stands.
 *
 * <p>Not thread-safe; confine to one thread (the node's owner). Hand other threads {@link
 * #snapshot()}s.
 */
public final class StakeLedger {
  private final Map<ValidatorId, Long> stakes = new HashMap<>();
  private long totalEligible;
  private StakeTable snapshot = StakeTable.empty();
  private boolean changed;

  /** An empty ledger. */
  public StakeLedger() {}

  /**
   * Adds {@code validator} with {@code stake}.
   *
   * @throws IllegalArgumentException if the validator is already in the ledger, is {@link
   *     ValidatorId#NONE}, or the total would overflow (check {@link #headroom()} first)
   */
  public void add(ValidatorId validator, long stake) {
    StakeTable.checkId(Objects.requireNonNull(validator, "validator"));
    if (stakes.containsKey(validator)) {
      throw new IllegalArgumentException("validator " + validator.hex() + " already has a stake");
    }
    totalEligible = StakeTable.addStake(totalEligible, stake, validator);
    stakes.put(validator, stake);
    changed = true;
  }

  /** Removes {@code validator} and returns its stake, or empty if it was not in the ledger. */
  public OptionalLong remove(ValidatorId validator) {
    Long stake = stakes.remove(validator);
    if (stake == null) {
      return OptionalLong.empty();
    }
    totalEligible -= Math.max(0, stake);
    changed = true;
    return OptionalLong.of(stake);
  }

  /** {@code validator}'s stake, or empty if it is not in the ledger. */
  public OptionalLong stakeOf(ValidatorId validator) {
    Long stake = stakes.get(validator);
    return stake == null ? OptionalLong.empty() : OptionalLong.of(stake);
  }

  /** Whether {@code validator} is in the ledger. */
  public boolean contains(ValidatorId validator) {
    return stakes.containsKey(validator);
  }

  /** How many more tokens of positive stake fit before the total would overflow. */
  public long headroom() {
    return Long.MAX_VALUE - totalEligible;
  }

  /** The sum of the positive stakes. */
  public long totalEligibleStake() {
    return totalEligible;
  }

  /** The number of validators. */
  public int size() {
    return stakes.size();
  }

  /** The stakes as an immutable table. O(n log n) after a change, then O(1) until the next one. */
  public StakeTable snapshot() {
    if (changed) {
      snapshot = StakeTable.of(stakes);
      changed = false;
    }
    return snapshot;
  }
}
