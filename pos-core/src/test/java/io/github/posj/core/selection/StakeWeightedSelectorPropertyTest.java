package io.github.posj.core.selection;

import static io.github.posj.core.testing.TestValidators.validator;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Exact properties, checked by enumerating every ticket (small totals). */
final class StakeWeightedSelectorPropertyTest {

  @Property(tries = 200)
  void everyValidator_ownsExactlyItsStakeInTickets(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = -3, max = 40) Integer> stakes) {
    Map<ValidatorId, Long> counts = ticketCounts(tableOf(stakes));

    for (int i = 0; i < stakes.size(); i++) {
      long expected = Math.max(0, stakes.get(i));
      assertThat(counts.getOrDefault(validator(i), 0L)).isEqualTo(expected);
    }
  }

  @Property(tries = 200)
  void splittingAStake_keepsTheCombinedShare(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 30) Integer> stakes,
      @ForAll @LongRange(min = 1, max = 29) long part) {
    // Validator 0's stake s is split into part and s - part between validators 0 and 100.
    long whole = stakes.get(0);
    long first = Math.min(part, whole);
    StakeTable joined = tableOf(stakes);
    StakeTable split = joined.with(validator(0), first).with(validator(100), whole - first);

    Map<ValidatorId, Long> joinedCounts = ticketCounts(joined);
    Map<ValidatorId, Long> splitCounts = ticketCounts(split);

    assertThat(
            splitCounts.getOrDefault(validator(0), 0L)
                + splitCounts.getOrDefault(validator(100), 0L))
        .isEqualTo(joinedCounts.get(validator(0)));
    for (int i = 1; i < stakes.size(); i++) {
      assertThat(splitCounts.get(validator(i))).isEqualTo(joinedCounts.get(validator(i)));
    }
  }

  @Property(tries = 100)
  void anyInsertionOrder_sameWinnersForTheSameSeed(
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = -3, max = 1_000) Integer> stakes,
      @ForAll long seed) {
    StakeTable inOrder = tableOf(stakes);
    StakeTable reversed = StakeTable.empty();
    for (int i = stakes.size() - 1; i >= 0; i--) {
      reversed = reversed.with(validator(i), stakes.get(i));
    }
    RandomnessSource a = RandomnessSource.seeded(seed);
    RandomnessSource b = RandomnessSource.seeded(seed);

    for (int draw = 0; draw < 20; draw++) {
      assertThat(StakeWeightedSelector.of(reversed).select(b))
          .isEqualTo(StakeWeightedSelector.of(inOrder).select(a));
    }
  }

  private static StakeTable tableOf(List<Integer> stakes) {
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < stakes.size(); i++) {
      map.put(validator(i), (long) stakes.get(i));
    }
    return StakeTable.of(map);
  }

  private static Map<ValidatorId, Long> ticketCounts(StakeTable table) {
    StakeWeightedSelector selector = StakeWeightedSelector.of(table);
    Map<ValidatorId, Long> counts = new HashMap<>();
    for (long ticket = 0; ticket < selector.totalStake(); ticket++) {
      counts.merge(selector.owner(ticket), 1L, Long::sum);
    }
    return counts;
  }
}
