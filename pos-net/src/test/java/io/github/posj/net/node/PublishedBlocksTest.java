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
}
