package io.github.posj.core.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestNetwork;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class SignedChainStateRollbackTest {
  // 4-slot epochs: a rollback crosses epochs and the mixes that fix later seeds.
  private final TestNetwork network = TestNetwork.withSlots(30, 4, 10, 20, 30, 40);

  /** Everything a state answers, as a comparable value. */
  private static List<Object> observe(SignedChainState state) {
    List<Object> seen = new ArrayList<>();
    seen.add(state.head());
    seen.add(state.headSlot());
    seen.add(state.mix());
    for (GenesisValidator v : state.genesis().validators()) {
      seen.add(state.lastReveal(v.address()));
    }
    long slot = state.headSlot() + 1;
    for (long s = slot; s < slot + 12; s++) {
      ValidatorId leader = state.leaderOf(s);
      seen.add(leader);
    }
    return seen;
  }

  @Test
  void rollingBackRestoresExactlyTheStateOfThatBlock() {
    SignedChainState state = SignedChainState.start(network.genesis(), 10);
    network.forgeSlots(state, 1, 3);
    List<Object> atIndex3 = observe(state);
    network.forgeSlots(state, 6, 9);
    network.forgeSlots(state, 15, 17); // skips two epochs
    assertThat(state.head().index()).isEqualTo(10);
    assertThat(state.oldestRollbackIndex()).isZero();

    state.rollBackTo(3);

    assertThat(observe(state)).isEqualTo(atIndex3);
    // And it can grow again, on another branch.
    List<SignedBlock> other = network.forgeSlots(state, 4, 5);
    assertThat(other).hasSize(2);
    assertThat(state.head().index()).isEqualTo(5);
  }

  @Test
  void aCopyIsIndependent() {
    SignedChainState state = SignedChainState.start(network.genesis(), 4);
    network.forgeSlots(state, 1, 4);
    SignedChainState copy = state.copy();
    List<Object> before = observe(state);

    copy.rollBackTo(2);
    network.forgeSlots(copy, 7, 8);

    assertThat(observe(state)).isEqualTo(before);
    assertThat(copy.head().index()).isEqualTo(4);
    assertThat(copy.head()).isNotEqualTo(state.head());
  }

  @Test
  void itKeepsOnlyItsDepthAndRefusesToGoFurther() {
    SignedChainState state = SignedChainState.start(network.genesis(), 3);
    network.forgeSlots(state, 1, 8);
    assertThat(state.oldestRollbackIndex()).isEqualTo(5);
    List<Object> before = observe(state);

    assertThatThrownBy(() -> state.rollBackTo(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Index 5 to 8");
    assertThatThrownBy(() -> state.rollBackTo(9)).isInstanceOf(IllegalArgumentException.class);
    assertThat(observe(state)).isEqualTo(before);

    SignedChainState none = SignedChainState.start(network.genesis());
    network.forgeSlots(none, 1, 2);
    assertThat(none.oldestRollbackIndex()).isEqualTo(2);
    none.rollBackTo(2); // to the head itself: nothing to undo
    assertThatThrownBy(() -> none.rollBackTo(1)).isInstanceOf(IllegalArgumentException.class);
  }
}
