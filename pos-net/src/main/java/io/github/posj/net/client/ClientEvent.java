package io.github.posj.net.client;

import io.github.posj.core.block.Block;
import io.github.posj.core.stake.ValidatorId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Something the server told a {@link ValidatorClient}, or the end of the connection.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface ClientEvent {
  /**
   * The stake was accepted.
   *
   * @param address this validator's address
   * @param stake its stake in tokens
   */
  record Registered(ValidatorId address, long stake) implements ClientEvent {
    /** Checks the component. */
    public Registered {
      Objects.requireNonNull(address, "address");
    }
  }

  /**
   * A proposal became a candidate block.
   *
   * @param index the candidate's Index
   */
  record ProposalAccepted(long index) implements ClientEvent {}

  /**
   * A round ended.
   *
   * @param round the round number, from 1
   * @param winner the winner, empty when the round was skipped
   * @param height the chain's height after the round
   * @param reason why the round was skipped, empty when a block was forged
   */
  record RoundResult(long round, Optional<ValidatorId> winner, long height, Optional<String> reason)
      implements ClientEvent {
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
   * The server's whole chain (not validated here: {@code Chain.validate} does that).
   *
   * @param blocks the blocks, oldest first
   */
  record ChainUpdate(List<Block> blocks) implements ClientEvent {
    /** Copies the list. */
    public ChainUpdate {
      blocks = List.copyOf(blocks);
    }
  }

  /**
   * This validator was slashed; the connection closes.
   *
   * @param reason why
   */
  record Slashed(String reason) implements ClientEvent {
    /** Checks the component. */
    public Slashed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The server refused a request; the connection stays open.
   *
   * @param message why
   */
  record Error(String message) implements ClientEvent {
    /** Checks the component. */
    public Error {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The connection is closed; always the last event.
   *
   * @param reason the server's closing line, or what ended the connection
   */
  record Closed(String reason) implements ClientEvent {
    /** Checks the component. */
    public Closed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
