package io.github.posj.net.protocol;

import io.github.posj.core.block.Block;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server sends to a validator. Some messages exist only in one mode: the prompts only in
 * the text mode, {@link Welcome} and {@link ProposalAccepted} only in the JSON mode; the encoder
 * writes nothing for a message its mode does not show.
 *
 * <p>This is the wire model both ends share: the server's encoder writes it, a client's decoder
 * reads it back. Texts meant for a person ({@link Error}, {@link Slashed}, {@link Closing}) are
 * made from typed reasons by {@code codec.ReasonText}, the one place that words them.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface ServerMessage extends Message {
  /** Calls the {@code visitor}'s method for this kind of message. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per message kind: an encoder written as a visitor fails to compile when a kind is
   * added, instead of writing nothing for it.
   *
   * <p>Implementations say whether they are thread-safe.
   *
   * @param <R> what the visit returns
   */
  interface Visitor<R> {
    /** A welcome. */
    R welcome(Welcome message);

    /** The stake prompt. */
    R stakePrompt(StakePrompt message);

    /** The BPM prompt. */
    R bpmPrompt(BpmPrompt message);

    /** A registration. */
    R registered(Registered message);

    /** An accepted proposal. */
    R proposalAccepted(ProposalAccepted message);

    /** A round's result. */
    R roundResult(RoundResult message);

    /** The chain. */
    R chainUpdate(ChainUpdate message);

    /** A forged block. */
    R blockAdded(BlockAdded message);

    /** Requested blocks. */
    R blocks(Blocks message);

    /** A slashing. */
    R slashed(Slashed message);

    /** A refused request. */
    R error(Error message);

    /** The last line. */
    R closing(Closing message);
  }

  /**
   * The answer to a hello: the JSON mode is on.
   *
   * @param version the protocol version of this connection: the client's
   * @param height the chain's height at the welcome (sent from version 2 on; 0 in version 1)
   */
  record Welcome(int version, long height) implements ServerMessage {
    /** A version 1 welcome, which carries no height. */
    public Welcome(int version) {
      this(version, 0);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.welcome(this);
    }
  }

  /** The text mode's stake prompt, {@code Enter token balance:}. */
  record StakePrompt() implements ServerMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.stakePrompt(this);
    }
  }

  /** The text mode's BPM prompt, {@code \nEnter a new BPM:}. */
  record BpmPrompt() implements ServerMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.bpmPrompt(this);
    }
  }

  /**
   * The stake was accepted: the connection is now this validator.
   *
   * @param address the validator's address
   * @param stake its stake in tokens
   */
  record Registered(ValidatorId address, long stake) implements ServerMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.registered(this);
    }

    /** Checks the component. */
    public Registered {
      Objects.requireNonNull(address, "address");
    }
  }

  /**
   * A BPM proposal became a candidate block for the current round.
   *
   * @param index the candidate's Index (the height it would have)
   */
  record ProposalAccepted(long index) implements ServerMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.proposalAccepted(this);
    }
  }

  /**
   * The result of a round, sent to every connection once per round.
   *
   * @param round the round number, from 1
   * @param winner the winning validator, empty when the round was skipped
   * @param height the chain's height after the round
   * @param reason why the round was skipped, empty when a block was forged
   */
  record RoundResult(
      long round,
      Optional<ValidatorId> winner,
      long height,
      Optional<RoundOutcome.SkipReason> reason)
      implements ServerMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.roundResult(this);
    }

    /** Checks the components. */
    public RoundResult {
      Objects.requireNonNull(winner, "winner");
      Objects.requireNonNull(reason, "reason");
    }

    /** Whether a block was forged. */
    public boolean forged() {
      return winner.isPresent();
    }
  }

  /**
   * The whole chain (the text mode and protocol version 1). A server does not encode it per
   * connection: {@code codec.SharedChainBytes} makes a broadcast's bytes once and every connection
   * is handed a view of them.
   *
   * @param blocks the blocks, oldest first
   */
  record ChainUpdate(List<Block> blocks) implements ServerMessage {
    /** Copies the list. */
    public ChainUpdate {
      blocks = List.copyOf(blocks);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.chainUpdate(this);
    }
  }

  /**
   * A block was forged (protocol version 2, instead of the whole chain).
   *
   * <p>Immutable; thread-safe.
   *
   * @param block the new head
   */
  record BlockAdded(Block block) implements ServerMessage {
    /** Checks the component. */
    public BlockAdded {
      Objects.requireNonNull(block, "block");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.blockAdded(this);
    }
  }

  /**
   * The answer to a {@code get-blocks} request (protocol version 2).
   *
   * <p>Immutable; thread-safe.
   *
   * @param from the Index of the first block asked for
   * @param blocks the blocks from there, oldest first; fewer than asked (or none) past the head
   */
  record Blocks(long from, List<Block> blocks) implements ServerMessage {
    /** Copies the list. */
    public Blocks {
      blocks = List.copyOf(blocks);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.blocks(this);
    }
  }

  /**
   * The validator was slashed: removed, its stake forfeited; the connection closes after this.
   *
   * @param reason why, for a person
   */
  record Slashed(String reason) implements ServerMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.slashed(this);
    }

    /** Checks the component. */
    public Slashed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A request was refused; the connection stays open.
   *
   * @param message what was wrong and how to fix it, for a person
   */
  record Error(String message) implements ServerMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.error(this);
    }

    /** Checks the component. */
    public Error {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The server closes the connection after this message.
   *
   * @param reason why, for a person
   */
  record Closing(String reason) implements ServerMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.closing(this);
    }

    /** Checks the component. */
    public Closing {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
