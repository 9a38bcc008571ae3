package io.github.posj.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import org.junit.jupiter.api.Test;

final class InMemoryChainStoreTest {
  private final HashScheme scheme = HashScheme.posj();
  private final Block genesis = scheme.genesis(TestBlocks.timestamp(0));

  @Test
  void open_empty_startsWithTheGenesis() {
    try (InMemoryChainStore store = new InMemoryChainStore()) {
      ChainStore.Opened opened = store.open(scheme, genesis);

      assertThat(opened.chain().blocks()).containsExactly(genesis);
      assertThat(opened.repairs()).isEmpty();
    }
  }

  @Test
  void append_followingBlock_isKept() {
    try (InMemoryChainStore store = new InMemoryChainStore()) {
      Chain chain = store.open(scheme, genesis).chain();
      Block next = chain.nextBlock(72, "t", TestValidators.validator(1));

      store.append(next);

      assertThat(store.chain().orElseThrow().head()).isEqualTo(next);
    }
  }

  @Test
  void append_blockThatDoesNotFollow_isRefused() {
    try (InMemoryChainStore store = new InMemoryChainStore()) {
      store.open(scheme, genesis);
      Block unlinked =
          scheme.seal(
              1, "t", 72, TestBlocks.chain(scheme, 2).head().hash(), TestValidators.validator(1));

      assertThatThrownBy(() -> store.append(unlinked))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not follow");
    }
  }

  @Test
  void append_afterClose_isAClearError() {
    InMemoryChainStore store = new InMemoryChainStore();
    Chain chain = store.open(scheme, genesis).chain();
    store.close();

    assertThatThrownBy(() -> store.append(chain.nextBlock(1, "t", TestValidators.validator(1))))
        .isInstanceOf(ChainStoreException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void open_withAChain_returnsItOrRefusesAnotherScheme() {
    Chain held = TestBlocks.chain(scheme, 3);

    try (InMemoryChainStore store = new InMemoryChainStore(held)) {
      assertThat(store.open(scheme, genesis).chain()).isSameAs(held);
    }
    try (InMemoryChainStore store = new InMemoryChainStore(held)) {
      assertThatThrownBy(() -> store.open(HashScheme.goTutorial(), genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("posj hash scheme, not go-tutorial");
    }
  }
}
