package io.github.posj.core.selection;

import static io.github.posj.core.testing.TestValidators.validator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.ScriptedRandomness;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class StakeWeightedSelectorTest {
  @Test
  void owner_everyTicket_countsEqualTheStakes() {
    StakeTable table =
        StakeTable.empty()
            .with(validator(1), 3)
            .with(validator(2), 1)
            .with(validator(3), 0)
            .with(validator(4), 7)
            .with(validator(5), 5);
    StakeWeightedSelector selector = StakeWeightedSelector.of(table);
    Map<ValidatorId, Long> counts = new HashMap<>();

    for (long ticket = 0; ticket < selector.totalStake(); ticket++) {
      counts.merge(selector.owner(ticket), 1L, Long::sum);
    }

    assertThat(selector.totalStake()).isEqualTo(16);
    assertThat(counts)
        .containsOnly(
            Map.entry(validator(1), 3L),
            Map.entry(validator(2), 1L),
            Map.entry(validator(4), 7L),
            Map.entry(validator(5), 5L));
  }

  @Test
  void ticketsOfOwner_everyTicket_isTheOwnersRangeOfItsStake() {
    StakeTable table =
        StakeTable.empty().with(validator(1), 3).with(validator(2), 1).with(validator(4), 7);
    StakeWeightedSelector selector = StakeWeightedSelector.of(table);

    for (long ticket = 0; ticket < selector.totalStake(); ticket++) {
      StakeWeightedSelector.Tickets tickets = selector.ticketsOfOwner(ticket);
      ValidatorId owner = selector.owner(ticket);
      assertThat(tickets.from()).isLessThanOrEqualTo(ticket);
      assertThat(tickets.to()).isGreaterThan(ticket);
      assertThat(tickets.to() - tickets.from()).isEqualTo(table.stakeOf(owner).getAsLong());
      assertThat(selector.owner(tickets.from())).isEqualTo(owner);
      assertThat(selector.owner(tickets.to() - 1)).isEqualTo(owner);
    }
    assertThat(selector.ticketsOfOwner(0).from()).isZero();
    assertThat(selector.ticketsOfOwner(10).to()).isEqualTo(11);
    assertThatThrownBy(() -> selector.ticketsOfOwner(11))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StakeWeightedSelector.Tickets(2, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void owner_ticketOutsideTheRange_isRejected() {
    StakeWeightedSelector selector =
        StakeWeightedSelector.of(StakeTable.empty().with(validator(1), 2));

    assertThatThrownBy(() -> selector.owner(2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> selector.owner(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void select_emptyOrAllZeroPool_isEmptyWithoutDrawing() {
    ScriptedRandomness none = new ScriptedRandomness();

    assertThat(StakeWeightedSelector.of(StakeTable.empty()).select(none)).isEmpty();
    assertThat(
            StakeWeightedSelector.of(
                    StakeTable.empty().with(validator(1), 0).with(validator(2), -1))
                .select(none))
        .isEmpty();
    assertThat(none.consumed()).isZero();
  }

  @Test
  void select_singleValidator_winsWithoutDrawing() {
    ScriptedRandomness none = new ScriptedRandomness();

    assertThat(StakeWeightedSelector.of(StakeTable.empty().with(validator(1), 5)).select(none))
        .contains(validator(1));
  }

  @Test
  void select_hugeStakes_costNoMemoryAndStayExact() {
    long whale = Long.MAX_VALUE / 2;
    ValidatorId big = validator(1);
    ValidatorId small = validator(2);
    StakeWeightedSelector selector =
        StakeWeightedSelector.of(StakeTable.empty().with(big, whale).with(small, 1));

    assertThat(selector.totalStake()).isEqualTo(whale + 1);
    // Tickets are laid out in address order: the small validator owns exactly one ticket.
    long smallTicket = small.compareTo(big) < 0 ? 0 : whale;
    assertThat(selector.owner(smallTicket)).isEqualTo(small);
    assertThat(selector.owner(smallTicket == 0 ? 1 : 0)).isEqualTo(big);
    assertThat(selector.owner(smallTicket == 0 ? whale : whale - 1)).isEqualTo(big);
  }

  @Test
  void select_hugeStakes_drawTheWhaleOrTheSmallValidatorByTicket() {
    long whale = Long.MAX_VALUE / 2;
    ValidatorId big = validator(1);
    ValidatorId small = validator(2);
    StakeWeightedSelector selector =
        StakeWeightedSelector.of(StakeTable.empty().with(big, whale).with(small, 1));
    long smallTicket = small.compareTo(big) < 0 ? 0 : whale;

    // The total, 2^62, is a power of two: nextLong(bound) takes the value's low 62 bits.
    assertThat(selector.totalStake()).isEqualTo(1L << 62);
    assertThat(selector.select(new ScriptedRandomness(smallTicket))).contains(small);
    assertThat(selector.select(new ScriptedRandomness(whale - smallTicket))).contains(big);
    assertThat(selector.select(new ScriptedRandomness(-1L)))
        .contains(smallTicket == 0 ? big : small);
  }

  @Test
  void select_valueInTheIncompleteLastRange_isDrawnAgain() {
    // Three tickets. u = (-1 >>> 1) = Long.MAX_VALUE lies in the last, incomplete copy of [0, 3)
    // (MAX_VALUE % 3 = 1): taking it would favour tickets 0 and 1, so it is drawn again, and
    // u = 10 >>> 1 = 5 gives ticket 5 % 3 = 2. A modulo draw would take ticket 2 from the first.
    StakeWeightedSelector selector =
        StakeWeightedSelector.of(
            StakeTable.empty().with(validator(1), 1).with(validator(2), 1).with(validator(3), 1));
    ScriptedRandomness draws = new ScriptedRandomness(-1L, 10L);

    assertThat(selector.select(draws)).contains(selector.owner(2));
    assertThat(draws.consumed()).isEqualTo(2);
  }

  @Test
  void select_manyDraws_fitTheStakesByChiSquare() {
    long[] stakes = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89};
    Map<ValidatorId, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < stakes.length; i++) {
      map.put(validator(i), stakes[i]);
    }
    StakeWeightedSelector selector = StakeWeightedSelector.of(StakeTable.of(map));
    RandomnessSource randomness = RandomnessSource.seeded(20261124L);
    Map<ValidatorId, Integer> wins = new HashMap<>();
    int draws = 200_000;

    for (int i = 0; i < draws; i++) {
      wins.merge(selector.select(randomness).orElseThrow(), 1, Integer::sum);
    }

    double total = selector.totalStake();
    double chiSquare = 0;
    for (int i = 0; i < stakes.length; i++) {
      double expected = draws * stakes[i] / total;
      chiSquare += Math.pow(wins.getOrDefault(validator(i), 0) - expected, 2) / expected;
    }
    // 9 degrees of freedom: P(X > 27.88) = 0.001. Fixed seed: deterministic, not flaky.
    assertThat(chiSquare).isLessThan(27.88);
  }

  @Test
  void select_sameSeed_sameWinnerWhateverTheInsertionOrder() {
    Map<ValidatorId, Long> forward = new LinkedHashMap<>();
    Map<ValidatorId, Long> backward = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      forward.put(validator(i), (long) (i * 7 % 13 + 1));
      backward.put(validator(49 - i), (long) ((49 - i) * 7 % 13 + 1));
    }
    StakeWeightedSelector a = StakeWeightedSelector.of(StakeTable.of(forward));
    StakeWeightedSelector b = StakeWeightedSelector.of(StakeTable.of(backward));

    for (long seed = 0; seed < 100; seed++) {
      assertThat(a.select(RandomnessSource.seeded(seed)))
          .isEqualTo(b.select(RandomnessSource.seeded(seed)));
    }
  }

  @Test
  void ofOrdered_keepsTheGivenOrderAndSkipsNonPositiveStakes() {
    ValidatorId[] ids = {validator(3), validator(1), validator(2)};
    StakeWeightedSelector selector = StakeWeightedSelector.ofOrdered(ids, new long[] {2, 0, 5});

    assertThat(selector.size()).isEqualTo(2);
    assertThat(selector.totalStake()).isEqualTo(7);
    assertThat(selector.owner(0)).isEqualTo(validator(3));
    assertThat(selector.owner(1)).isEqualTo(validator(3));
    assertThat(selector.owner(2)).isEqualTo(validator(2));
    assertThat(selector.owner(6)).isEqualTo(validator(2));
  }

  @Test
  void ofOrdered_mismatchedLengthsOrOverflow_isAClearError() {
    ValidatorId[] two = {validator(1), validator(2)};

    assertThatThrownBy(() -> StakeWeightedSelector.ofOrdered(two, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 validators, 1 stakes");
    assertThatThrownBy(() -> StakeWeightedSelector.ofOrdered(two, new long[] {Long.MAX_VALUE, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("total stake would overflow");
  }

  @Test
  void ofOrdered_sameOrderAsTheTable_drawsLikeOf() {
    StakeTable table =
        StakeTable.empty().with(validator(1), 4).with(validator(2), 9).with(validator(3), 1);
    ValidatorId[] ids = table.asMap().keySet().toArray(new ValidatorId[0]);
    long[] stakes = table.asMap().values().stream().mapToLong(Long::longValue).toArray();
    StakeWeightedSelector ordered = StakeWeightedSelector.ofOrdered(ids, stakes);
    StakeWeightedSelector sorted = StakeWeightedSelector.of(table);

    for (long seed = 0; seed < 50; seed++) {
      assertThat(ordered.select(RandomnessSource.seeded(seed)))
          .isEqualTo(sorted.select(RandomnessSource.seeded(seed)));
    }
  }

  @Test
  void selectOnce_drawsWhatTheSelectorInTheSameOrderDraws() {
    for (int n : new int[] {2, 3, 17, 600, 5_000}) {
      RandomnessSource setup = RandomnessSource.seeded(n);
      ValidatorId[] ids = new ValidatorId[n];
      long[] stakes = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = validator(i);
        stakes[i] = i % 7 == 3 ? -i : setup.nextLong(1_000);
      }
      StakeWeightedSelector built = StakeWeightedSelector.ofOrdered(ids, stakes);

      for (long seed = 0; seed < 300; seed++) {
        RandomnessSource once = RandomnessSource.seeded(seed);
        RandomnessSource fromBuilt = RandomnessSource.seeded(seed);
        assertThat(StakeWeightedSelector.selectOnce(ids, stakes, once))
            .as("n=%d seed=%d", n, seed)
            .isEqualTo(built.select(fromBuilt));
        assertThat(once.nextLong()).as("the same draws consumed").isEqualTo(fromBuilt.nextLong());
      }
    }
  }

  @Test
  void selectOnce_everyTicket_countsEqualTheStakesInTheGivenOrder() {
    ValidatorId[] ids = new ValidatorId[40];
    long[] stakes = new long[ids.length];
    Map<ValidatorId, Long> expected = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      ids[i] = validator(ids.length - i);
      stakes[i] = i % 5;
      expected.put(ids[i], stakes[i]);
    }
    StakeWeightedSelector built = StakeWeightedSelector.ofOrdered(ids, stakes);
    Map<ValidatorId, Long> counts = new HashMap<>();

    for (long ticket = 0; ticket < built.totalStake(); ticket++) {
      // nextLong(bound) returns (value >>> 1) % bound: script 2 * ticket to draw that ticket.
      ValidatorId owner =
          StakeWeightedSelector.selectOnce(ids, stakes, new ScriptedRandomness(2 * ticket))
              .orElseThrow();
      assertThat(owner).isEqualTo(built.owner(ticket));
      counts.merge(owner, 1L, Long::sum);
    }

    expected.values().removeIf(stake -> stake == 0);
    assertThat(counts).isEqualTo(expected);
  }

  @Test
  void selectOnce_emptySingleOrOverflow() {
    ScriptedRandomness none = new ScriptedRandomness();
    ValidatorId[] two = {validator(1), validator(2)};

    assertThat(StakeWeightedSelector.selectOnce(new ValidatorId[0], new long[0], none)).isEmpty();
    assertThat(StakeWeightedSelector.selectOnce(two, new long[] {0, -1}, none)).isEmpty();
    assertThat(StakeWeightedSelector.selectOnce(two, new long[] {0, 4}, none))
        .contains(validator(2));
    assertThat(none.consumed()).isZero();
    assertThatThrownBy(
            () -> StakeWeightedSelector.selectOnce(two, new long[] {Long.MAX_VALUE, 1}, none))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overflow");
    assertThatThrownBy(() -> StakeWeightedSelector.selectOnce(two, new long[] {1}, none))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 validators, 1 stakes");
  }
}
