package io.github.posj.core.store;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import java.util.List;
import java.util.Objects;

/**
 * Where a node keeps its chain so that it survives restarts.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #open} is called once, before anything else. It loads and fully validates the stored
 *       chain under {@code scheme}, or, when the store is empty, stores {@code genesis} and returns
 *       a chain of it alone. A store that holds blocks under another scheme, or blocks that break a
 *       {@link io.github.posj.core.chain.ChainRule}, is refused with a {@link ChainStoreException}
 *       that names the block; nothing is changed in that case. Two repairs are allowed, each
 *       reported in {@link Opened#repairs()}: a torn final record (a crash in the middle of a
 *       write: bytes that are not a whole block) is dropped, and a whole, valid final record whose
 *       terminator is missing is completed. A valid block is never dropped.
 *   <li>{@link #append} stores the block that follows the last stored one. When it returns
 *       normally, the block is durable (it survives a crash of the process or the machine, as far
 *       as the medium allows); the node announces a block only after that. When it throws, the
 *       block may or may not be stored, and the node must not announce it.
 *   <li>Implementations are confined to the node's single state owner (not thread-safe unless they
 *       say so); {@link #close} releases files and locks and is idempotent.
 * </ul>
 */
public interface ChainStore extends AutoCloseable {
  /**
   * Loads the stored chain, or starts one with {@code genesis}.
   *
   * @param scheme the hash scheme the chain must be valid under
   * @param genesis the genesis block to store when the store is empty; ignored otherwise
   * @throws ChainStoreException if the store cannot be read, is in use, or holds an invalid chain
   */
  Opened open(HashScheme scheme, Block genesis);

  /**
   * Stores {@code block} durably.
   *
   * @throws ChainStoreException if it could not be stored (disk full, I/O error, closed store); its
   *     {@link ChainStoreException#state()} says whether the store is still intact
   * @throws IllegalArgumentException if {@code block} does not follow the last stored block
   */
  void append(Block block);

  /** Releases the store's resources; idempotent. */
  @Override
  void close();

  /**
   * The result of {@link #open}.
   *
   * <p>Immutable; thread-safe.
   *
   * @param chain the loaded (or new) chain
   * @param repairs what was repaired on the way, one message each (e.g. a torn final record); empty
   *     when nothing was
   */
  record Opened(Chain chain, List<String> repairs) {
    /** Copies the repairs. */
    public Opened {
      Objects.requireNonNull(chain, "chain");
      repairs = List.copyOf(repairs);
    }
  }
}
