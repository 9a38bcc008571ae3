package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.crypto.Signature;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The messages of the network-mode node protocol ({@code posj-node/1}, {@code docs/network.md}
 * section 11): JSON lines, 64-bit values as decimal strings.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface NodeMessage {
  /** The protocol's name, sent in {@link Welcome}. */
  String PROTOCOL = "posj-node/1";

  /** The longest line either side sends or accepts, in bytes without the line ending. */
  int MAX_LINE_BYTES = 64 * 1024;

  /**
   * The most blocks one {@link GetBlocks} may ask for: 32 blocks of at most about 1,400 bytes each
   * (a 128-character timestamp of escapes) fit in one {@link #MAX_LINE_BYTES} line.
   */
  int MAX_BLOCKS_PER_REQUEST = 32;

  /**
   * Node to client, first line of every connection: the chain, where it stands, and a fresh login
   * nonce.
   *
   * <p>Immutable; thread-safe.
   *
   * @param chainId the genesis's chain id
   * @param genesisHash the genesis hash
   * @param genesisTime the start of slot 0
   * @param slotSeconds the slot length
   * @param epochSlots the epoch length
   * @param height the head's Index
   * @param head the head's Hash
   * @param headSlot the head's Slot
   * @param slot the current slot by the node's clock (-1 before the genesis time)
   * @param nonce this connection's login nonce
   */
  record Welcome(
      String chainId,
      Hash genesisHash,
      Instant genesisTime,
      long slotSeconds,
      long epochSlots,
      long height,
      Hash head,
      long headSlot,
      long slot,
      Hash nonce)
      implements NodeMessage {
    /** Checks the components. */
    public Welcome {
      Objects.requireNonNull(chainId, "chainId");
      Objects.requireNonNull(genesisHash, "genesisHash");
      Objects.requireNonNull(genesisTime, "genesisTime");
      Objects.requireNonNull(head, "head");
      Objects.requireNonNull(nonce, "nonce");
    }
  }

  /**
   * Client to node: log in as the holder of {@code publicKey} ({@link
   * io.github.posj.core.crypto.Login}).
   *
   * <p>Immutable; thread-safe.
   *
   * @param publicKey the validator's key
   * @param signature its signature of the login preimage for this connection's nonce
   */
  record Auth(PublicKey publicKey, Signature signature) implements NodeMessage {
    /** Checks the components. */
    public Auth {
      Objects.requireNonNull(publicKey, "publicKey");
      Objects.requireNonNull(signature, "signature");
    }
  }

  /**
   * Node to client: the login succeeded.
   *
   * <p>Immutable; thread-safe.
   *
   * @param validator the validator's address
   * @param stake its genesis stake
   * @param lastReveal its last reveal on the chain (its commitment before its first block)
   * @param duties the slots it leads from now to the end of the next epoch
   */
  record LoggedIn(ValidatorId validator, long stake, Hash lastReveal, List<Long> duties)
      implements NodeMessage {
    /** Checks the components and copies the list. */
    public LoggedIn {
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(lastReveal, "lastReveal");
      duties = List.copyOf(duties);
    }
  }

  /**
   * Node to a logged-in validator, at each epoch's start: the slots it leads from now to the end of
   * the next epoch.
   *
   * <p>Immutable; thread-safe.
   *
   * @param slots the slots, ascending
   */
  record Duties(List<Long> slots) implements NodeMessage {
    /** Copies the list. */
    public Duties {
      slots = List.copyOf(slots);
    }
  }

  /**
   * Node to every client: a slot began.
   *
   * <p>Immutable; thread-safe.
   *
   * @param slot the slot
   * @param epoch its epoch
   * @param leader its leader's address
   */
  record SlotStarted(long slot, long epoch, ValidatorId leader) implements NodeMessage {
    /** Checks the components. */
    public SlotStarted {
      Objects.requireNonNull(leader, "leader");
    }
  }

  /**
   * Client to node: a logged-in validator's signed block for the current slot.
   *
   * <p>Immutable; thread-safe.
   *
   * @param block the block
   */
  record Propose(SignedBlock block) implements NodeMessage {
    /** Checks the component. */
    public Propose {
      Objects.requireNonNull(block, "block");
    }
  }

  /**
   * Node to each logged-in validator: the node switched to another chain (fork choice,
   * docs/network.md section 13) and rolled back its blocks after {@code forkIndex}; the new chain's
   * blocks follow as announcements.
   *
   * <p>Immutable; thread-safe.
   *
   * @param forkIndex the Index of the last block the old and the new chain share
   * @param lastReveal this validator's last reveal on the new chain (its genesis commitment if the
   *     new chain holds none of its blocks)
   */
  record Switched(long forkIndex, Hash lastReveal) implements NodeMessage {
    /** Checks the component. */
    public Switched {
      Objects.requireNonNull(lastReveal, "lastReveal");
    }
  }

  /**
   * Node to every client: a block was accepted and stored; it is the new head.
   *
   * <p>Immutable; thread-safe.
   *
   * @param block the block
   */
  record Announced(SignedBlock block) implements NodeMessage {
    /** Checks the component. */
    public Announced {
      Objects.requireNonNull(block, "block");
    }
  }

  /**
   * Node to the proposer: its block was accepted (the announcement follows).
   *
   * <p>Immutable; thread-safe.
   *
   * @param index the block's Index
   * @param hash the block's Hash
   */
  record Accepted(long index, Hash hash) implements NodeMessage {
    /** Checks the components. */
    public Accepted {
      Objects.requireNonNull(hash, "hash");
    }
  }

  /**
   * Node to the proposer: its block was refused; nothing changed.
   *
   * <p>Immutable; thread-safe.
   *
   * @param slot the block's slot
   * @param code the reason as a word ({@code late}, {@code future-slot}, {@code breaks-rule}, ...)
   * @param rule the chain rule broken, for {@code breaks-rule}
   * @param reason the reason for a person
   */
  record Refused(long slot, String code, Optional<String> rule, String reason)
      implements NodeMessage {
    /** Checks the components. */
    public Refused {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Client to node: the blocks from Index {@code from} (at least 1), at most {@code count}.
   *
   * <p>Immutable; thread-safe.
   *
   * @param from the first Index
   * @param count how many
   */
  record GetBlocks(long from, int count) implements NodeMessage {}

  /**
   * Node to client: the answer to {@link GetBlocks}; fewer than asked at the head.
   *
   * <p>Immutable; thread-safe.
   *
   * @param from the first block's Index
   * @param blocks the blocks
   */
  record Blocks(long from, List<SignedBlock> blocks) implements NodeMessage {
    /** Copies the list. */
    public Blocks {
      blocks = List.copyOf(blocks);
    }
  }

  /**
   * Node to client: a line it could not act on; the connection stays open.
   *
   * <p>Immutable; thread-safe.
   *
   * @param reason what was wrong, for a person
   */
  record Error(String reason) implements NodeMessage {
    /** Checks the component. */
    public Error {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Node to client, the last line before it closes the connection.
   *
   * <p>Immutable; thread-safe.
   *
   * @param reason why
   */
  record Closing(String reason) implements NodeMessage {
    /** Checks the component. */
    public Closing {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
