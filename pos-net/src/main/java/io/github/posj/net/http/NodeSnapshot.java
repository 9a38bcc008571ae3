package io.github.posj.net.http;

import io.github.posj.core.block.Block;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the HTTP API shows of a node at one moment: published by the node's owner thread, read by
 * the API's handlers on any thread. Nothing in it changes after it is made, so a handler never
 * waits for the node and the node never waits for a handler.
 *
 * <p>Immutable; thread-safe.
 *
 * @param chain the chain
 * @param rounds the rounds ended so far
 * @param roundDuration the round length
 * @param health whether the node forges
 * @param validators the registered validators, the largest stake first (ties in address order)
 * @param totalStake the registered validators' stake
 * @param recentRounds the last rounds, newest first (a bounded number)
 * @param recentSlashings the last slashings, newest first (a bounded number)
 * @param connections the validator protocol's open connections
 */
public record NodeSnapshot(
    Chain chain,
    long rounds,
    Duration roundDuration,
    Health health,
    List<ValidatorStats> validators,
    long totalStake,
    List<RoundRecord> recentRounds,
    List<SlashingRecord> recentSlashings,
    Connections connections) {

  /** Checks and copies the components. */
  public NodeSnapshot {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(roundDuration, "roundDuration");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(connections, "connections");
    validators = List.copyOf(validators);
    recentRounds = List.copyOf(recentRounds);
    recentSlashings = List.copyOf(recentSlashings);
  }

  /**
   * Whether the node forges ({@code GET /posj/v1/node/health}).
   *
   * <p>Immutable; thread-safe.
   *
   * @param status the state
   * @param detail the store's reason when it is not {@link Status#READY}; empty otherwise
   */
  public record Health(Status status, Optional<String> detail) {
    /** A node that forges. */
    public static final Health READY = new Health(Status.READY, Optional.empty());

    /** Checks the components. */
    public Health {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(detail, "detail");
    }

    /**
     * The states of a node's health.
     *
     * <p>Immutable; thread-safe.
     */
    public enum Status {
      /** Rounds run and blocks are stored. */
      READY,
      /**
       * The last round's block could not be stored; the store is intact and the next round tries.
       */
      STORE_FAILING,
      /** The store is broken: no more rounds until the node is restarted (the chain is served). */
      FORGING_STOPPED
    }
  }

  /**
   * One validator and how it fared: its wins against what its stake leads one to expect.
   *
   * <p>Immutable; thread-safe.
   *
   * @param address the validator
   * @param stake its stake in tokens
   * @param joinedRound the round that was running when it registered (the first it could enter)
   * @param roundsEntered the rounds with a winner in which it was among the proposers drawn from
   * @param wins the rounds it won
   * @param expectedWins the sum over {@code roundsEntered} of its stake over the stake drawn from:
   *     what it wins on average if the draw is fair
   */
  public record ValidatorStats(
      ValidatorId address,
      long stake,
      long joinedRound,
      long roundsEntered,
      long wins,
      double expectedWins) {
    /** Checks the component. */
    public ValidatorStats {
      Objects.requireNonNull(address, "address");
    }
  }

  /**
   * One ended round.
   *
   * <p>Immutable; thread-safe.
   *
   * @param round its number, from 1
   * @param time when it ended, by the node's clock
   * @param block the forged block; empty when the round was skipped
   * @param skipReason why nothing was forged; empty when a block was
   * @param tally the round's counts
   * @param height the chain's height after the round
   */
  public record RoundRecord(
      long round,
      Instant time,
      Optional<Block> block,
      Optional<RoundOutcome.SkipReason> skipReason,
      RoundOutcome.Tally tally,
      long height) {
    /** Checks the components. */
    public RoundRecord {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(block, "block");
      Objects.requireNonNull(skipReason, "skipReason");
      Objects.requireNonNull(tally, "tally");
      if (block.isPresent() == skipReason.isPresent()) {
        throw new IllegalArgumentException(
            "a round has a block or a skip reason, not both or neither: " + block + skipReason);
      }
    }
  }

  /**
   * One slashing.
   *
   * <p>Immutable; thread-safe.
   *
   * @param time when, by the node's clock
   * @param validator the slashed validator
   * @param forfeited the stake it forfeited
   * @param bpm what it sent instead of an integer, as it sent it (untrusted: escape to show)
   */
  public record SlashingRecord(Instant time, ValidatorId validator, long forfeited, String bpm) {
    /** Checks the components. */
    public SlashingRecord {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(validator, "validator");
      Objects.requireNonNull(bpm, "bpm");
    }
  }

  /**
   * The validator protocol's open connections.
   *
   * <p>Immutable; thread-safe.
   *
   * @param total every open connection
   * @param json those in the JSON-lines mode (the others speak the text mode, or have not said)
   */
  public record Connections(int total, int json) {
    /** Checks the counts. */
    public Connections {
      if (json < 0 || json > total) {
        throw new IllegalArgumentException("0 <= json <= total, got " + json + " of " + total);
      }
    }

    /** Those in the text mode, or that have not sent a line yet. */
    public int text() {
      return total - json;
    }
  }
}
