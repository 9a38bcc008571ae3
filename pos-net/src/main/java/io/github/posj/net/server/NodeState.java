package io.github.posj.net.server;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.round.Round;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.net.protocol.ServerMessage;
import io.github.posj.net.session.Node;
import io.github.posj.net.session.ValidatorSession;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's mutable state, and the only code that touches it: the chain, the stake table, the
 * round's candidate blocks and the open sessions. Every method runs on the owner thread (a
 * single-threaded executor); connection handlers only post events to it. The chain is published
 * through a volatile field for readers on other threads.
 *
 * <p>Not thread-safe; confine to the owner thread (except {@link #chain()}, {@link
 * #connectionCount()} and {@link #validatorCount()}).
 */
/*
 * Implementation notes: actor style (as MicroRaft's RaftNodeExecutor): one thread, no locks. The
 * stake table holds only validators whose connection is open and registered; the tutorial kept
 * them forever (B13), so a departed validator could still be drawn and its announcement went
 * nowhere. Candidates are built here, on the head current at proposal time, so they cannot be
 * built on a stale tip (B9); Round.resolve still discards any that no longer extend the head.
 */
final class NodeState implements Node {
  /** The {@code reason} of a round whose winning block could not be stored. */
  static final String STORE_FAILED = "store-failed";

  private static final Logger LOG = LoggerFactory.getLogger(NodeState.class);

  private final ServerConfig config;
  private final ServerListener listener;
  private final RandomnessSource randomness;
  private final SecureRandom addressMaterial = new SecureRandom();
  private final Set<ValidatorSession> sessions = new LinkedHashSet<>();
  private final Map<ValidatorId, Long> stakes = new HashMap<>();
  private final Map<ValidatorId, Integer> proposalsThisRound = new HashMap<>();
  private List<Block> candidates = new ArrayList<>();
  private long totalStake;
  private long roundNumber;
  private final ChainStore store;
  private Chain chain;
  private volatile Chain published;
  private volatile int connectionCount;
  private volatile int validatorCount;
  private boolean shutDown;

  /**
   * Set, with the reason, when the chain store refused a block with anything but a {@link
   * ChainStoreException} (e.g. the block does not follow what it holds): the store and this node no
   * longer agree on the chain, so appending more blocks could only make it worse. From then on no
   * round runs and proposals are refused, until the server is restarted (opening the store then
   * validates what it holds).
   */
  private Optional<String> forgingStopped = Optional.empty();

  private OptionalLong lastPushNanos = OptionalLong.empty();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  NodeState(ServerConfig config, ServerListener listener) {
    this.config = config;
    this.listener = listener;
    this.randomness = config.randomness().get();
    this.store = config.chainStore().get();
    ChainStore.Opened opened =
        store.open(
            config.hashScheme(),
            config.hashScheme().genesis(GoTimestamp.format(config.clock().instant())));
    for (String repair : opened.repairs()) {
      LOG.warn("chain store: {}", repair);
    }
    this.chain = opened.chain();
    this.published = chain;
  }

  /** Closes the chain store; after the owner thread has stopped. */
  void closeStore() {
    store.close();
  }

  /** The latest chain; any thread. */
  Chain chain() {
    return published;
  }

  /** Open, admitted connections; any thread. */
  int connectionCount() {
    return connectionCount;
  }

  /** Registered validators in the stake table; any thread. */
  int validatorCount() {
    return validatorCount;
  }

  void started(int port) {
    LOG.info(
        "listening on {}:{}, {} hash scheme, chain height {}, rounds every {}",
        config.bindAddress(),
        port,
        chain.scheme().name(),
        chain.height(),
        config.roundDuration());
    notifyListener(() -> listener.onStarted(port, chain.genesisBlock()));
  }

  @Override
  public boolean admit(ValidatorSession session) {
    if (shutDown || sessions.size() >= config.maxConnections()) {
      LOG.warn("refused a connection: {} connections open", sessions.size());
      return false;
    }
    sessions.add(session);
    connectionCount = sessions.size();
    return true;
  }

  @Override
  public Registration register(ValidatorSession session, long stake) {
    if (stake > Long.MAX_VALUE - totalStake) {
      return new Registration.Refused(
          "the network's total stake cannot take "
              + stake
              + " more tokens; at most "
              + (Long.MAX_VALUE - totalStake));
    }
    ValidatorId id;
    do {
      byte[] material = new byte[32];
      addressMaterial.nextBytes(material);
      id = ValidatorId.derive(material);
    } while (stakes.containsKey(id));
    stakes.put(id, stake);
    totalStake += stake;
    validatorCount = stakes.size();
    LOG.info("registered validator {} with stake {} ({} validators)", id, stake, stakes.size());
    ValidatorId registered = id;
    notifyListener(() -> listener.onRegistered(registered, stake));
    return new Registration.Accepted(id);
  }

  @Override
  public Proposal propose(ValidatorId validator, long bpm) {
    if (forgingStopped.isPresent()) {
      return new Proposal.Refused(forgingStopped.get());
    }
    if (!stakes.containsKey(validator)) {
      return new Proposal.Refused("validator " + validator + " is not registered");
    }
    int count = proposalsThisRound.merge(validator, 1, Integer::sum);
    if (count > config.maxProposalsPerRound()) {
      return new Proposal.Refused(
          "at most "
              + config.maxProposalsPerRound()
              + " proposals per round; wait for the next round");
    }
    Block block = chain.nextBlock(bpm, GoTimestamp.format(config.clock().instant()), validator);
    candidates.add(block);
    return new Proposal.Accepted(block.index());
  }

  @Override
  public void slash(ValidatorId validator, String reason) {
    Long forfeited = stakes.remove(validator);
    if (forfeited == null) {
      return;
    }
    totalStake -= forfeited;
    validatorCount = stakes.size();
    LOG.warn("slashed validator {} ({} tokens forfeited): {}", validator, forfeited, reason);
    notifyListener(() -> listener.onSlashed(validator, reason));
  }

  @Override
  public void leave(ValidatorSession session) {
    if (!sessions.remove(session)) {
      return;
    }
    connectionCount = sessions.size();
    if (shutDown && sessions.isEmpty()) {
      drained.complete(null);
    }
    Optional<ValidatorId> validator = session.validator();
    if (validator.isPresent()) {
      Long released = stakes.remove(validator.get());
      if (released != null) {
        totalStake -= released;
        validatorCount = stakes.size();
        LOG.info("validator {} left; its stake of {} is released", validator.get(), released);
      }
    }
  }

  /**
   * Runs one round: draws among this round's candidates, appends the winner's block, tells every
   * connection the result (and sends the new chain after a forged block).
   *
   * <p>When the winner's block cannot be stored, the round forges nothing: the chain stays as it
   * was, every connection is told the round had no winner ({@code reason} {@value #STORE_FAILED}),
   * the failure is logged once and reported to {@link ServerListener#onStoreFailed}, and the next
   * round goes on as usual. Only when the store's chain no longer matches the node's (the store
   * refused the block with anything but a {@link ChainStoreException}: it holds something this node
   * does not) does the node stop forging: see {@link #forgingStopped}.
   *
   * @return what happened; never throws for a store failure
   */
  RoundReport runRound() {
    if (forgingStopped.isPresent()) {
      return new RoundReport(
          Optional.empty(), Optional.of(new IllegalStateException(forgingStopped.get())));
    }
    roundNumber++;
    Round round = new Round(chain, candidates, StakeTable.of(stakes));
    RoundOutcome outcome = round.resolve(randomness);
    candidates = new ArrayList<>();
    proposalsThisRound.clear();
    RoundOutcome.Tally tally = outcome.tally();
    ServerMessage.RoundResult result;
    if (outcome instanceof RoundOutcome.Forged forged) {
      try {
        // Durable before announced: a block every validator was told about is never lost.
        store.append(forged.block());
      } catch (RuntimeException e) {
        return storeFailed(forged, e);
      }
      chain = forged.chain();
      published = chain;
      result =
          new ServerMessage.RoundResult(
              roundNumber, Optional.of(forged.winner()), chain.height(), Optional.empty());
      LOG.info(
          "round {}: {} proposals ({} stale, {} ineligible), {} eligible validators, winner {},"
              + " height {}",
          roundNumber,
          tally.proposals(),
          tally.stale(),
          tally.ineligible(),
          tally.eligibleValidators(),
          forged.winner(),
          chain.height());
    } else {
      RoundOutcome.Skipped skipped = (RoundOutcome.Skipped) outcome;
      String reason = skipped.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
      result =
          new ServerMessage.RoundResult(
              roundNumber, Optional.empty(), chain.height(), Optional.of(reason));
      LOG.info(
          "round {}: {} proposals ({} stale, {} ineligible), {} eligible validators, no winner"
              + " ({}), height {}",
          roundNumber,
          tally.proposals(),
          tally.stale(),
          tally.ineligible(),
          tally.eligibleValidators(),
          reason,
          chain.height());
    }
    deliverToAll(result);
    if (outcome instanceof RoundOutcome.Forged) {
      broadcastChain();
      lastPushNanos = OptionalLong.of(System.nanoTime());
    }
    long number = roundNumber;
    notifyListener(() -> listener.onRound(number, outcome));
    return new RoundReport(Optional.of(outcome), Optional.empty());
  }

  /** The winner's block could not be stored: the round forges nothing, and says so. */
  private RoundReport storeFailed(RoundOutcome.Forged forged, RuntimeException e) {
    long number = roundNumber;
    Block block = forged.block();
    String message = e instanceof ChainStoreException ? e.getMessage() : e.toString();
    boolean mismatch = !(e instanceof ChainStoreException);
    LOG.error(
        "round {}: block {} by {} could not be stored, so no block was forged this round: {}{}",
        number,
        block.index(),
        forged.winner(),
        message,
        mismatch ? "; the store no longer matches this server's chain: no further rounds" : "");
    notifyListener(() -> listener.onStoreFailed(number, block, message));
    deliverToAll(
        new ServerMessage.RoundResult(
            number, Optional.empty(), chain.height(), Optional.of(STORE_FAILED)));
    if (mismatch) {
      String reason =
          "the server has stopped forging: its chain store no longer matches its chain ("
              + message
              + "); no more rounds until the server is restarted";
      forgingStopped = Optional.of(reason);
      deliverToAll(new ServerMessage.Error(reason));
    }
    return new RoundReport(Optional.empty(), Optional.of(e));
  }

  /**
   * What {@link #runRound} did.
   *
   * @param outcome the round's outcome; empty when the winner's block could not be stored or the
   *     node has stopped forging
   * @param failure why there is no outcome
   */
  record RoundReport(Optional<RoundOutcome> outcome, Optional<RuntimeException> failure) {}

  /** Sends the whole chain to every connection. */
  void broadcastChain() {
    deliverToAll(ServerMessage.ChainUpdate.of(chain.blocks()));
  }

  /**
   * The periodic broadcast: sends the chain to every connection, unless a forged block's push sent
   * it less than a broadcast interval ago. So when the push and the periodic broadcast fall
   * together, a connection is not sent the same chain twice in a row (which would also count twice
   * against a slow consumer); every connection still gets the chain at least about once an
   * interval, by the push or by the broadcast.
   */
  void periodicBroadcast() {
    if (lastPushNanos.isPresent()
        && System.nanoTime() - lastPushNanos.getAsLong() < config.broadcastInterval().toNanos()) {
      LOG.debug("periodic chain broadcast skipped: the chain was pushed less than an interval ago");
      return;
    }
    broadcastChain();
  }

  /**
   * Closes every connection with {@code reason}; afterwards no connection is admitted.
   *
   * @return completes when every connection has closed (its last line written)
   */
  CompletableFuture<Void> shutDown(String reason) {
    shutDown = true;
    for (ValidatorSession session : List.copyOf(sessions)) {
      session.close(new ServerMessage.Closing(reason));
    }
    if (sessions.isEmpty()) {
      drained.complete(null);
    }
    return drained;
  }

  private void deliverToAll(ServerMessage message) {
    for (ValidatorSession session : sessions) {
      session.deliver(message);
    }
  }

  private void notifyListener(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.error("a server listener failed", e);
    }
  }
}
