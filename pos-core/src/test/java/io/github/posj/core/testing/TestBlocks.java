package io.github.posj.core.testing;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.AppendResult;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.time.Instant;
import java.util.function.Consumer;

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

  /**
   * Hands the blocks of {@link #chain chain(scheme, size)} to {@code each}, oldest first, one at a
   * time without keeping them: for chains too long to hold in a test's heap.
   */
  public static void forEachBlock(HashScheme scheme, int size, Consumer<Block> each) {
    Block previous = scheme.genesis(timestamp(0));
    each.accept(previous);
    for (int i = 1; i < size; i++) {
      Block next =
          scheme.seal(i, timestamp(i), 60 + i, previous.hash(), TestValidators.validator(i % 3));
      each.accept(next);
      previous = next;
    }
  }

  /** {@code chain} with {@code block} appended; fails the test if it is rejected. */
  public static Chain append(Chain chain, Block block) {
    AppendResult result = chain.append(block);
    if (result instanceof AppendResult.Accepted accepted) {
      return accepted.chain();
    }
    throw new AssertionError("expected the block to be accepted: " + result);
  }

  /** {@code block} with another hash (a tampered block: it no longer verifies). */
  public static Block withHash(Block block, Hash hash) {
    return new Block(
        block.index(), block.timestamp(), block.bpm(), hash, block.prevHash(), block.validator());
  }

  /** {@code block} with another BPM, keeping its old hash (a tampered block). */
  public static Block withBpm(Block block, long bpm) {
    return new Block(
        block.index(), block.timestamp(), bpm, block.hash(), block.prevHash(), block.validator());
  }

  /** {@code block} with another validator, keeping its old hash (a tampered block). */
  public static Block withValidator(Block block, ValidatorId validator) {
    return new Block(
        block.index(), block.timestamp(), block.bpm(), block.hash(), block.prevHash(), validator);
  }
}
