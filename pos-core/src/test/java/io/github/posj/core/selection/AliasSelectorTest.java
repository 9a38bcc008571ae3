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

  /**
   * With a heavy level of 1, 2 or 4 validators (forced at sizes where it is exhaustively
   * checkable): every ticket enumerated, and the count from the tables, give n x stake each.
   */
  @Property(tries = 300)
  void heavyLevel_everyValidatorStillOwnsExactlyNTimesItsStake(
      @ForAll @Size(min = 2, max = 13) List<@IntRange(min = 1, max = 40) Integer> stakes,
      @ForAll @IntRange(min = 0, max = 2) int heavyBits) {
    int heavyColumns = 1 << heavyBits;
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < stakes.size(); i++) {
      map.put(validator(i), (long) stakes.get(i));
    }
    AliasSelector selector = AliasSelector.of(StakeTable.of(map), heavyColumns);
    int n = selector.size();
    assertThat(selector.heavyCount()).isEqualTo(n / 2 >= heavyColumns ? heavyColumns : 0);
    Map<ValidatorId, Long> counts = new HashMap<>();

    for (long r = 0; r < (long) n * selector.totalStake(); r++) {
      counts.merge(selector.owner(r), 1L, Long::sum);
    }

    long[] fromTables = selector.ticketsOwned();
    for (int i = 0; i < stakes.size(); i++) {
      long expected = stakes.get(i) * (long) n;
      assertThat(counts.getOrDefault(validator(i), 0L)).isEqualTo(expected);
      assertThat(fromTables[selector.positionOf(validator(i))]).isEqualTo(expected);
    }
  }

  /**
   * The default heavy level from 8,192 validators on: the 4,096 largest stakes (the earlier address
   * on a tie), and still n x stake tickets each for whales, Zipf-like and equal stakes.
   */
  @Test
  void of_manyValidators_heavyLevelOfTheLargestStakes_exact() {
    int n = 2 * AliasSelector.HEAVY_COLUMNS + 1_001;
    long[] whales = new long[n];
    long[] zipf = new long[n];
    long[] equal = new long[n];
    for (int i = 0; i < n; i++) {
      whales[i] = i % 997 == 0 ? 1_000_000_000_000L : 1 + (i * 7919L) % 1000;
      zipf[i] = 1 + 1_000_000_000L / (i + 1);
      equal[i] = 5;
    }
    for (long[] stakes : List.of(whales, zipf, equal)) {
      Map<ValidatorId, Long> map = new HashMap<>();
      for (int i = 0; i < n; i++) {
        map.put(validator(i), stakes[i]);
      }
      AliasSelector selector = AliasSelector.of(StakeTable.of(map));
      assertThat(selector.heavyCount()).isEqualTo(AliasSelector.HEAVY_COLUMNS);

      long[] owned = selector.ticketsOwned();
      long smallestHeavy = Long.MAX_VALUE;
      long largestTail = 0;
      for (int i = 0; i < n; i++) {
        int position = selector.positionOf(validator(i));
        assertThat(owned[position]).isEqualTo(stakes[i] * n);
        if (selector.isHeavy(position)) {
          smallestHeavy = Math.min(smallestHeavy, stakes[i]);
        } else {
          largestTail = Math.max(largestTail, stakes[i]);
        }
      }
      assertThat(smallestHeavy).isGreaterThanOrEqualTo(largestTail);
    }
  }

  /** Where the heaviest 4,096 hold less than a quarter of the stake, no heavy level. */
  @Test
  void of_manyEqualStakes_noHeavyLevel() {
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < 4 * AliasSelector.HEAVY_COLUMNS + 1; i++) {
      map.put(validator(i), 7L);
    }

    assertThat(AliasSelector.of(StakeTable.of(map)).heavyCount()).isZero();
    assertThat(AliasSelector.of(StakeTable.of(map), 4).heavyCount()).isEqualTo(4);
  }

  @Test
  void of_heavyLevelTies_keepTheEarlierAddresses() {
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < 16; i++) {
      map.put(validator(i), i == 3 ? 9L : 5L);
    }
    AliasSelector selector = AliasSelector.of(StakeTable.of(map), 4);

    assertThat(selector.heavyCount()).isEqualTo(4);
    assertThat(selector.isHeavy(selector.positionOf(validator(3)))).isTrue();
    int[] heavyPositions =
        java.util.stream.IntStream.range(0, 16).filter(selector::isHeavy).toArray();
    assertThat(heavyPositions).hasSize(4);
    for (int position : heavyPositions) {
      if (!selector.validator(position).equals(validator(3))) {
        assertThat(position).isLessThan(4);
      }
    }
  }

  @Test
  void of_heavyColumnsNotAPowerOfTwo_isRefused() {
    StakeTable table = StakeTable.empty().with(validator(1), 1);

    assertThatThrownBy(() -> AliasSelector.of(table, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two");
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

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2})
  void select_everyColumnAndOffset_drawsTheTicketsOwner(int heavyColumns) {
    long[] stakes = {3, 0, 1, 7, 5, 2};
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < stakes.length; i++) {
      map.put(validator(i), stakes[i]);
    }
    AliasSelector selector = AliasSelector.of(StakeTable.of(map), heavyColumns);
    assertThat(selector.heavyCount()).isEqualTo(heavyColumns);
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

  /**
   * Batches of every size around the internal batch of 256, with and without a heavy level, and
   * Zipf-like stakes so that both levels are drawn: the same positions and the same randomness
   * consumed as one drawPosition call per draw.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 4, 64})
  void drawPositions_sameAsOneDrawAtATime(int heavyColumns) {
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      map.put(validator(i), 1 + 1_000_000L / (i + 1));
    }
    AliasSelector selector = AliasSelector.of(StakeTable.of(map), heavyColumns);
    assertThat(selector.heavyCount()).isEqualTo(heavyColumns);
    RandomnessSource batched = RandomnessSource.seeded(11);
    RandomnessSource single = RandomnessSource.seeded(11);
    int heavyDraws = 0;

    for (int size : new int[] {0, 1, 255, 256, 257, 1_000, 3}) {
      int[] positions = new int[size];
      selector.drawPositions(batched, positions);
      for (int i = 0; i < size; i++) {
        assertThat(positions[i])
            .as("draw %d of %d", i, size)
            .isEqualTo(selector.drawPosition(single));
        heavyDraws += selector.isHeavy(positions[i]) ? 1 : 0;
      }
      assertThat(batched.nextLong()).isEqualTo(single.nextLong());
    }
    if (heavyColumns == 0) {
      assertThat(heavyDraws).isZero();
    } else {
      assertThat(heavyDraws).isStrictlyBetween(0, 1_772); // both levels drawn
    }
  }

  @Test
  void drawPositions_emptyOrSingle() {
    ScriptedRandomness none = new ScriptedRandomness();
    int[] three = {5, 5, 5};

    AliasSelector.of(StakeTable.empty().with(validator(1), 9)).drawPositions(none, three);
    assertThat(three).containsExactly(0, 0, 0);
    AliasSelector.of(StakeTable.empty()).drawPositions(none, new int[0]);
    assertThatThrownBy(() -> AliasSelector.of(StakeTable.empty()).drawPositions(none, three))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no eligible validator");
    assertThat(none.consumed()).isZero();
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
