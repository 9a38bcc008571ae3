package io.github.posj.core.node;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.round.Round;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.StakeLedger;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The node's rules as a state machine: it owns the chain, the stake ledger, the current round's
 * candidate blocks and the slashing rule. Hosts (a socket server, a test, a simulator with a
 * virtual clock) feed it {@link NodeCommand}s and act on the {@link NodeEvent}s it returns.
 *
 * <p>The rules (docs/core.md, "The node"):
 *
 * <ul>
 *   <li>a stake is registered if it lies in {@link NodeRules}' range and the network's total stake
 *       can take it; the address is derived from the command's material;
 *   <li>a registered validator may propose up to {@link NodeRules#maxProposalsPerRound()} blocks a
 *       round; each is built on the head current at proposal time (so never on a stale tip: B9);
 *   <li>a BPM that is not an integer is a malformed block: the validator is removed and its stake
 *       forfeited; a validator that leaves takes its stake with it (the tutorial kept it: B13);
 *   <li>at the end of a round the winner is drawn by {@link Round} (stake-weighted, among this
 *       round's eligible proposers), its block is <em>stored</em> in the {@link ChainStore} and
 *       only then appended and announced ({@link NodeEvent.RoundEnded}); a block the store refuses
 *       is not appended ({@link RoundOutcome.SkipReason#STORE_FAILED}), and a store that reports
 *       itself {@link ChainStoreException.State#BROKEN} (or refuses the block as not following what
 *       it holds) stops forging for good: {@link NodeEvent.ForgingStopped}, once.
 * </ul>
 *
 * <p>Deterministic: the same chain, rules, randomness stream and commands give the same events and
 * the same chain, byte for byte (the randomness source is only drawn from at the end of a round
 * with proposals, by {@link Round#resolve}).
 *
 * <p>Not thread-safe; confine to one thread (the host's owner thread). {@link #chain()} returns an
 * immutable snapshot that may be handed to other threads.
 */
/*
 * Implementation notes: the stake ledger is a StakeLedger (O(1) per registration, departure or
 * slashing; a 10,000-validator registration storm would cost O(n^2) with StakeTable.with) whose
 * immutable snapshot is rebuilt only when it changed since the last round. The store is called from
 * inside the machine, not by the host after the fact, so "stored before announced" is a rule of
 * the machine that core tests can check with a failing store, rather than a convention of each
 * host.
 */
public final class Node {
  private final NodeRules rules;
  private final RandomnessSource randomness;
  private final ChainStore store;
  private final StakeLedger stakes = new StakeLedger();
  private final Map<ValidatorId, Integer> proposalsThisRound = new HashMap<>();
  private List<Block> candidates = new ArrayList<>();
  private Chain chain;
  private long round;
  private Optional<String> forgingStopped = Optional.empty();

  /**
   * A node with no validators, on {@code chain}.
   *
   * @param chain the chain the store holds (what {@link ChainStore#open} returned)
   * @param store the opened store every forged block is appended to before it is announced
   * @param rules the stake range and proposal limit
   * @param randomness the stream winners are drawn from; owned by this node from now on
   */
  public Node(Chain chain, ChainStore store, NodeRules rules, RandomnessSource randomness) {
    this.chain = Objects.requireNonNull(chain, "chain");
    this.store = Objects.requireNonNull(store, "store");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.randomness = Objects.requireNonNull(randomness, "randomness");
  }

  /**
   * Applies one command.
   *
   * @return the events it caused, in order; empty when it changed nothing (e.g. a validator that is
   *     not registered leaves, or a round ends after forging stopped)
   */
  public List<NodeEvent> apply(NodeCommand command) {
    Objects.requireNonNull(command, "command");
    if (command instanceof NodeCommand.Register register) {
      return List.of(register(register));
    } else if (command instanceof NodeCommand.Propose propose) {
      return List.of(propose(propose));
    } else if (command instanceof NodeCommand.ProposeMalformed malformed) {
      return slash(malformed);
    } else if (command instanceof NodeCommand.Leave leave) {
      return leave(leave.validator());
    } else if (command instanceof NodeCommand.EndRound) {
      return endRound();
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  /** The current chain: an immutable snapshot. */
  public Chain chain() {
    return chain;
  }

  /** The registered validators' stakes: an immutable snapshot. */
  public StakeTable stakes() {
    return stakes.snapshot();
  }

  /** The number of registered validators. */
  public int validatorCount() {
    return stakes.size();
  }

  /** The number of rounds ended so far. */
  public long rounds() {
    return round;
  }

  /** The rules this node applies. */
  public NodeRules rules() {
    return rules;
  }

  /** Why the node stopped forging, or empty while it forges ({@link NodeEvent.ForgingStopped}). */
  public Optional<String> forgingStopped() {
    return forgingStopped;
  }

  private NodeEvent register(NodeCommand.Register command) {
    long stake = command.stake();
    if (stake < rules.minStake()) {
      return new NodeEvent.RegistrationRefused(
          NodeEvent.RegistrationRefused.Reason.BELOW_MINIMUM, stake, rules.minStake());
    }
    if (stake > rules.maxStake()) {
      return new NodeEvent.RegistrationRefused(
          NodeEvent.RegistrationRefused.Reason.ABOVE_MAXIMUM, stake, rules.maxStake());
    }
    if (stake > stakes.headroom()) {
      return new NodeEvent.RegistrationRefused(
          NodeEvent.RegistrationRefused.Reason.TOTAL_STAKE_FULL, stake, stakes.headroom());
    }
    ValidatorId validator = ValidatorId.derive(command.addressMaterial().toByteArray());
    if (stakes.contains(validator)) {
      return new NodeEvent.RegistrationRefused(
          NodeEvent.RegistrationRefused.Reason.ADDRESS_TAKEN, stake, 0);
    }
    stakes.add(validator, stake);
    return new NodeEvent.Registered(validator, stake, stakes.size());
  }

  private NodeEvent propose(NodeCommand.Propose command) {
    ValidatorId validator = command.validator();
    if (forgingStopped.isPresent()) {
      return new NodeEvent.ProposalRefused(
          validator, NodeEvent.ProposalRefused.Reason.FORGING_STOPPED, 0);
    }
    if (!stakes.contains(validator)) {
      return new NodeEvent.ProposalRefused(
          validator, NodeEvent.ProposalRefused.Reason.NOT_REGISTERED, 0);
    }
    int count = proposalsThisRound.merge(validator, 1, Integer::sum);
    if (count > rules.maxProposalsPerRound()) {
      return new NodeEvent.ProposalRefused(
          validator,
          NodeEvent.ProposalRefused.Reason.TOO_MANY_PROPOSALS,
          rules.maxProposalsPerRound());
    }
    Block block = chain.nextBlock(command.bpm(), GoTimestamp.format(command.time()), validator);
    candidates.add(block);
    return new NodeEvent.ProposalAccepted(validator, block);
  }

  private List<NodeEvent> slash(NodeCommand.ProposeMalformed command) {
    OptionalLong forfeited = stakes.remove(command.validator());
    if (forfeited.isEmpty()) {
      return List.of();
    }
    return List.of(
        new NodeEvent.Slashed(command.validator(), forfeited.getAsLong(), command.bpm()));
  }

  private List<NodeEvent> leave(ValidatorId validator) {
    OptionalLong released = stakes.remove(validator);
    if (released.isEmpty()) {
      return List.of();
    }
    return List.of(new NodeEvent.Left(validator, released.getAsLong(), stakes.size()));
  }

  private List<NodeEvent> endRound() {
    if (forgingStopped.isPresent()) {
      return List.of();
    }
    round++;
    RoundOutcome outcome = new Round(chain, candidates, stakes.snapshot()).resolve(randomness);
    candidates = new ArrayList<>();
    proposalsThisRound.clear();
    if (!(outcome instanceof RoundOutcome.Forged forged)) {
      return List.of(new NodeEvent.RoundEnded(round, outcome, chain.height()));
    }
    Optional<NodeEvent.BlockNotStored> failure = store(forged.block());
    if (failure.isEmpty()) {
      chain = forged.chain();
      return List.of(new NodeEvent.RoundEnded(round, outcome, chain.height()));
    }
    List<NodeEvent> events = new ArrayList<>(3);
    events.add(failure.get());
    events.add(
        new NodeEvent.RoundEnded(
            round,
            new RoundOutcome.Skipped(RoundOutcome.SkipReason.STORE_FAILED, outcome.tally()),
            chain.height()));
    if (failure.get().broken()) {
      forgingStopped = Optional.of(failure.get().message());
      events.add(new NodeEvent.ForgingStopped(failure.get().message()));
    }
    return events;
  }

  /** Stores {@code block}, durably before anything is announced; empty when it was stored. */
  private Optional<NodeEvent.BlockNotStored> store(Block block) {
    try {
      store.append(block);
      return Optional.empty();
    } catch (ChainStoreException e) {
      return Optional.of(
          new NodeEvent.BlockNotStored(
              round, block, e.getMessage(), e.state() == ChainStoreException.State.BROKEN));
    } catch (IllegalArgumentException e) {
      // The store holds a chain this block does not follow: it and this node no longer agree.
      return Optional.of(
          new NodeEvent.BlockNotStored(
              round,
              block,
              "the chain store no longer matches this node's chain: " + e.getMessage(),
              true));
    }
  }
}
