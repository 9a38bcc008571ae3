package io.github.posj.net.server;

import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.node.Node;
import io.github.posj.core.node.NodeCommand;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.net.codec.ReasonText;
import io.github.posj.net.protocol.ServerMessage;
import io.github.posj.net.session.SessionHost;
import io.github.posj.net.session.ValidatorSession;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's host: the thin shell between the connections and the pure {@link Node}. It turns what
 * sessions ask into {@link NodeCommand}s (adding the clock's time and fresh address material),
 * applies them to the node, and acts on the {@link NodeEvent}s: answers go back to the asking
 * session, round results and chains to every connection, and every event to the {@link
 * ServerListener}. The node stores a forged block before its round's event exists, so nothing
 * announced here can be lost.
 *
 * <p>Every method runs on the owner thread (a single-threaded executor); connection handlers only
 * post tasks to it. The chain and the counts are published through volatile fields for readers on
 * other threads.
 *
 * <p>Not thread-safe; confine to the owner thread (except {@link #chain()}, {@link
 * #connectionCount()} and {@link #validatorCount()}).
 */
final class NodeHost implements SessionHost {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHost.class);

  /** Draws of address material before a registration gives up (a collision is ~2^-128). */
  private static final int ADDRESS_DRAWS = 3;

  private final ServerConfig config;
  private final ServerListener listener;
  private final Consumer<NodeCommand> commandLog;
  private final SecureRandom addressMaterial = new SecureRandom();
  private final Set<ValidatorSession> sessions = new LinkedHashSet<>();
  private ChainStore store;
  private Node node;
  private volatile Chain published;
  private volatile int connectionCount;
  private volatile int validatorCount;
  private boolean shutDown;
  private Optional<Instant> lastPush = Optional.empty();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  /**
   * A host that has not opened its store yet ({@link #open}).
   *
   * @param commandLog sees every command applied to the node, in order (a recorder for replays;
   *     {@code command -> {}} otherwise)
   */
  NodeHost(ServerConfig config, ServerListener listener, Consumer<NodeCommand> commandLog) {
    this.config = config;
    this.listener = listener;
    this.commandLog = commandLog;
  }

  /**
   * Opens the chain store and starts the node on what it holds; on the owner thread, before any
   * connection is served.
   *
   * @return what the store repaired on the way (one message each)
   * @throws ChainStoreException if the store cannot be opened
   */
  List<String> open() {
    ChainStore opening = config.chainStore().get();
    ChainStore.Opened opened;
    try {
      opened =
          opening.open(
              config.hashScheme(),
              config.hashScheme().genesis(GoTimestamp.format(config.clock().instant())));
    } catch (RuntimeException e) {
      opening.close();
      throw e;
    }
    store = opening;
    node = new Node(opened.chain(), store, config.nodeRules(), config.randomness().get());
    published = node.chain();
    return opened.repairs();
  }

  /** Closes the chain store, if it was opened; after the owner thread has stopped. */
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** The latest chain; any thread. */
  @Override
  public Chain chain() {
    return published;
  }

  /** Open, admitted connections; any thread. */
  int connectionCount() {
    return connectionCount;
  }

  /** Registered validators; any thread. */
  int validatorCount() {
    return validatorCount;
  }

  /** Open connections in the JSON-lines mode; on the owner thread, O(connections). */
  int jsonConnectionCount() {
    int json = 0;
    for (ValidatorSession session : sessions) {
      if (session.isJson()) {
        json++;
      }
    }
    return json;
  }

  /** Tells the listener the server is up. */
  void started(int port, List<String> repairs) {
    Chain chain = node.chain();
    notifyListener(
        () ->
            listener.onStarted(
                new ServerListener.Started(
                    config.bindAddress(),
                    port,
                    chain.scheme().name(),
                    chain.height(),
                    chain.head(),
                    config.roundDuration(),
                    repairs)));
  }

  @Override
  public boolean admit(ValidatorSession session) {
    if (!shutDown && sessions.size() >= config.maxConnections()) {
      evictTheMostIdle();
    }
    if (shutDown || sessions.size() >= config.maxConnections()) {
      LOG.warn("refused a connection: {} connections open", sessions.size());
      return false;
    }
    sessions.add(session);
    connectionCount = sessions.size();
    return true;
  }

  /**
   * On a full server, closes the registered validator that has gone the most rounds without a
   * proposal, if at least {@link ServerConfig#evictIdleAfterRounds()}: idle registrations never
   * hold every slot. O(connections), only when full.
   */
  private void evictTheMostIdle() {
    int threshold = config.evictIdleAfterRounds();
    if (threshold == 0) {
      return;
    }
    ValidatorSession idlest = null;
    for (ValidatorSession candidate : sessions) {
      if (candidate.state() == ValidatorSession.State.ACTIVE
          && candidate.idleRounds() >= threshold
          && (idlest == null || candidate.idleRounds() > idlest.idleRounds())) {
        idlest = candidate;
      }
    }
    if (idlest != null) {
      int rounds = idlest.idleRounds();
      idlest.close(new ServerMessage.Closing(ReasonText.evictedWhenFull(rounds)));
      // Its slot is free now: the close is under way, and it leaves the stake table with it.
      leave(idlest);
    }
  }

  @Override
  public NodeEvent register(long stake) {
    NodeEvent answer = null;
    for (int draw = 0; draw < ADDRESS_DRAWS; draw++) {
      byte[] material = new byte[Hash.LENGTH];
      addressMaterial.nextBytes(material);
      answer = single(new NodeCommand.Register(stake, Hash.of(material)));
      if (!(answer instanceof NodeEvent.RegistrationRefused refused
          && refused.reason() == NodeEvent.RegistrationRefused.Reason.ADDRESS_TAKEN)) {
        break;
      }
    }
    return answer;
  }

  @Override
  public NodeEvent propose(ValidatorId validator, long bpm) {
    return single(new NodeCommand.Propose(validator, bpm, config.clock().instant()));
  }

  @Override
  public Optional<NodeEvent.Slashed> proposeMalformed(ValidatorId validator, String bpm) {
    return apply(new NodeCommand.ProposeMalformed(validator, bpm)).stream()
        .filter(NodeEvent.Slashed.class::isInstance)
        .map(NodeEvent.Slashed.class::cast)
        .findFirst();
  }

  @Override
  public void withdraw(ValidatorId validator) {
    apply(new NodeCommand.Leave(validator));
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
    if (!shutDown) {
      // A stopping server does not report each validator leaving: the whole node goes.
      session.validator().ifPresent(validator -> apply(new NodeCommand.Leave(validator)));
    }
  }

  /**
   * Ends the round: the node draws, stores and appends; every connection is told the result, and
   * sent the new chain after a forged block.
   *
   * @return the round's events; empty when the node has stopped forging (no round ran)
   */
  List<NodeEvent> runRound() {
    return apply(new NodeCommand.EndRound());
  }

  /** Why the node stopped forging, or empty while it forges. */
  Optional<String> forgingStopped() {
    return node.forgingStopped();
  }

  /** Sends the whole chain to every connection. */
  void broadcastChain() {
    deliverToAll(new ServerMessage.ChainUpdate(node.chain().blocks()));
  }

  /**
   * The periodic broadcast: sends the chain to every connection, unless a forged block's push sent
   * it less than a broadcast interval ago (by the configured clock). So when the push and the
   * periodic broadcast fall together, a connection is not sent the same chain twice in a row (which
   * would also count twice against a slow consumer); every connection still gets the chain at least
   * about once an interval, by the push or by the broadcast.
   */
  void periodicBroadcast() {
    Instant now = config.clock().instant();
    if (lastPush.isPresent()
        && now.isBefore(lastPush.get().plus(config.broadcastInterval()))
        && !now.isBefore(lastPush.get())) {
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
  CompletableFuture<Void> shutDown() {
    shutDown = true;
    for (ValidatorSession session : List.copyOf(sessions)) {
      session.close(new ServerMessage.Closing(ReasonText.shuttingDown()));
    }
    if (sessions.isEmpty()) {
      drained.complete(null);
    }
    return drained;
  }

  private NodeEvent single(NodeCommand command) {
    return apply(command).get(0);
  }

  /** Applies {@code command} and acts on every event it causes; returns them. */
  private List<NodeEvent> apply(NodeCommand command) {
    commandLog.accept(command);
    List<NodeEvent> events = node.apply(command);
    Instant time = config.clock().instant();
    for (NodeEvent event : events) {
      if (LOG.isDebugEnabled()) {
        // Events may carry a client's text (a slashed BPM): never raw into a log. Guarded: an
        // event's text (a block, String.format) made for every proposal was a third of the
        // server's allocation under load with the log off.
        LOG.debug("{}", ReasonText.printable(event.toString()));
      }
      published = node.chain();
      // The listener first: it may pass the event on (the HTTP event stream), and that should
      // not queue behind every connection's writes on the event loops.
      notifyListener(() -> listener.onEvent(time, event));
      broadcast(event);
    }
    validatorCount = node.validatorCount();
    return events;
  }

  /**
   * What an event does to every connection, beyond answering the session that asked: a round's
   * result (and after a forged block the chain or the block), or the news that forging stopped.
   * Every other event concerns one session only, which has its answer already.
   */
  private void broadcast(NodeEvent event) {
    if (event instanceof NodeEvent.RoundEnded ended) {
      if (ended.outcome() instanceof RoundOutcome.Forged forged) {
        deliverToAll(
            new ServerMessage.RoundResult(
                ended.round(), Optional.of(forged.winner()), ended.height(), Optional.empty()));
        // Text and version 1 connections take the whole chain; version 2 the new block.
        broadcastChain();
        deliverToAll(new ServerMessage.BlockAdded(forged.block()));
        lastPush = Optional.of(config.clock().instant());
      } else {
        RoundOutcome.Skipped skipped = (RoundOutcome.Skipped) ended.outcome();
        deliverToAll(
            new ServerMessage.RoundResult(
                ended.round(), Optional.empty(), ended.height(), Optional.of(skipped.reason())));
      }
    } else if (event instanceof NodeEvent.ForgingStopped stopped) {
      deliverToAll(new ServerMessage.Error(ReasonText.forgingStopped(stopped.cause())));
    }
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
