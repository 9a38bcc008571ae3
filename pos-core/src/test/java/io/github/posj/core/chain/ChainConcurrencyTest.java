package io.github.posj.core.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Snapshots share storage; two threads appending to one snapshot must not see each other. */
final class ChainConcurrencyTest {
  @Test
  void append_twoThreadsOnOneSnapshot_bothGetTheirOwnChain() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Chain base = TestBlocks.chain(HashScheme.posj(), 5);
      for (int i = 0; i < 2_000; i++) {
        Block a = base.nextBlock(1, "a" + i, TestValidators.validator(1));
        Block b = base.nextBlock(2, "b" + i, TestValidators.validator(2));
        CyclicBarrier start = new CyclicBarrier(2);
        Chain snapshot = base;
        Future<Chain> withA = pool.submit(appendAfter(start, snapshot, a));
        Future<Chain> withB = pool.submit(appendAfter(start, snapshot, b));

        Chain chainA = withA.get(10, TimeUnit.SECONDS);
        Chain chainB = withB.get(10, TimeUnit.SECONDS);

        assertThat(chainA.head()).isEqualTo(a);
        assertThat(chainB.head()).isEqualTo(b);
        assertThat(chainA.blocks().subList(0, snapshot.size())).isEqualTo(snapshot.blocks());
        assertThat(chainB.blocks().subList(0, snapshot.size())).isEqualTo(snapshot.blocks());
        base = i % 2 == 0 ? chainA : chainB;
      }
      assertThat(Chain.validate(base.blocks(), HashScheme.posj()))
          .isInstanceOf(ChainValidation.Valid.class);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Callable<Chain> appendAfter(CyclicBarrier start, Chain chain, Block block) {
    return () -> {
      start.await(10, TimeUnit.SECONDS);
      return ((AppendResult.Accepted) chain.append(block)).chain();
    };
  }
}
