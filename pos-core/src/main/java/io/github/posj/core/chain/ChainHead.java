package io.github.posj.core.chain;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import java.util.Objects;
import java.util.Optional;

/**
 * The head of a valid chain without the blocks before it: its newest block, its number of blocks
 * and its hash scheme, which is all that checking the next block takes. Checking blocks one at a
 * time, {@link #genesis} for the first and {@link #next} for each after it, gives exactly the
 * verdicts of {@link Chain#validate} on the whole list (the same rule, position and detail), in
 * memory that does not grow with the chain: for chains read from a stream too long to hold.
 *
 * <pre>{@code
 * ChainHead.Step step = ChainHead.genesis(first, scheme);
 * // then, while step is Accepted: step = accepted.head().next(block)
 * }</pre>
 *
 * <p>Like a {@link Chain}, a {@code ChainHead} can only be made valid: by {@link #genesis} and
 * {@link #next}. Each call returns a new head and leaves this one as it was.
 *
 * <p>Immutable; thread-safe.
 */
public final class ChainHead {
  private final HashScheme scheme;
  private final Block block;
  private final int size;

  private ChainHead(HashScheme scheme, Block block, int size) {
    this.scheme = scheme;
    this.block = block;
    this.size = size;
  }

  /**
   * The outcome of checking one block: the longer chain's head, or the rule the block breaks.
   *
   * <p>Immutable; thread-safe.
   */
  public sealed interface Step {
    /**
     * The block keeps every rule; it is the new head.
     *
     * <p>Immutable; thread-safe.
     *
     * @param head the head of the chain that ends with the block
     */
    record Accepted(ChainHead head) implements Step {
      /** Checks the component. */
      public Accepted {
        Objects.requireNonNull(head, "head");
      }
    }

    /**
     * The block breaks a rule; the chain before it is unchanged.
     *
     * <p>Immutable; thread-safe.
     *
     * @param invalid the rule it breaks, at the block's 0-based position in the chain: what {@link
     *     Chain#validate} reports for the same blocks
     */
    record Rejected(ChainValidation.Invalid invalid) implements Step {
      /** Checks the component. */
      public Rejected {
        Objects.requireNonNull(invalid, "invalid");
      }
    }
  }

  /**
   * Checks {@code genesis} as the first block of a chain under {@code scheme} (the rules {@link
   * ChainRule#GENESIS_SHAPE} and {@link ChainRule#GENESIS_HASH}).
   *
   * @return the one-block chain's head, or the rule broken at position 0
   */
  public static Step genesis(Block genesis, HashScheme scheme) {
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(scheme, "scheme");
    return step(Chain.checkGenesis(genesis, scheme), scheme, genesis, 0);
  }

  /**
   * Checks {@code block} as the block after this head (the rules {@link ChainRule#INDEX_FOLLOWS},
   * {@link ChainRule#PREV_HASH_LINKS} and {@link ChainRule#HASH_MATCHES}), as {@link Chain#append}
   * does.
   *
   * @return the longer chain's head, or the rule broken at position {@link #size()}
   * @throws IllegalStateException if the chain already holds {@link Integer#MAX_VALUE} blocks, the
   *     most a position can name
   */
  public Step next(Block block) {
    Objects.requireNonNull(block, "block");
    if (size == Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "a chain holds at most " + Integer.MAX_VALUE + " blocks; this one is full");
    }
    return step(Chain.check(this.block, block, scheme), scheme, block, size);
  }

  private static Step step(
      Optional<Chain.Violation> violation, HashScheme scheme, Block block, int position) {
    if (violation.isPresent()) {
      return new Step.Rejected(violation.get().at(position, block));
    }
    return new Step.Accepted(new ChainHead(scheme, block, position + 1));
  }

  /** The hash scheme every block of the chain was checked under. */
  public HashScheme scheme() {
    return scheme;
  }

  /** The newest block. */
  public Block block() {
    return block;
  }

  /** The number of blocks of the chain, genesis included; at least 1. */
  public int size() {
    return size;
  }

  /** The newest block's Index: the number of blocks after genesis. */
  public long height() {
    return block.index();
  }

  @Override
  public String toString() {
    return "ChainHead[" + scheme.name() + ", size=" + size + ", head=" + block.hash().hex() + "]";
  }
}
