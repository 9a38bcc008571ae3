package io.github.posj.core.testing;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.AppendResult;
import io.github.posj.core.chain.Chain;
import java.time.Instant;

/** Chains and blocks with sensible defaults for tests. */
public final class TestBlocks {
  /** The instant every test chain starts at. */
  public static final Instant START = Instant.parse("2026-11-24T05:37:39.918131413Z");

  private TestBlocks() {}

  /** The timestamp {@code seconds} after {@link #START}, Go style. */
  public static String timestamp(long seconds) {
    return GoTimestamp.format(START.plusSeconds(seconds));
  }

  /** A genesis-only chain under {@code scheme}. */
  public static Chain genesis(HashScheme scheme) {
    return Chain.genesis(scheme, timestamp(0));
  }

  /**
   * A chain of {@code size} blocks under {@code scheme}: genesis, then block i with BPM 60 + i by
   * test validator i % 3.
   */
  public static Chain chain(HashScheme scheme, int size) {
    Chain chain = genesis(scheme);
    for (int i = 1; i < size; i++) {
      Block next = chain.nextBlock(60 + i, timestamp(i), TestValidators.validator(i % 3));
      chain = ((AppendResult.Accepted) chain.append(next)).chain();
    }
    return chain;
  }

  /** {@code chain} with {@code block} appended; fails the test if it is rejected. */
  public static Chain append(Chain chain, Block block) {
    AppendResult result = chain.append(block);
    if (result instanceof AppendResult.Accepted accepted) {
      return accepted.chain();
    }
    throw new AssertionError("expected the block to be accepted: " + result);
  }
}
