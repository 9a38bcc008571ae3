package io.github.posj.core.stake;

import static io.github.posj.core.testing.TestValidators.validator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class StakeLedgerTest {
  private final StakeLedger ledger = new StakeLedger();

  @Test
  void add_thenRemove_keepsTheTotalOfPositiveStakes() {
    ledger.add(validator(1), 10);
    ledger.add(validator(2), 0);
    ledger.add(validator(3), 5);

    assertThat(ledger.totalEligibleStake()).isEqualTo(15);
    assertThat(ledger.remove(validator(1))).hasValue(10);
    assertThat(ledger.remove(validator(1))).isEmpty();
    assertThat(ledger.totalEligibleStake()).isEqualTo(5);
    assertThat(ledger.size()).isEqualTo(2);
  }

  @Test
  void add_overflowingTotal_isRefusedAndChangesNothing() {
    ledger.add(validator(1), Long.MAX_VALUE - 1);

    assertThatThrownBy(() -> ledger.add(validator(2), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overflow");
    assertThat(ledger.headroom()).isEqualTo(1);
    assertThat(ledger.contains(validator(2))).isFalse();
  }

  @Test
  void add_sameValidatorTwice_isRefused() {
    ledger.add(validator(1), 1);

    assertThatThrownBy(() -> ledger.add(validator(1), 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ledger.stakeOf(validator(1))).hasValue(1);
  }

  @Test
  void snapshot_isTheTableAsItStandsAndDoesNotChangeLater() {
    ledger.add(validator(1), 10);
    StakeTable before = ledger.snapshot();
    ledger.add(validator(2), 20);

    assertThat(before).isEqualTo(StakeTable.empty().with(validator(1), 10));
    assertThat(ledger.snapshot())
        .isEqualTo(StakeTable.empty().with(validator(1), 10).with(validator(2), 20));
    assertThat(ledger.snapshot()).isSameAs(ledger.snapshot());
  }
}
