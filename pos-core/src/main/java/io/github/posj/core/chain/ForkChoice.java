package io.github.posj.core.chain;

import io.github.posj.core.block.Block;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import java.util.Objects;

/**
 * Which of two valid chains of one genesis a node follows, and how deep it may go back to switch
 * ({@code docs/network.md} section 13). Pure functions of the two heads: every node that sees the
 * same two chains makes the same choice, whatever order they arrived in.
 *
 * <ol>
 *   <li>More blocks wins (the higher head Index).
 *   <li>Of two chains with as many blocks, the one whose head Hash is lower (its 32 bytes compared
 *       as unsigned numbers, i.e. its hex compared as text) wins.
 *   <li>A node never rolls back more than {@link #finalityDepth} blocks: a block that many blocks
 *       below the head is final, and a chain that does not hold it is not followed, however long.
 * </ol>
 *
 * <p>Stateless; thread-safe.
 */
public final class ForkChoice {
  /** The most blocks {@link #finalityDepth} ever is, whatever the genesis says. */
  public static final int MAX_FINALITY_DEPTH = 1024;

  private ForkChoice() {}

  /**
   * How many blocks may be rolled back on {@code genesis}'s chain: two epochs of slots ({@code 2 *
   * epochSlots}), at most {@value #MAX_FINALITY_DEPTH}. A block whose Index is at most the head's
   * less this is final.
   */
  public static int finalityDepth(Genesis genesis) {
    return (int) Math.min(2L * genesis.epochSlots(), MAX_FINALITY_DEPTH);
  }

  /**
   * The Index of the newest final block of a chain whose head has {@code headIndex} (0 at least).
   */
  public static long finalizedIndex(Genesis genesis, long headIndex) {
    return Math.max(0, headIndex - finalityDepth(genesis));
  }

  /**
   * Whether a node whose chain ends in {@code current} should switch to a valid chain that ends in
   * {@code candidate} (same genesis), going by rules 1 and 2 only: false for the same head.
   */
  public static boolean prefers(Block candidate, Block current) {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(current, "current");
    return prefers(candidate.index(), candidate.hash(), current.index(), current.hash());
  }

  /** {@link #prefers(Block, Block)} on what a peer's status says: a head Index and Hash. */
  public static boolean prefers(
      long candidateIndex, Hash candidateHash, long currentIndex, Hash currentHash) {
    Objects.requireNonNull(candidateHash, "candidateHash");
    Objects.requireNonNull(currentHash, "currentHash");
    if (candidateIndex != currentIndex) {
      return candidateIndex > currentIndex;
    }
    return candidateHash.compareTo(currentHash) < 0;
  }
}
