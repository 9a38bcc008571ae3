package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.hash.Hash;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The messages of the peer protocol {@value #PROTOCOL} between nodes ({@code docs/network.md}
 * section 13), one JSON line each. Both ends send the same kinds.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface PeerMessage {
  /** The protocol name in {@link Hello}. */
  String PROTOCOL = "posj-peer/1";

  /** The most blocks one {@code get-blocks} may ask for. */
  int MAX_BLOCKS_PER_REQUEST = 64;

  /** The most addresses one {@code peers} answer holds. */
  int MAX_PEERS_PER_ANSWER = 32;

  /**
   * The first line each end sends.
   *
   * @param genesisHash the chain this node is on: a peer on another is closed
   * @param nodeId a random number the node drew at start, to recognise a connection to itself or a
   *     second connection to one peer
   * @param listen the {@code host:port} of this node's peer port, if it has one (for peer exchange)
   */
  record Hello(Hash genesisHash, String nodeId, Optional<String> listen) implements PeerMessage {
    /** Checks the components. */
    public Hello {
      Objects.requireNonNull(genesisHash, "genesisHash");
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(listen, "listen");
    }
  }

  /**
   * Where a node's chain stands: sent after the hello and at every change of head.
   *
   * @param height the head's Index
   * @param head the head's Hash
   * @param headSlot the head's slot
   * @param finalized the Index of the newest final block
   */
  record Status(long height, Hash head, long headSlot, long finalized) implements PeerMessage {
    /** Checks the head. */
    public Status {
      Objects.requireNonNull(head, "head");
    }
  }

  /**
   * Asks for the blocks from Index {@code from}, at most {@code count} ({@value
   * #MAX_BLOCKS_PER_REQUEST}).
   *
   * @param from the first Index, at least 1
   * @param count how many, 1 to {@value #MAX_BLOCKS_PER_REQUEST}
   */
  record GetBlocks(long from, int count) implements PeerMessage {}

  /**
   * The answer to {@link GetBlocks}: the node's blocks from {@code from} on, fewer (or none) at its
   * head.
   *
   * @param from the Index asked for
   * @param blocks the blocks, in Index order
   */
  record Blocks(long from, List<SignedBlock> blocks) implements PeerMessage {
    /** Copies the list. */
    public Blocks {
      blocks = List.copyOf(blocks);
    }
  }

  /**
   * A block the node just made its head (gossip), sent once to each peer but the one it came from.
   *
   * @param block the block
   */
  record NewBlock(SignedBlock block) implements PeerMessage {
    /** Checks the block. */
    public NewBlock {
      Objects.requireNonNull(block, "block");
    }
  }

  /**
   * Two blocks one key signed for one slot, passed on once.
   *
   * @param first one block
   * @param second the other
   */
  record Evidence(SignedBlock first, SignedBlock second) implements PeerMessage {
    /** Checks the blocks. */
    public Evidence {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(second, "second");
    }
  }

  /** Asks for the peer ports of the peer's peers. */
  record GetPeers() implements PeerMessage {}

  /**
   * The answer to {@link GetPeers}.
   *
   * @param peers {@code host:port} of peer ports, at most {@value #MAX_PEERS_PER_ANSWER}
   */
  record Peers(List<String> peers) implements PeerMessage {
    /** Copies the list. */
    public Peers {
      peers = List.copyOf(peers);
    }
  }

  /**
   * The last line before the sender closes the connection.
   *
   * @param reason why, for a person
   */
  record Closing(String reason) implements PeerMessage {
    /** Checks the reason. */
    public Closing {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
