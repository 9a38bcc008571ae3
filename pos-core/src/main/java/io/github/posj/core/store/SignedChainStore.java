package io.github.posj.core.store;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import java.util.List;
import java.util.Objects;

/**
 * Where a network-mode node keeps its chain: the {@link ChainStore} contract (validate everything
 * on open, durable appends, the same two repairs, {@link ChainStoreException} with its state) for
 * signed blocks under one {@link Genesis}.
 *
 * <p>Implementations are confined to the node's single state owner (not thread-safe unless they say
 * so); {@link #close} is idempotent.
 */
public interface SignedChainStore extends AutoCloseable {
  /**
   * Loads and checks the stored chain against every rule of {@code docs/network.md}, or starts one
   * that holds block 0 of {@code genesis} alone.
   *
   * @throws ChainStoreException if the store cannot be read, is in use, holds another genesis's
   *     chain, or holds a block that breaks a rule (the message names the block and the rule)
   */
  Opened open(Genesis genesis);

  /**
   * Stores {@code block} durably; when this returns normally the block survives a crash.
   *
   * @throws ChainStoreException if it could not be stored; its state says whether the store is
   *     still intact
   * @throws IllegalArgumentException if {@code block} does not follow the last stored block
   */
  void append(SignedBlock block);

  /**
   * Replaces every stored block after Index {@code forkIndex} with {@code branch} (a fork choice
   * switch), durably and all at once: when this returns normally the new chain survives a crash,
   * and a crash before that leaves, at the next {@link #open}, either the old chain or the new one,
   * never a mix and never a chain shorter than both; when nothing is removed ({@code forkIndex} is
   * the head's Index) a crash may also leave the old chain and the first blocks of {@code branch},
   * which is a valid chain too. An empty {@code branch} only rolls back.
   *
   * <p>An optional operation: a store that cannot switch chains throws {@link
   * UnsupportedOperationException}, and a node on it cannot follow peers' forks.
   *
   * @param forkIndex the Index of the last block both chains share; at least the stored head's
   *     Index less the rollback depth the store was opened with ({@link
   *     io.github.posj.core.chain.ForkChoice#finalityDepth})
   * @param branch the blocks that follow it, oldest first, each checked by the caller (signatures
   *     included)
   * @throws ChainStoreException if it could not be stored; its state says whether the store is
   *     still intact (then it holds the old chain)
   * @throws IllegalArgumentException if {@code forkIndex} is out of that range or {@code branch}
   *     does not follow the block at {@code forkIndex}; nothing is changed
   */
  default void replaceFrom(long forkIndex, List<SignedBlock> branch) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot replace stored blocks");
  }

  /** Releases the store's resources; idempotent. */
  @Override
  void close();

  /**
   * The result of {@link #open}.
   *
   * <p>Immutable (the state is handed over to the caller, its single owner); thread-safe.
   *
   * @param state the chain's state after its last stored block, able to roll back {@link
   *     io.github.posj.core.chain.ForkChoice#finalityDepth} blocks (as far as the chain goes)
   * @param blocks the stored blocks after block 0, oldest first
   * @param repairs what was repaired on the way, one message each
   */
  record Opened(SignedChainState state, List<SignedBlock> blocks, List<String> repairs) {
    /** Copies the lists. */
    public Opened {
      Objects.requireNonNull(state, "state");
      blocks = List.copyOf(blocks);
      repairs = List.copyOf(repairs);
    }
  }
}
