package io.github.posj.core.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.ChainRule;
import io.github.posj.core.chain.ForkChoice;
import io.github.posj.core.chain.RuleViolation;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.node.NetworkEvent.Refusal;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.SignedChainStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A network-mode node's rules as a state machine ({@code docs/network.md}): it keeps time in slots
 * from the host's ticks, knows each slot's leader, and accepts the first valid signed block from
 * that leader during the slot. The block is <em>stored</em> before {@link NetworkEvent.Accepted}
 * exists, so a host never announces a block it could lose.
 *
 * <p>Another validator's block, a block for a past or future slot, or a late one is {@link
 * NetworkEvent.Refused refused} with its reason, never slashed. A second, different block signed by
 * the same key for a slot the chain already holds is kept as {@link NetworkEvent.EvidenceFound
 * evidence}.
 *
 * <p>Not thread-safe; confine to the host's owner thread.
 */
public final class NetworkNode {
  /** How many recent blocks are kept to recognise a second block for their slot. */
  static final int EVIDENCE_WINDOW = 256;

  /** The most slots {@link #slotsLedBy} looks ahead. */
  public static final int MAX_DUTY_LOOKAHEAD = 4096;

  private SignedChainState state;
  private final SignedChainStore store;
  // The newest blocks, oldest first: at least the non-final ones (ForkChoice.finalityDepth).
  private final ArrayDeque<SignedBlock> tail = new ArrayDeque<>();
  private final int tailLength;
  private final Map<Long, SignedBlock> recent =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, SignedBlock> eldest) {
          return size() > EVIDENCE_WINDOW;
        }
      };
  private long lastTickSlot = -1;
  private Optional<String> forgingStopped = Optional.empty();

  /**
   * A node on the chain its store holds.
   *
   * @param state the state {@link SignedChainStore#open} returned; owned by this node from now on
   * @param store the opened store every accepted block is appended to before it is announced
   */
  public NetworkNode(SignedChainState state, SignedChainStore store) {
    this.state = Objects.requireNonNull(state, "state");
    this.store = Objects.requireNonNull(store, "store");
    this.tailLength = ForkChoice.finalityDepth(state.genesis()) + 1;
  }

  /**
   * A node on the chain {@code opened} describes, which knows the newest stored blocks too, so that
   * it can follow a peer's fork ({@link ChainSync}) from its first start on.
   *
   * @param opened what {@link SignedChainStore#open} returned; its state is owned by this node
   * @param store the opened store every accepted block is appended to before it is announced
   */
  public NetworkNode(SignedChainStore.Opened opened, SignedChainStore store) {
    this(opened.state(), store);
    List<SignedBlock> blocks = opened.blocks();
    for (SignedBlock block :
        blocks.subList(Math.max(0, blocks.size() - tailLength), blocks.size())) {
      remember(block);
    }
  }

  /** The state (the owner's; {@link ChainSync} copies it to check a fork). */
  SignedChainState state() {
    return state;
  }

  /** The Index of the newest final block: the head's less {@link ForkChoice#finalityDepth}. */
  public long finalizedIndex() {
    return ForkChoice.finalizedIndex(state.genesis(), state.head().index());
  }

  /**
   * The Hash of the block at {@code index} on this node's chain, if the node still knows it: for
   * block 0, the head, and the blocks since the newest final one that were stored or loaded by this
   * node.
   */
  public Optional<Hash> hashAt(long index) {
    if (index == state.head().index()) {
      return Optional.of(state.head().hash());
    }
    if (index == 0) {
      return Optional.of(state.genesis().hash());
    }
    return blockAt(index).map(SignedBlock::hash);
  }

  /** The block at {@code index} among the newest ones this node keeps ({@link #hashAt}). */
  Optional<SignedBlock> blockAt(long index) {
    SignedBlock last = tail.peekLast();
    if (last == null || index > last.index() || index <= last.index() - tail.size()) {
      return Optional.empty();
    }
    long skip = index - (last.index() - tail.size() + 1);
    java.util.Iterator<SignedBlock> it = tail.iterator();
    for (long i = 0; i < skip; i++) {
      it.next();
    }
    return Optional.of(it.next());
  }

  /** What became of a block a peer sent ({@link #extend}). */
  enum Outcome {
    /** Stored and now the head. */
    APPENDED,
    /** It breaks a chain rule: the peer that sent it is not to be trusted. */
    INVALID,
    /** Its slot has not begun by this node's clock; not applied, maybe valid later. */
    TOO_EARLY,
    /** Valid, but this node did not store it (store failure, or forging stopped). */
    NOT_STORED
  }

  /** An {@link Outcome} and its reason for a person (empty for {@link Outcome#APPENDED}). */
  record Extension(Outcome outcome, String detail) {}

  /**
   * Appends a block a peer sent that extends the head: the same checks as a validator's block
   * except the slot's timing (a peer's block may be from a past slot, never from a future one),
   * then the store.
   */
  Extension extend(SignedBlock block, Instant now) {
    long slotNow = state.genesis().slotAt(now);
    if (block.slot() > slotNow) {
      return new Extension(
          Outcome.TOO_EARLY,
          "slot " + block.slot() + " has not begun: the node's clock is in slot " + slotNow);
    }
    Optional<String> invalid = checkFromPeer(state, block);
    if (invalid.isPresent()) {
      return new Extension(Outcome.INVALID, invalid.get());
    }
    if (forgingStopped.isPresent()) {
      return new Extension(
          Outcome.NOT_STORED, "the node accepts no blocks: " + forgingStopped.get());
    }
    try {
      store.append(block);
    } catch (ChainStoreException e) {
      return new Extension(Outcome.NOT_STORED, storeFailed(e));
    }
    state.appendSignatureChecked(block);
    remember(block);
    return new Extension(Outcome.APPENDED, "");
  }

  /**
   * Why {@code block} cannot follow {@code on}'s head (every rule of {@code docs/network.md}
   * section 7, the signature included), or empty.
   */
  static Optional<String> checkFromPeer(SignedChainState on, SignedBlock block) {
    Optional<RuleViolation> violation = on.checkExceptSignature(block);
    if (violation.isEmpty() && !SignedChainState.signatureValid(on.genesis(), block)) {
      violation = Optional.of(badSignature(block));
    }
    return violation.map(v -> "block " + block.index() + ": " + v.describe());
  }

  /** As {@link #checkFromPeer(SignedChainState, SignedBlock)}, the signature checked already. */
  static Optional<String> checkFromPeer(
      SignedChainState on, SignedBlock block, boolean signatureValid) {
    Optional<RuleViolation> violation = on.checkExceptSignature(block);
    if (violation.isEmpty() && !signatureValid) {
      violation = Optional.of(badSignature(block));
    }
    return violation.map(v -> "block " + block.index() + ": " + v.describe());
  }

  private static RuleViolation badSignature(SignedBlock block) {
    return new RuleViolation(
        ChainRule.SIGNATURE_VALID,
        "the signature does not verify for PubKey " + block.publicKey().hex());
  }

  private String storeFailed(ChainStoreException e) {
    if (e.state() == ChainStoreException.State.BROKEN) {
      forgingStopped = Optional.of(String.valueOf(e.getMessage()));
    }
    return "the store could not keep it: " + e.getMessage();
  }

  /**
   * Switches to the chain that keeps this one up to {@code forkIndex} and then holds {@code branch}
   * ({@code candidate} is its checked state): the store first, then this node. Returns the blocks
   * rolled back, oldest first, or empty if the store did not take the new chain (the node then
   * stays on its own; {@code failure} gets the reason).
   */
  Optional<List<SignedBlock>> switchTo(
      long forkIndex,
      List<SignedBlock> branch,
      SignedChainState candidate,
      java.util.function.Consumer<String> failure) {
    List<SignedBlock> removed = new ArrayList<>();
    for (SignedBlock block : tail) {
      if (block.index() > forkIndex) {
        removed.add(block);
      }
    }
    if (removed.size() != state.head().index() - forkIndex) {
      throw new IllegalArgumentException(
          "cannot roll back to Index " + forkIndex + ": the node does not keep those blocks");
    }
    if (forgingStopped.isPresent()) {
      failure.accept("the node accepts no blocks: " + forgingStopped.get());
      return Optional.empty();
    }
    try {
      if (removed.isEmpty() && branch.size() == 1) {
        store.append(branch.get(0));
      } else {
        store.replaceFrom(forkIndex, branch);
      }
    } catch (ChainStoreException e) {
      failure.accept(storeFailed(e));
      return Optional.empty();
    }
    for (int i = removed.size() - 1; i >= 0; i--) {
      tail.removeLast();
      recent.remove(removed.get(i).slot(), removed.get(i));
    }
    state = candidate;
    for (SignedBlock block : branch) {
      remember(block);
    }
    return Optional.of(removed);
  }

  /** The block this node's chain holds for {@code slot}, among the recent ones. */
  Optional<SignedBlock> heldAtSlot(long slot) {
    return Optional.ofNullable(recent.get(slot));
  }

  private void remember(SignedBlock block) {
    tail.addLast(block);
    while (tail.size() > tailLength) {
      tail.removeFirst();
    }
    recent.put(block.slot(), block);
  }

  /** The genesis. */
  public Genesis genesis() {
    return state.genesis();
  }

  /** The chain's head block's slot. */
  public long headSlot() {
    return state.headSlot();
  }

  /** The chain's head. */
  public io.github.posj.core.block.Block head() {
    return state.head();
  }

  /** {@code validator}'s last reveal (its commitment before its first block), if it is one. */
  public Optional<Hash> lastReveal(ValidatorId validator) {
    return state.lastReveal(validator);
  }

  /** Why the node stopped accepting blocks, if it did. */
  public Optional<String> forgingStopped() {
    return forgingStopped;
  }

  /** The leader of {@code slot}, which must be the head's slot or later. */
  public ValidatorId leaderOf(long slot) {
    return slot == state.headSlot() ? state.head().validator() : state.leaderOf(slot);
  }

  /**
   * The slots from {@code currentSlot} (inclusive) to the end of the next epoch that {@code
   * validator} leads: the ones whose leader is already fixed (at most {@value
   * #MAX_DUTY_LOOKAHEAD}), without those the chain already holds a block for.
   */
  public List<Long> slotsLedBy(ValidatorId validator, long currentSlot) {
    Objects.requireNonNull(validator, "validator");
    long from = Math.max(currentSlot, state.headSlot() + 1);
    long end =
        (state.genesis().epochOf(Math.max(currentSlot, 0)) + 2) * state.genesis().epochSlots();
    end = Math.min(end, from + MAX_DUTY_LOOKAHEAD);
    List<Long> slots = new ArrayList<>();
    for (long s = from; s < end; s++) {
      if (state.leaderOf(s).equals(validator)) {
        slots.add(s);
      }
    }
    return slots;
  }

  /**
   * Applies one command.
   *
   * @return the events it caused, in order
   */
  public List<NetworkEvent> apply(NetworkCommand command) {
    Objects.requireNonNull(command, "command");
    if (command instanceof NetworkCommand.Tick tick) {
      return tick(tick);
    }
    return List.of(submit((NetworkCommand.Submit) command));
  }

  private List<NetworkEvent> tick(NetworkCommand.Tick tick) {
    long slot = state.genesis().slotAt(tick.now());
    if (slot <= lastTickSlot || slot < 1) {
      return List.of();
    }
    List<NetworkEvent> events = new ArrayList<>(2);
    long previous = slot - 1;
    if (lastTickSlot >= 0 && previous >= 1 && previous > state.headSlot()) {
      events.add(new NetworkEvent.SlotMissed(previous, state.leaderOf(previous)));
    }
    lastTickSlot = slot;
    events.add(new NetworkEvent.SlotStarted(slot, state.genesis().epochOf(slot), leaderOf(slot)));
    return events;
  }

  private NetworkEvent submit(NetworkCommand.Submit submit) {
    SignedBlock block = submit.block();
    if (!block.publicKey().equals(submit.sender())) {
      return refused(
          block,
          Refusal.NOT_YOUR_KEY,
          "the block's PubKey "
              + block.publicKey().hex()
              + " is not the key this connection logged in with ("
              + submit.sender().hex()
              + ")");
    }
    if (block.slot() <= state.headSlot()) {
      return olderSlot(block);
    }
    long now = state.genesis().slotAt(submit.receivedAt());
    if (block.slot() > now) {
      return refused(
          block,
          Refusal.FUTURE_SLOT,
          "slot " + block.slot() + " has not begun: the node's clock is in slot " + now);
    }
    if (block.slot() < now) {
      return refused(
          block,
          Refusal.LATE,
          "slot " + block.slot() + " is over: the node's clock is in slot " + now);
    }
    if (forgingStopped.isPresent()) {
      return refused(
          block, Refusal.FORGING_STOPPED, "the node accepts no blocks: " + forgingStopped.get());
    }
    Optional<RuleViolation> violation = state.checkExceptSignature(block);
    if (violation.isEmpty() && !SignedChainState.signatureValid(state.genesis(), block)) {
      violation =
          Optional.of(
              new RuleViolation(
                  ChainRule.SIGNATURE_VALID,
                  "the signature does not verify for PubKey " + block.publicKey().hex()));
    }
    if (violation.isPresent()) {
      return new NetworkEvent.Refused(
          block, Refusal.BREAKS_RULE, violation, violation.get().describe());
    }
    try {
      store.append(block);
    } catch (ChainStoreException e) {
      if (e.state() == ChainStoreException.State.BROKEN) {
        forgingStopped = Optional.of(String.valueOf(e.getMessage()));
        return new NetworkEvent.ForgingStopped(forgingStopped.get());
      }
      return refused(block, Refusal.STORE_FAILED, "the store could not keep it: " + e.getMessage());
    }
    state.appendSignatureChecked(block);
    remember(block);
    return new NetworkEvent.Accepted(block);
  }

  private NetworkEvent olderSlot(SignedBlock block) {
    SignedBlock held = recent.get(block.slot());
    Hash genesisHash = state.genesis().hash();
    if (held != null && held.publicKey().equals(block.publicKey())) {
      if (held.hash().equals(block.computeHash(genesisHash))) {
        return refused(
            block,
            Refusal.DUPLICATE,
            "the chain already holds this block at Index " + held.index());
      }
      if (block.signatureValid(genesisHash)) {
        return new NetworkEvent.EvidenceFound(held, block);
      }
    }
    return refused(
        block,
        Refusal.SLOT_TAKEN,
        "the chain's head is at slot "
            + state.headSlot()
            + "; slot "
            + block.slot()
            + " is closed");
  }

  private static NetworkEvent refused(SignedBlock block, Refusal reason, String detail) {
    return new NetworkEvent.Refused(block, reason, Optional.empty(), detail);
  }
}
