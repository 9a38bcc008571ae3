package io.github.posj.core.selection;

import static io.github.posj.core.testing.TestValidators.validator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.ScriptedRandomness;
import java.math.BigInteger;
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

  /**
   * Tables at the limit, where a column's cut and its alias position need all 64 bits of the packed
   * column: every validator still owns exactly n times its stake, and every ticket's owner matches
   * what a draw of that column and offset returns.
   */
  @Test
  void of_atTheSizeLimit_columnsUseAll64BitsAndStayExact() {
    long third = Long.MAX_VALUE / 3; // n = 3: 2 bits of alias position, 62 bits of cut
    StakeTable three =
        StakeTable.empty()
            .with(validator(1), third - 2)
            .with(validator(2), 1)
            .with(validator(3), 1);
    int[] sizes = {2, 3, 5, 1_025};
    for (int n : sizes) {
      StakeTable table = n == 3 ? three : largest(n);
      AliasSelector selector = AliasSelector.of(table);
      for (Map.Entry<ValidatorId, Long> entry : table.asMap().entrySet()) {
        assertThat(selector.ticketsOwnedBy(selector.positionOf(entry.getKey())))
            .as("n = %d, stake %d", n, entry.getValue())
            .isEqualTo(entry.getValue() * selector.size());
      }
      long tickets = selector.size() * selector.totalStake();
      for (long r : new long[] {0, 1, tickets / 2, tickets - 2, tickets - 1}) {
        assertThat(table.asMap()).containsKey(selector.owner(r));
      }
    }
  }

  /** n validators whose total is the largest an alias table takes: n x total <= Long.MAX_VALUE. */
  private static StakeTable largest(int n) {
    long total = Long.MAX_VALUE / n;
    StakeTable table = StakeTable.empty().with(validator(0), total - (n - 1));
    for (int i = 1; i < n; i++) {
      table = table.with(validator(i), 1);
    }
    return table;
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
  void select_everyColumnAndOffset_drawsTheTicketsOwner() {
    long[] stakes = {3, 0, 1, 7, 5, 2};
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < stakes.length; i++) {
      map.put(validator(i), stakes[i]);
    }
    AliasSelector selector = AliasSelector.of(StakeTable.of(map));
    int n = selector.size();
    long total = selector.totalStake();
    Map<ValidatorId, Long> wins = new HashMap<>();

    for (int column = 0; column < n; column++) {
      for (long offset = 0; offset < total; offset++) {
        ScriptedRandomness draws =
            new ScriptedRandomness(drawing(column, n), drawing(offset, total));
        ValidatorId winner = selector.select(draws).orElseThrow();
        assertThat(winner).isEqualTo(selector.owner(column * total + offset));
        assertThat(draws.consumed()).isEqualTo(2);
        wins.merge(winner, 1L, Long::sum);
      }
    }

    for (int i = 0; i < stakes.length; i++) {
      assertThat(wins.getOrDefault(validator(i), 0L)).isEqualTo(stakes[i] * n);
    }
  }

  @Test
  void drawPosition_sameDrawsAsSelect_namesTheSameValidator() {
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      map.put(validator(i), (long) (i * 7919 % 1000));
    }
    AliasSelector selector = AliasSelector.of(StakeTable.of(map));
    RandomnessSource positions = RandomnessSource.seeded(5);
    RandomnessSource selects = RandomnessSource.seeded(5);

    for (int draw = 0; draw < 10_000; draw++) {
      int position = selector.drawPosition(positions);
      assertThat(position).isBetween(0, selector.size() - 1);
      assertThat(selector.select(selects)).contains(selector.validator(position));
    }
    assertThat(positions.nextLong()).isEqualTo(selects.nextLong());
  }

  @Test
  void drawPosition_emptyOrSingle() {
    ScriptedRandomness none = new ScriptedRandomness();

    assertThatThrownBy(() -> AliasSelector.of(StakeTable.empty()).drawPosition(none))
        .isInstanceOf(IllegalStateException.class);
    assertThat(AliasSelector.of(StakeTable.empty().with(validator(1), 9)).drawPosition(none))
        .isZero();
    assertThat(none.consumed()).isZero();
  }

  @Test
  void uniform_knownAnswers_rejectOnlyTheLowEdge() {
    // 2^64 mod 3 = 1: x = 0 gives a low word of 0 < 1 and is drawn again.
    ScriptedRandomness rejectedFirst = new ScriptedRandomness(0, -1);
    assertThat(AliasSelector.uniform(rejectedFirst, 3)).isEqualTo(2);
    assertThat(rejectedFirst.consumed()).isEqualTo(2);

    assertThat(AliasSelector.uniform(new ScriptedRandomness(Long.MIN_VALUE), 3)).isEqualTo(1);
    assertThat(AliasSelector.uniform(new ScriptedRandomness(-1), Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE - 1);
    assertThat(AliasSelector.uniform(new ScriptedRandomness(1L << 62), 1L << 40))
        .isEqualTo(1L << 38);
  }

  /** A nextLong() value for which {@code AliasSelector.uniform(·, bound)} gives {@code value}. */
  private static long drawing(long value, long bound) {
    // x * bound lands in the middle of [value * 2^64, (value + 1) * 2^64): no rejection.
    BigInteger target = BigInteger.valueOf(value).shiftLeft(64).add(BigInteger.ONE.shiftLeft(63));
    BigInteger b = BigInteger.valueOf(bound);
    return target.add(b).subtract(BigInteger.ONE).divide(b).longValue();
  }
}
