package io.github.posj.net.protocol;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.stake.ValidatorId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server sends to a validator. Some messages exist only in one mode: the prompts only in
 * the text mode, {@link Welcome} and {@link ProposalAccepted} only in the JSON mode; the encoder
 * writes nothing for a message its mode does not show.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface ServerMessage extends Message {
  /**
   * The answer to a hello: the JSON mode is on.
   *
   * @param version the protocol version the server speaks
   */
  record Welcome(int version) implements ServerMessage {}

  /** The text mode's stake prompt, {@code Enter token balance:}. */
  record StakePrompt() implements ServerMessage {}

  /** The text mode's BPM prompt, {@code \nEnter a new BPM:}. */
  record BpmPrompt() implements ServerMessage {}

  /**
   * The stake was accepted: the connection is now this validator.
   *
   * @param address the validator's address
   * @param stake its stake in tokens
   */
  record Registered(ValidatorId address, long stake) implements ServerMessage {
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
  record ProposalAccepted(long index) implements ServerMessage {}

  /**
   * The result of a round, sent to every connection once per round.
   *
   * @param round the round number, from 1
   * @param winner the winning validator, empty when the round was skipped
   * @param height the chain's height after the round
   * @param reason why the round was skipped ({@code no-proposals} or {@code no-eligible-validator},
   *     or {@code store-failed} when the winner's block could not be stored), empty when a block
   *     was forged
   */
  record RoundResult(long round, Optional<ValidatorId> winner, long height, Optional<String> reason)
      implements ServerMessage {
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
   * The whole chain.
   *
   * @param blocks the blocks, oldest first
   * @param json {@link ChainJson#write(List)} of {@code blocks}, rendered once for all connections
   */
  record ChainUpdate(List<Block> blocks, String json) implements ServerMessage {
    /** Checks the components (the JSON is trusted to match: use {@link #of}). */
    public ChainUpdate {
      blocks = List.copyOf(blocks);
      Objects.requireNonNull(json, "json");
    }

    /** The update for these blocks, with their JSON rendered. */
    public static ChainUpdate of(List<Block> blocks) {
      return new ChainUpdate(blocks, ChainJson.write(blocks));
    }
  }

  /**
   * The validator was slashed: removed, its stake forfeited; the connection closes after this.
   *
   * @param reason why, for a person
   */
  record Slashed(String reason) implements ServerMessage {
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
    /** Checks the component. */
    public Closing {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
