package io.github.posj.core.node;

import io.github.posj.core.block.SignedBlock;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ChainSync} asks its host to do, or reports. Peers are named by the host's own
 * numbers.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface SyncEvent {
  /**
   * Send {@code get-blocks} to a peer.
   *
   * <p>Immutable; thread-safe.
   *
   * @param peer the peer
   * @param from the first Index asked for
   * @param count how many blocks, at most
   */
  record Request(long peer, long from, int count) implements SyncEvent {}

  /**
   * Disconnect a peer that broke the protocol or sent an invalid block; nothing it sent was
   * applied.
   *
   * <p>Immutable; thread-safe.
   *
   * @param peer the peer
   * @param reason why, for a person (and for the peer's {@code closing} message)
   */
  record Drop(long peer, String reason) implements SyncEvent {
    /** Checks the reason. */
    public Drop {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The node's chain changed and is stored: announce {@code added}; {@code removed} were rolled
   * back (empty when the chain only grew).
   *
   * <p>Immutable; thread-safe.
   *
   * @param source the peer the blocks came from
   * @param forkIndex the Index of the last block the old and the new chain share
   * @param removed the blocks rolled back, oldest first
   * @param added the new blocks after {@code forkIndex}, oldest first; the last is the head
   */
  record ChainChanged(
      long source, long forkIndex, List<SignedBlock> removed, List<SignedBlock> added)
      implements SyncEvent {
    /** Copies the lists. */
    public ChainChanged {
      removed = List.copyOf(removed);
      added = List.copyOf(added);
    }
  }

  /**
   * Two blocks signed by one key for one slot, not seen before: keep them and pass them on.
   *
   * <p>Immutable; thread-safe.
   *
   * @param source the peer they came from
   * @param first one block
   * @param second the other
   */
  record Evidence(long source, SignedBlock first, SignedBlock second) implements SyncEvent {
    /** Checks the blocks. */
    public Evidence {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(second, "second");
    }
  }

  /**
   * Valid blocks from a peer could not be stored (the store failed, or the node stopped forging):
   * the node stays on its chain.
   *
   * <p>Immutable; thread-safe.
   *
   * @param reason the store's message
   */
  record NotStored(String reason) implements SyncEvent {
    /** Checks the reason. */
    public NotStored {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
