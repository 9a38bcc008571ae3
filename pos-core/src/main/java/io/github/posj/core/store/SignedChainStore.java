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

  /** Releases the store's resources; idempotent. */
  @Override
  void close();

  /**
   * The result of {@link #open}.
   *
   * <p>Immutable (the state is handed over to the caller, its single owner); thread-safe.
   *
   * @param state the chain's state after its last stored block
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
