package io.github.posj.core.stake;

import static io.github.posj.core.testing.TestValidators.validator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class StakeTableTest {
  @Test
  void with_addsAndReplaces_keepingTheTotal() {
    StakeTable table = StakeTable.empty().with(validator(1), 10).with(validator(2), 5);
    StakeTable replaced = table.with(validator(1), 3);

    assertThat(table.totalEligibleStake()).isEqualTo(15);
    assertThat(replaced.totalEligibleStake()).isEqualTo(8);
    assertThat(replaced.stakeOf(validator(1))).hasValue(3);
    assertThat(table.stakeOf(validator(1))).as("unchanged").hasValue(10);
  }

  @Test
  void without_removesTheStake() {
    StakeTable table = StakeTable.empty().with(validator(1), 10).with(validator(2), 5);

    StakeTable slashed = table.without(validator(1));

    assertThat(slashed.stakeOf(validator(1))).isEmpty();
    assertThat(slashed.totalEligibleStake()).isEqualTo(5);
    assertThat(slashed.without(validator(7))).isSameAs(slashed);
  }

  @Test
  void zeroOrNegativeStake_isKeptButNotEligible() {
    StakeTable table = StakeTable.empty().with(validator(1), 0).with(validator(2), -4);

    assertThat(table.size()).isEqualTo(2);
    assertThat(table.isEligible(validator(1))).isFalse();
    assertThat(table.isEligible(validator(2))).isFalse();
    assertThat(table.totalEligibleStake()).isZero();
  }

  @Test
  void total_thatWouldOverflow_isAClearError() {
    StakeTable table = StakeTable.empty().with(validator(1), Long.MAX_VALUE / 2 + 1);

    assertThatThrownBy(() -> table.with(validator(2), Long.MAX_VALUE / 2 + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("total stake would overflow")
        .hasMessageContaining(String.valueOf(Long.MAX_VALUE));
    assertThat(table.headroom()).isEqualTo(Long.MAX_VALUE / 2);
    assertThat(table.with(validator(2), table.headroom()).totalEligibleStake())
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void of_map_isIndependentOfInsertionOrder() {
    Map<ValidatorId, Long> forward = new LinkedHashMap<>();
    Map<ValidatorId, Long> backward = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      forward.put(validator(i), (long) i + 1);
      backward.put(validator(19 - i), (long) (19 - i) + 1);
    }

    StakeTable a = StakeTable.of(forward);
    StakeTable b = StakeTable.of(backward);

    assertThat(a).isEqualTo(b);
    assertThat(List.copyOf(a.asMap().keySet()))
        .containsExactlyElementsOf(b.asMap().keySet())
        .isSorted();
  }

  @Test
  void noneAddress_cannotHoldAStake() {
    assertThatThrownBy(() -> StakeTable.empty().with(ValidatorId.NONE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty address");
  }
}
