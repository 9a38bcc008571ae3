package io.github.posj.net.http;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.LeaderSchedule;
import io.github.posj.core.stake.ValidatorId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the HTTP API shows of a network node ({@code pos node}, {@code docs/network.md}) at one
 * moment: published by the node's owner thread, read by the API's handlers on any thread.
 *
 * <p>Immutable; thread-safe.
 *
 * @param chain the chain, with what re-checking each block's leader needs
 * @param schedule the leader schedule of the chain's genesis
 * @param slot the slot the node is in: the last one it began, or by its clock before it began one
 *     (-1 before the genesis time)
 * @param health whether the node accepts blocks
 * @param validators the genesis validators, the largest stake first (ties in address order)
 * @param recentSlots the last slots the node saw, newest first (a bounded number)
 * @param recentEvidence the last equivocation evidence, newest first (a bounded number)
 * @param connections the node protocol's open connections
 */
public record NetworkSnapshot(
    Chain chain,
    LeaderSchedule schedule,
    long slot,
    NodeSnapshot.Health health,
    List<ValidatorStats> validators,
    List<SlotRecord> recentSlots,
    List<EvidenceRecord> recentEvidence,
    Connections connections) {

  /** Checks and copies the components. */
  public NetworkSnapshot {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(connections, "connections");
    if (slot < -1) {
      throw new IllegalArgumentException("a slot is -1 or more, got " + slot);
    }
    validators = List.copyOf(validators);
    recentSlots = List.copyOf(recentSlots);
    recentEvidence = List.copyOf(recentEvidence);
  }

  /** The genesis. */
  public Genesis genesis() {
    return schedule.genesis();
  }

  /** The epoch the node is in (0 before the genesis time). */
  public long epoch() {
    return genesis().epochOf(Math.max(0, slot));
  }

  /**
   * A network-mode chain as it stood when published: block 0 and the signed blocks after it, with
   * the mix after each block ({@code docs/network.md} section 6) and each block's predecessor by
   * the same validator, so that a block's leader can be re-checked without replaying the chain.
   *
   * <p>Implementations are immutable (a prefix that never changes) and thread-safe.
   */
  public interface Chain {
    /** The head's Index. */
    long height();

    /**
     * Every block from block 0 in Index order, as the tutorial's six fields: a view, not a copy.
     */
    List<Block> blocks();

    /**
     * Block {@code index}'s signed form.
     *
     * @throws IndexOutOfBoundsException unless {@code 1 <= index <= height()}
     */
    SignedBlock signed(long index);

    /**
     * The mix after block {@code index} (after block 0: the initial mix).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index <= height()}
     */
    Hash mixAfter(long index);

    /**
     * The Index of the last block before block {@code index} made by the same validator; empty if
     * block {@code index} is its first (its reveal then chains to its genesis commitment).
     *
     * @throws IndexOutOfBoundsException unless {@code 1 <= index <= height()}
     */
    OptionalLong previousByValidator(long index);

    /** Block {@code index}'s slot (0 for block 0). */
    default long slotOf(long index) {
      return index == 0 ? 0 : signed(index).slot();
    }
  }

  /**
   * One genesis validator and the blocks it made.
   *
   * <p>Immutable; thread-safe.
   *
   * @param publicKey its key
   * @param stake its genesis stake
   * @param blocks the chain's blocks it made
   * @param loggedIn whether it is logged in to this node now
   */
  public record ValidatorStats(PublicKey publicKey, long stake, long blocks, boolean loggedIn) {
    /** Checks the component. */
    public ValidatorStats {
      Objects.requireNonNull(publicKey, "publicKey");
    }

    /** Its address. */
    public ValidatorId address() {
      return publicKey.address();
    }
  }

  /**
   * One slot the node saw: its leader and what became of it.
   *
   * <p>Immutable; thread-safe.
   *
   * @param slot the slot
   * @param epoch its epoch
   * @param leader its leader
   * @param outcome open, filled by a block, or ended empty
   * @param block its block, present exactly when the outcome is {@link Outcome#BLOCK}
   */
  public record SlotRecord(
      long slot, long epoch, ValidatorId leader, Outcome outcome, Optional<Block> block) {
    /** Checks the components. */
    public SlotRecord {
      Objects.requireNonNull(leader, "leader");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(block, "block");
      if (block.isPresent() != (outcome == Outcome.BLOCK)) {
        throw new IllegalArgumentException(
            "a slot has a block exactly when its outcome is BLOCK, got " + outcome + " " + block);
      }
    }

    /**
     * What became of a slot.
     *
     * <p>Immutable; thread-safe.
     */
    public enum Outcome {
      /** It has begun and has no block yet. */
      OPEN,
      /** Its leader's block is on the chain. */
      BLOCK,
      /** It ended without a block. */
      EMPTY,
      /** It has not begun (its leader is fixed already). */
      FUTURE
    }
  }

  /**
   * Equivocation: two different blocks signed by one key for one slot.
   *
   * <p>Immutable; thread-safe.
   *
   * @param time when the node saw the second, by its clock
   * @param first the block the chain holds
   * @param second the other block
   * @param stored whether the pair was kept in the evidence log
   */
  public record EvidenceRecord(
      Instant time, SignedBlock first, SignedBlock second, boolean stored) {
    /** Checks the components. */
    public EvidenceRecord {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(second, "second");
    }
  }

  /**
   * The node protocol's open connections.
   *
   * <p>Immutable; thread-safe.
   *
   * @param total every open connection (validators and watchers)
   * @param validators those logged in as a validator
   * @param peers the peer connections that passed their hello (other nodes)
   */
  public record Connections(int total, int validators, int peers) {
    /** Checks the counts. */
    public Connections {
      if (validators < 0 || total < 0 || peers < 0) {
        throw new IllegalArgumentException(
            "connection counts are >= 0, got " + validators + " of " + total + ", " + peers);
      }
    }

    /** Counts of a node without peers. */
    public Connections(int total, int validators) {
      this(total, validators, 0);
    }
  }
}
