package io.github.posj.core.chain;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.schedule.LeaderSchedule;
import io.github.posj.core.stake.ValidatorId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The head of a network-mode chain and everything needed to check the next block against it, in
 * memory bounded by the number of validators, not the chain's length: the head block and slot, the
 * mix of reveals, the mixes that fix the next epochs' seeds, and each validator's last reveal.
 *
 * <p>{@link #append} checks a block against every rule of {@code docs/network.md} section 7, in the
 * order listed there, and names the first it breaks. A verifier that checks signatures apart (on
 * other cores) uses {@link #checkExceptSignature} and {@link #appendSignatureChecked}.
 *
 * <p>Not thread-safe: one owner (the node's owner thread, or a verifier's single pass).
 */
public final class SignedChainState {
  private final Genesis genesis;
  private final LeaderSchedule schedule;
  private final Map<ValidatorId, Hash> lastReveals = new HashMap<>();
  // Mixes at the end of past epochs: each entry covers epochs [from, to] (no block in between).
  private final Deque<EpochMix> pastMixes = new ArrayDeque<>();
  private Block head;
  private long headSlot;
  private Hash mix;
  private long cachedSeedEpoch = -1;
  private Hash cachedSeedMix;
  private Hash cachedSeed;
  // What each of the newest blocks changed, newest first, at most undoDepth of them.
  private final Deque<Undo> undo = new ArrayDeque<>();
  private final int undoDepth;

  private SignedChainState(Genesis genesis, int undoDepth) {
    this.genesis = genesis;
    this.schedule = LeaderSchedule.of(genesis);
    this.head = genesis.block0();
    this.headSlot = 0;
    this.mix = schedule.initialMix();
    this.undoDepth = undoDepth;
  }

  private SignedChainState(SignedChainState other) {
    this.genesis = other.genesis;
    this.schedule = other.schedule;
    this.lastReveals.putAll(other.lastReveals);
    this.pastMixes.addAll(other.pastMixes);
    this.head = other.head;
    this.headSlot = other.headSlot;
    this.mix = other.mix;
    this.undo.addAll(other.undo);
    this.undoDepth = other.undoDepth;
  }

  /**
   * The state of the chain that holds only block 0 of {@code genesis}; it cannot {@link #rollBackTo
   * roll back}.
   */
  public static SignedChainState start(Genesis genesis) {
    return new SignedChainState(Objects.requireNonNull(genesis, "genesis"), 0);
  }

  /**
   * The state of the chain that holds only block 0 of {@code genesis}, which can {@link #rollBackTo
   * roll back} its newest {@code depth} blocks (what each changed is kept: memory bounded by {@code
   * depth}, not by the chain's length).
   *
   * @throws IllegalArgumentException if {@code depth} is negative
   */
  public static SignedChainState start(Genesis genesis, int depth) {
    if (depth < 0) {
      throw new IllegalArgumentException("the rollback depth must be >= 0, got " + depth);
    }
    return new SignedChainState(Objects.requireNonNull(genesis, "genesis"), depth);
  }

  /**
   * An independent copy of this state: appending to or rolling back either leaves the other as it
   * was. Costs memory and time in the number of validators that made blocks.
   */
  public SignedChainState copy() {
    return new SignedChainState(this);
  }

  /** How many blocks this state keeps enough of to roll back: at most its depth. */
  public int rollbackDepth() {
    return undoDepth;
  }

  /** The lowest Index {@link #rollBackTo} accepts now: the head's, less what is kept. */
  public long oldestRollbackIndex() {
    return head.index() - undo.size();
  }

  /**
   * Undoes the blocks after Index {@code index}, newest first, so that the block with that Index is
   * the head again, exactly as it was when that block was appended.
   *
   * @throws IllegalArgumentException if {@code index} is after the head, or before {@link
   *     #oldestRollbackIndex} (the state kept too little); the state is then unchanged
   */
  public void rollBackTo(long index) {
    if (index > head.index() || index < oldestRollbackIndex()) {
      throw new IllegalArgumentException(
          "can roll back to Index "
              + oldestRollbackIndex()
              + " to "
              + head.index()
              + " only (depth "
              + undoDepth
              + "), got "
              + index);
    }
    while (head.index() > index) {
      Undo last = undo.removeFirst();
      if (last.previousReveal == null) {
        lastReveals.remove(last.validator);
      } else {
        lastReveals.put(last.validator, last.previousReveal);
      }
      if (last.pastMixes != null) {
        pastMixes.clear();
        pastMixes.addAll(last.pastMixes);
      }
      mix = last.mix;
      head = last.head;
      headSlot = last.headSlot;
    }
  }

  /**
   * Why {@code block} is not block 0 of {@code genesis} (rule {@link ChainRule#GENESIS_MATCHES}),
   * with the expected and the actual block; empty if it is.
   */
  public static Optional<RuleViolation> checkBlock0(Genesis genesis, Block block) {
    Block expected = genesis.block0();
    if (expected.equals(block)) {
      return Optional.empty();
    }
    return Optional.of(
        new RuleViolation(
            ChainRule.GENESIS_MATCHES,
            "expected Index 0, Timestamp \""
                + expected.timestamp()
                + "\", BPM 0, Hash "
                + expected.hash().hex()
                + " (the genesis hash), PrevHash \"\" and Validator \"\"; got Index "
                + block.index()
                + ", Timestamp \""
                + block.timestamp()
                + "\", BPM "
                + block.bpm()
                + ", Hash "
                + block.hash().hex()
                + ", PrevHash \""
                + block.prevHash().hex()
                + "\" and Validator \""
                + block.validator().hex()
                + "\""));
  }

  /** The genesis. */
  public Genesis genesis() {
    return genesis;
  }

  /** The leader schedule. */
  public LeaderSchedule schedule() {
    return schedule;
  }

  /** The newest block (block 0 at the start). */
  public Block head() {
    return head;
  }

  /** The newest block's slot (0 for block 0). */
  public long headSlot() {
    return headSlot;
  }

  /** The mix after the newest block. */
  public Hash mix() {
    return mix;
  }

  /**
   * {@code validator}'s last reveal, its genesis commitment before its first block; empty if it is
   * not a genesis validator.
   */
  public Optional<Hash> lastReveal(ValidatorId validator) {
    Hash last = lastReveals.get(validator);
    if (last != null) {
      return Optional.of(last);
    }
    return genesis.validator(validator).map(GenesisValidator::commitment);
  }

  /**
   * The leader of {@code slot}. The answer is final when no block can still be added in epoch
   * {@code epoch(slot) - 2} or before: always for a slot after the head's that a next block could
   * take, as long as that slot's epoch is at most one past the head's; for later epochs it assumes
   * no block arrives before them.
   *
   * @throws IllegalArgumentException if {@code slot} is not after the head's slot
   */
  public ValidatorId leaderOf(long slot) {
    if (slot <= headSlot) {
      throw new IllegalArgumentException(
          "leaders are drawn for slots after the head's (" + headSlot + "), got " + slot);
    }
    return schedule.leader(slot, seedOf(genesis.epochOf(slot)));
  }

  /**
   * The seed of {@code epoch}, from the mix at the end of epoch {@code epoch - 2} as the chain
   * stands.
   */
  public Hash seedOf(long epoch) {
    Hash mixBefore = mixAtEndOf(epoch - 2);
    if (epoch != cachedSeedEpoch || !mixBefore.equals(cachedSeedMix)) {
      cachedSeed = schedule.seed(epoch, mixBefore);
      cachedSeedEpoch = epoch;
      cachedSeedMix = mixBefore;
    }
    return cachedSeed;
  }

  /**
   * The mix after the last block of epoch {@code epoch} or earlier, as the chain stands (the mix
   * after block 0 if there is none).
   *
   * @throws IllegalStateException if {@code epoch} is older than the two epochs before the head's,
   *     which this state no longer keeps
   */
  public Hash mixAtEndOf(long epoch) {
    if (epoch < 0) {
      return schedule.initialMix();
    }
    if (epoch >= genesis.epochOf(headSlot)) {
      return mix;
    }
    for (EpochMix past : pastMixes) {
      if (past.from <= epoch && epoch <= past.to) {
        return past.mix;
      }
    }
    throw new IllegalStateException(
        "the mix at the end of epoch "
            + epoch
            + " is no longer kept (head epoch "
            + genesis.epochOf(headSlot)
            + ")");
  }

  /**
   * Whether {@code block}'s signature verifies on {@code genesis}'s chain: {@link
   * SignedBlock#signatureValid(Hash)}'s answer, checked against the genesis's own instance of the
   * block's key when it has one, so that each validator's key is decoded once for all its blocks.
   */
  public static boolean signatureValid(Genesis genesis, SignedBlock block) {
    Optional<GenesisValidator> signer = genesis.validator(block.publicKey());
    return signer.isPresent()
        ? block.signatureValid(genesis.hash(), signer.get().publicKey())
        : block.signatureValid(genesis.hash());
  }

  /**
   * Appends {@code block} if it keeps every rule, or returns the first rule it breaks and leaves
   * the state as it was.
   */
  public Optional<RuleViolation> append(SignedBlock block) {
    Optional<RuleViolation> violation = checkExceptSignature(block);
    if (violation.isEmpty() && !signatureValid(genesis, block)) {
      violation =
          Optional.of(
              new RuleViolation(
                  ChainRule.SIGNATURE_VALID,
                  "the signature "
                      + block.signature().hex()
                      + " does not verify for PubKey "
                      + block.publicKey().hex()));
    }
    if (violation.isEmpty()) {
      apply(block);
    }
    return violation;
  }

  /**
   * As {@link #append} without the signature check, for a verifier that checked {@link
   * SignedBlock#signatureValid} for this block elsewhere (on another core). Appending a block whose
   * signature was not checked makes this state vouch for a forgery.
   */
  public Optional<RuleViolation> appendSignatureChecked(SignedBlock block) {
    Optional<RuleViolation> violation = checkExceptSignature(block);
    if (violation.isEmpty()) {
      apply(block);
    }
    return violation;
  }

  /**
   * The first rule other than the signature's that {@code block} breaks as the next block, or
   * empty. Leaves the state as it was.
   */
  public Optional<RuleViolation> checkExceptSignature(SignedBlock block) {
    Objects.requireNonNull(block, "block");
    Block b = block.block();
    if (b.index() != head.index() + 1) {
      return violation(
          ChainRule.INDEX_FOLLOWS, "expected Index " + (head.index() + 1) + ", got " + b.index());
    }
    if (!b.prevHash().equals(head.hash())) {
      return violation(
          ChainRule.PREV_HASH_LINKS,
          "expected PrevHash " + head.hash().hex() + ", got \"" + b.prevHash().hex() + "\"");
    }
    if (block.slot() <= headSlot) {
      return violation(
          ChainRule.SLOT_ADVANCES, "expected a Slot after " + headSlot + ", got " + block.slot());
    }
    Optional<RuleViolation> time = checkTimestamp(block);
    if (time.isPresent()) {
      return time;
    }
    ValidatorId address = block.publicKey().address();
    if (!b.validator().equals(address)) {
      return violation(
          ChainRule.VALIDATOR_IS_KEY,
          "expected Validator "
              + address.hex()
              + " (SHA-256 of PubKey "
              + block.publicKey().hex()
              + "), got "
              + b.validator().hex());
    }
    Hash expected = block.computeHash(genesis.hash());
    if (!b.hash().equals(expected)) {
      return violation(
          ChainRule.HASH_MATCHES, "expected Hash " + expected.hex() + ", got " + b.hash().hex());
    }
    ValidatorId leader = leaderOf(block.slot());
    if (!leader.equals(address)) {
      return violation(
          ChainRule.LEADER_FOR_SLOT,
          "the leader of slot " + block.slot() + " is " + leader.hex() + ", got " + address.hex());
    }
    Hash last = lastReveal(address).orElseThrow(); // the leader is a genesis validator
    if (!HashOnion.chains(block.reveal(), last)) {
      return violation(
          ChainRule.REVEAL_CHAINS,
          "expected a Reveal r with SHA-256(\"posj/onion/v1\" 0x00 || r) = "
              + last.hex()
              + " (the validator's "
              + (lastReveals.containsKey(address) ? "last reveal" : "genesis commitment")
              + "), got "
              + block.reveal().hex());
    }
    return Optional.empty();
  }

  private Optional<RuleViolation> checkTimestamp(SignedBlock block) {
    String timestamp = block.block().timestamp();
    Optional<Instant> at = GoTimestamp.parseCanonical(timestamp);
    if (at.isEmpty()) {
      return violation(
          ChainRule.TIMESTAMP_IN_SLOT,
          "expected a canonical Go-format UTC timestamp such as \""
              + GoTimestamp.format(genesis.genesisTime())
              + "\", got \""
              + timestamp
              + "\"");
    }
    long slot = block.slot();
    Instant start;
    try {
      start = genesis.slotStart(slot);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      return violation(
          ChainRule.TIMESTAMP_IN_SLOT, "slot " + slot + " starts after the end of time");
    }
    Instant end = start.plusSeconds(genesis.slotSeconds());
    if (at.get().isBefore(start) || !at.get().isBefore(end)) {
      return violation(
          ChainRule.TIMESTAMP_IN_SLOT,
          "slot "
              + slot
              + " lasts from "
              + GoTimestamp.format(start)
              + " to before "
              + GoTimestamp.format(end)
              + ", got "
              + timestamp);
    }
    return Optional.empty();
  }

  private void apply(SignedBlock block) {
    long headEpoch = genesis.epochOf(headSlot);
    long blockEpoch = genesis.epochOf(block.slot());
    if (undoDepth > 0) {
      undo.addFirst(
          new Undo(
              head,
              headSlot,
              mix,
              blockEpoch > headEpoch ? List.copyOf(pastMixes) : null,
              block.block().validator(),
              lastReveals.get(block.block().validator())));
      if (undo.size() > undoDepth) {
        undo.removeLast();
      }
    }
    if (blockEpoch > headEpoch) {
      pastMixes.addFirst(new EpochMix(headEpoch, blockEpoch - 1, mix));
      while (pastMixes.size() > 3) {
        pastMixes.removeLast();
      }
    }
    mix = LeaderSchedule.mix(mix, block.reveal());
    lastReveals.put(block.block().validator(), block.reveal());
    head = block.block();
    headSlot = block.slot();
  }

  private static Optional<RuleViolation> violation(ChainRule rule, String detail) {
    return Optional.of(new RuleViolation(rule, detail));
  }

  private record EpochMix(long from, long to, Hash mix) {}

  /**
   * What appending one block changed: the head before it, and the past mixes (null: unchanged) and
   * the validator's reveal (null: none yet) before it.
   */
  private record Undo(
      Block head,
      long headSlot,
      Hash mix,
      List<EpochMix> pastMixes,
      ValidatorId validator,
      Hash previousReveal) {}
}
