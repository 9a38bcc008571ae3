package io.github.posj.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.testing.TestBlocks;
import org.junit.jupiter.api.Test;

final class BlockIndexTest {
  @Test
  void find_growingChain_findsEveryBlockAndNothingElse() {
    BlockIndex index = new BlockIndex();
    Chain chain = TestBlocks.chain(HashScheme.posj(), 40);

    for (int size = 1; size <= 40; size += 13) {
      Chain prefix = TestBlocks.chain(HashScheme.posj(), size);
      for (Block block : prefix.blocks()) {
        assertThat(index.find(prefix.blocks(), block.hash())).hasValue((int) block.index());
      }
    }
    for (Block block : chain.blocks()) {
      assertThat(index.find(chain.blocks(), block.hash())).hasValue((int) block.index());
    }
    assertThat(index.find(chain.blocks(), Hash.of(new byte[32]))).isEmpty();
  }
}
