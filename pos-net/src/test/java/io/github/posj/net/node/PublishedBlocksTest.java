package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestNetwork;
import io.github.posj.net.http.NetworkSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

final class PublishedBlocksTest {
  private final TestNetwork network = TestNetwork.withStakes(10, 20, 30);

  @Test
  void chain_pastItsFirstCapacity_keepsEveryMixAndPredecessorAndOldSnapshotsStay() {
    SignedChainState state = network.start();
    List<Hash> mixes = new ArrayList<>(List.of(state.mix()));
    List<SignedBlock> blocks = new ArrayList<>();
    for (long slot = 1; slot <= 40; slot++) {
      SignedBlock block = network.forge(state, slot, 70);
      assertThat(state.append(block)).isEmpty();
      blocks.add(block);
      mixes.add(state.mix());
    }
    PublishedBlocks published = new PublishedBlocks(network.genesis(), blocks.subList(0, 5));
    NetworkSnapshot.Chain early = published.chain();

    for (SignedBlock block : blocks.subList(5, 40)) {
      published.add(block);
    }
    NetworkSnapshot.Chain chain = published.chain();

    assertThat(early.height()).isEqualTo(5);
    assertThat(early.blocks()).hasSize(6);
    assertThat(chain.height()).isEqualTo(40);
    assertThat(chain.blocks().get(0)).isEqualTo(network.genesis().block0());
    Map<ValidatorId, Long> last = new HashMap<>();
    for (int index = 0; index <= 40; index++) {
      assertThat(chain.mixAfter(index)).as("mix after %d", index).isEqualTo(mixes.get(index));
      if (index <= 5) {
        assertThat(early.mixAfter(index)).isEqualTo(mixes.get(index));
      }
      if (index >= 1) {
        SignedBlock block = blocks.get(index - 1);
        assertThat(chain.signed(index)).isEqualTo(block);
        assertThat(chain.blocks().get(index)).isEqualTo(block.block());
        assertThat(chain.slotOf(index)).isEqualTo(block.slot());
        Long previous = last.put(block.block().validator(), (long) index);
        assertThat(chain.previousByValidator(index))
            .isEqualTo(previous == null ? OptionalLong.empty() : OptionalLong.of(previous));
      }
    }
    assertThatThrownBy(() -> early.signed(6)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> chain.signed(0)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(published.range(39, 32)).containsExactly(blocks.get(38), blocks.get(39));
  }

  @Test
  void rollBackTo_dropsTheNewestBlocksAndLeavesEarlierSnapshotsWhole() {
    SignedChainState shared = network.start();
    List<SignedBlock> prefix = network.forgeSlots(shared, 1, 6);
    SignedChainState oldState = shared.copy();
    List<SignedBlock> oldTail = network.forgeSlots(oldState, 7, 10);
    SignedChainState newState = shared.copy();
    List<SignedBlock> newTail = network.forgeSlots(newState, 11, 15);
    List<SignedBlock> old = new ArrayList<>(prefix);
    old.addAll(oldTail);
    PublishedBlocks published = new PublishedBlocks(network.genesis(), old);
    NetworkSnapshot.Chain before = published.chain();

    published.rollBackTo(6);
    newTail.forEach(published::add);

    NetworkSnapshot.Chain after = published.chain();
    assertThat(after.height()).isEqualTo(11);
    assertThat(after.signed(7)).isEqualTo(newTail.get(0));
    assertThat(after.mixAfter(11)).isEqualTo(newState.mix());
    // A validator's previous block is found again below the fork point.
    for (long index = 7; index <= 11; index++) {
      SignedBlock block = after.signed(index);
      long expected = 0;
      for (long earlier = index - 1; earlier >= 1; earlier--) {
        if (after.signed(earlier).block().validator().equals(block.block().validator())) {
          expected = earlier;
          break;
        }
      }
      assertThat(after.previousByValidator(index).orElse(0)).isEqualTo(expected);
    }
    // A reader of the earlier snapshot still sees the old chain.
    assertThat(before.height()).isEqualTo(10);
    assertThat(before.signed(7)).isEqualTo(oldTail.get(0));
    assertThat(before.mixAfter(10)).isEqualTo(oldState.mix());
  }
}
