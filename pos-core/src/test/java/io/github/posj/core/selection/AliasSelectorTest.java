package io.github.posj.core.selection;

import static io.github.posj.core.testing.TestValidators.validator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.ScriptedRandomness;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

final class AliasSelectorTest {
  @Property(tries = 200)
  void everyValidator_ownsExactlyNTimesItsStakeInTickets(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = -2, max = 30) Integer> stakes) {
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < stakes.size(); i++) {
      map.put(validator(i), (long) stakes.get(i));
    }
    AliasSelector selector = AliasSelector.of(StakeTable.of(map));
    Map<ValidatorId, Long> counts = new HashMap<>();

    for (long r = 0; r < (long) selector.size() * selector.totalStake(); r++) {
      counts.merge(selector.owner(r), 1L, Long::sum);
    }

    for (int i = 0; i < stakes.size(); i++) {
      long expected = Math.max(0, stakes.get(i)) * selector.size();
      assertThat(counts.getOrDefault(validator(i), 0L)).isEqualTo(expected);
    }
  }

  @Test
  void select_manyDraws_fitTheStakesByChiSquare() {
    long[] stakes = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89};
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < stakes.length; i++) {
      map.put(validator(i), stakes[i]);
    }
    AliasSelector selector = AliasSelector.of(StakeTable.of(map));
    RandomnessSource randomness = RandomnessSource.seeded(20261124L);
    Map<ValidatorId, Integer> wins = new HashMap<>();
    int draws = 200_000;
    for (int i = 0; i < draws; i++) {
      wins.merge(selector.select(randomness).orElseThrow(), 1, Integer::sum);
    }

    double chiSquare = 0;
    for (int i = 0; i < stakes.length; i++) {
      double expected = draws * stakes[i] / (double) selector.totalStake();
      chiSquare += Math.pow(wins.getOrDefault(validator(i), 0) - expected, 2) / expected;
    }
    // 9 degrees of freedom: P(X > 27.88) = 0.001; fixed seed, deterministic.
    assertThat(chiSquare).isLessThan(27.88);
  }

  @Test
  void select_emptyOrSingle_needsNoRandomness() {
    ScriptedRandomness none = new ScriptedRandomness();

    assertThat(AliasSelector.of(StakeTable.empty()).select(none)).isEmpty();
    assertThat(AliasSelector.of(StakeTable.empty().with(validator(1), 9)).select(none))
        .contains(validator(1));
  }

  @Test
  void of_totalTooLargeForTheTable_isRefusedWithTheAlternative() {
    StakeTable table =
        StakeTable.empty().with(validator(1), Long.MAX_VALUE / 2).with(validator(2), 1);

    assertThatThrownBy(() -> AliasSelector.of(table))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("StakeWeightedSelector");
  }

  @Test
  void of_whales_stayExact() {
    long whale = 1_000_000_000_000L;
    StakeTable table =
        StakeTable.empty()
            .with(validator(1), whale)
            .with(validator(2), 3 * whale)
            .with(validator(3), 1)
            .with(validator(4), 7);
    AliasSelector selector = AliasSelector.of(table);
    int n = selector.size();

    for (Map.Entry<ValidatorId, Long> entry : table.asMap().entrySet()) {
      assertThat(selector.ticketsOwnedBy(selector.positionOf(entry.getKey())))
          .as("tickets of the validator with stake %d", entry.getValue())
          .isEqualTo(entry.getValue() * n);
    }
  }

  @Test
  void compactAndWideLayouts_ownTheSameTickets() {
    // Totals below 2^31 use one long per column; larger ones two. Both must be exact.
    long[] small = {3, 1_000_000_007L, 5};
    long[] large = {3, 3_000_000_007L, 5};
    for (long[] stakes : new long[][] {small, large}) {
      Map<ValidatorId, Long> map = new HashMap<>();
      for (int i = 0; i < stakes.length; i++) {
        map.put(validator(i), stakes[i]);
      }
      StakeTable table = StakeTable.of(map);
      AliasSelector selector = AliasSelector.of(table);
      for (Map.Entry<ValidatorId, Long> entry : table.asMap().entrySet()) {
        assertThat(selector.ticketsOwnedBy(selector.positionOf(entry.getKey())))
            .isEqualTo(entry.getValue() * selector.size());
      }
    }
  }
}
