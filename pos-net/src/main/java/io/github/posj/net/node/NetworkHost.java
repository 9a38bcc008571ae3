package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.crypto.Login;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.node.NetworkCommand;
import io.github.posj.core.node.NetworkEvent;
import io.github.posj.core.node.NetworkNode;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.codec.ReasonText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The network node's shell on its owner thread: connections, logins and announcements around the
 * pure {@link NetworkNode}. It turns what connections send into {@link NetworkCommand}s (adding the
 * clock's time), applies them, and acts on the {@link NetworkEvent}s: answers to the asking
 * connection, slots and blocks to every connection, everything to the listener. The node stores an
 * accepted block before its event exists, so nothing announced here can be lost.
 *
 * <p>Not thread-safe; every method runs on the owner thread (the handler only posts tasks).
 */
final class NetworkHost {
  private final NetworkServerConfig config;
  private final NetworkNode node;
  private final NetworkServerListener listener;
  private final EvidenceLog evidence;
  private final PublishedBlocks blocks;
  private final InstantSource clock;
  private final SecureRandom nonces = new SecureRandom();
  private final Map<Channel, Connection> connections = new LinkedHashMap<>();
  private final Map<PublicKey, Channel> loggedIn = new HashMap<>();
  private Optional<PeerNetwork> peers = Optional.empty();
  private volatile int connectionCount;
  private volatile int validatorCount;

  /** Per-connection state. */
  private static final class Connection {
    final String remote;
    final Hash nonce;
    boolean nonceUsed;
    PublicKey key;

    Connection(String remote, Hash nonce) {
      this.remote = remote;
      this.nonce = nonce;
    }
  }

  NetworkHost(
      NetworkServerConfig config,
      NetworkNode node,
      PublishedBlocks blocks,
      NetworkServerListener listener,
      EvidenceLog evidence) {
    this.config = config;
    this.node = node;
    this.blocks = blocks;
    this.listener = listener;
    this.evidence = evidence;
    this.clock = config.clock();
  }

  /** The node's peers, set once before the server starts, when it has any. */
  void peers(PeerNetwork network) {
    peers = Optional.of(network);
  }

  /**
   * The chain switched to a peer's (or grew by a peer's blocks), all stored: the published blocks
   * follow, and every connection hears of each new block.
   */
  void chainChanged(List<SignedBlock> removed, List<SignedBlock> added) {
    if (!removed.isEmpty()) {
      long forkIndex = removed.get(0).index() - 1;
      blocks.rollBackTo(forkIndex);
      listener.rolledBack(removed);
      // Each validator's onion stands where the new chain says (its rolled-back block's reveal is
      // unused again), before the new blocks are announced.
      for (Map.Entry<PublicKey, Channel> entry : loggedIn.entrySet()) {
        send(
            entry.getValue(),
            new NodeMessage.Switched(
                forkIndex, node.lastReveal(entry.getKey().address()).orElseThrow()));
      }
    }
    for (SignedBlock block : added) {
      blocks.add(block);
      listener.accepted(block);
      broadcast(new NodeMessage.Announced(block));
    }
    if (!removed.isEmpty()) {
      // The leaders of the coming slots may differ on the new chain.
      sendDuties(currentSlot());
    }
  }

  /** A peer passed on evidence, checked and new: keep it. */
  void peerEvidence(SignedBlock first, SignedBlock second) {
    try {
      evidence.record(first, second);
    } catch (RuntimeException e) {
      listener.evidenceNotStored(String.valueOf(e.getMessage()));
    }
    listener.evidence(first, second);
  }

  /** The peer connections that passed their hello (any thread). */
  int peerCount() {
    return peers.map(PeerNetwork::connectedCount).orElse(0);
  }

  int connectionCount() {
    return connectionCount;
  }

  int validatorCount() {
    return validatorCount;
  }

  /** The validators logged in now (a copy). */
  Set<ValidatorId> loggedInValidators() {
    Set<ValidatorId> validators = new HashSet<>();
    for (PublicKey key : loggedIn.keySet()) {
      validators.add(key.address());
    }
    return validators;
  }

  void connected(Channel channel) {
    if (connections.size() >= config.maxConnections() && !makeRoom()) {
      closeWith(
          channel,
          "the node serves at most "
              + config.maxConnections()
              + " connections, all of them logged-in validators; try again later");
      return;
    }
    byte[] nonce = new byte[Login.NONCE_LENGTH];
    nonces.nextBytes(nonce);
    Connection connection = new Connection(String.valueOf(channel.remoteAddress()), Hash.of(nonce));
    connections.put(channel, connection);
    connectionCount = connections.size();
    Genesis genesis = node.genesis();
    send(
        channel,
        new NodeMessage.Welcome(
            genesis.chainId(),
            genesis.hash(),
            genesis.genesisTime(),
            genesis.slotSeconds(),
            genesis.epochSlots(),
            node.head().index(),
            node.head().hash(),
            node.headSlot(),
            genesis.slotAt(clock.instant()),
            connection.nonce));
  }

  /**
   * Closes the oldest connection that has not logged in, so that a full node still lets a validator
   * in: watchers (and sockets that never speak) cannot hold every slot. False when every connection
   * is a logged-in validator.
   */
  private boolean makeRoom() {
    for (Map.Entry<Channel, Connection> entry : connections.entrySet()) {
      if (entry.getValue().key == null) {
        Channel oldest = entry.getKey();
        connections.remove(oldest);
        connectionCount = connections.size();
        closeWith(
            oldest,
            "the node is full: the connection that has not logged in for the longest makes room"
                + " for a new one");
        return true;
      }
    }
    return false;
  }

  void disconnected(Channel channel) {
    Connection connection = connections.remove(channel);
    if (connection != null && connection.key != null) {
      loggedIn.remove(connection.key, channel);
    }
    connectionCount = connections.size();
    validatorCount = loggedIn.size();
  }

  void received(Channel channel, NodeMessage message, Instant receivedAt) {
    Connection connection = connections.get(channel);
    if (connection == null) {
      return; // closed meanwhile
    }
    if (message instanceof NodeMessage.Auth auth) {
      login(channel, connection, auth);
    } else if (message instanceof NodeMessage.Propose propose) {
      if (connection.key == null) {
        send(
            channel,
            new NodeMessage.Error(
                "log in first: only a validator that logged in with auth may propose"));
        return;
      }
      for (NetworkEvent event :
          node.apply(new NetworkCommand.Submit(connection.key, propose.block(), receivedAt))) {
        handle(event, Optional.of(channel));
      }
    } else {
      send(
          channel,
          new NodeMessage.Error(
              "not a message a client sends: " + message.getClass().getSimpleName()));
    }
  }

  void tick() {
    for (NetworkEvent event : node.apply(new NetworkCommand.Tick(clock.instant()))) {
      handle(event, Optional.empty());
    }
  }

  /** How long until the next slot begins, by the clock. */
  Duration untilNextSlot() {
    Instant now = clock.instant();
    Genesis genesis = node.genesis();
    long slot = genesis.slotAt(now);
    Instant next = slot < 0 ? genesis.genesisTime() : genesis.slotStart(slot + 1);
    return Duration.between(now, next);
  }

  private void login(Channel channel, Connection connection, NodeMessage.Auth auth) {
    if (connection.nonceUsed) {
      closeWith(channel, "login failed: one login per connection; reconnect for a fresh nonce");
      return;
    }
    connection.nonceUsed = true;
    Genesis genesis = node.genesis();
    Optional<GenesisValidator> validator = genesis.validator(auth.publicKey());
    if (validator.isEmpty()) {
      loginFailed(
          channel,
          connection,
          "the key " + auth.publicKey().hex() + " is not a validator of this chain's genesis");
      return;
    }
    if (!Login.verify(auth.publicKey(), genesis.hash(), connection.nonce, auth.signature())) {
      loginFailed(
          channel,
          connection,
          "the signature does not verify for this connection's nonce and genesis (sign"
              + " \"posj/auth/v1\" 0x00 || genesisHash || nonce || pubkey; docs/network.md section 9)");
      return;
    }
    Channel previous = loggedIn.put(auth.publicKey(), channel);
    if (previous != null && previous != channel) {
      Connection old = connections.get(previous);
      if (old != null) {
        old.key = null;
      }
      closeWith(previous, "this validator logged in again from another connection");
    }
    connection.key = auth.publicKey();
    validatorCount = loggedIn.size();
    ValidatorId address = auth.publicKey().address();
    send(
        channel,
        new NodeMessage.LoggedIn(
            address,
            validator.get().stake(),
            node.lastReveal(address).orElseThrow(),
            node.slotsLedBy(address, currentSlot())));
    listener.loggedIn(address, connection.remote);
  }

  private void loginFailed(Channel channel, Connection connection, String reason) {
    listener.loginFailed(connection.remote, reason);
    closeWith(channel, "login failed: " + reason);
  }

  private long currentSlot() {
    return node.genesis().slotAt(clock.instant());
  }

  private void handle(NetworkEvent event, Optional<Channel> asker) {
    if (event instanceof NetworkEvent.Accepted accepted) {
      SignedBlock block = accepted.block();
      blocks.add(block);
      // The listener first: an HTTP event stream's writes are then queued ahead of the broadcast.
      listener.accepted(block);
      asker.ifPresent(c -> send(c, new NodeMessage.Accepted(block.index(), block.hash())));
      broadcast(new NodeMessage.Announced(block));
      peers.ifPresent(p -> p.localAccepted(block));
    } else if (event instanceof NetworkEvent.Refused refused) {
      String code = ReasonText.refusalCode(refused.reason());
      asker.ifPresent(
          c ->
              send(
                  c,
                  new NodeMessage.Refused(
                      refused.block().slot(),
                      code,
                      refused.rule().map(v -> v.rule().name()),
                      refused.detail())));
      listener.refused(refused.block(), code, refused.detail());
    } else if (event instanceof NetworkEvent.EvidenceFound found) {
      try {
        evidence.record(found.first(), found.second());
      } catch (RuntimeException e) {
        listener.evidenceNotStored(String.valueOf(e.getMessage()));
      }
      asker.ifPresent(
          c ->
              send(
                  c,
                  new NodeMessage.Refused(
                      found.second().slot(),
                      "equivocation",
                      Optional.empty(),
                      "this key already signed a different block for slot "
                          + found.second().slot()
                          + "; both are kept as evidence")));
      listener.evidence(found.first(), found.second());
      peers.ifPresent(p -> p.localEvidence(found.first(), found.second()));
    } else if (event instanceof NetworkEvent.SlotStarted started) {
      broadcast(new NodeMessage.SlotStarted(started.slot(), started.epoch(), started.leader()));
      if (started.slot() % node.genesis().epochSlots() == 0) {
        sendDuties(started.slot());
      }
      listener.slotStarted(started.slot(), started.epoch(), started.leader());
    } else if (event instanceof NetworkEvent.SlotMissed missed) {
      listener.slotMissed(missed.slot(), missed.leader());
    } else if (event instanceof NetworkEvent.ForgingStopped stopped) {
      asker.ifPresent(
          c ->
              send(
                  c,
                  new NodeMessage.Refused(
                      -1, "forging-stopped", Optional.empty(), stopped.reason())));
      listener.forgingStopped(stopped.reason());
    }
  }

  private void sendDuties(long slot) {
    for (Map.Entry<PublicKey, Channel> entry : loggedIn.entrySet()) {
      send(
          entry.getValue(),
          new NodeMessage.Duties(node.slotsLedBy(entry.getKey().address(), slot)));
    }
  }

  private void broadcast(NodeMessage message) {
    ByteBuf shared =
        Unpooled.wrappedBuffer((NodeWire.encode(message) + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      for (Channel channel : List.copyOf(connections.keySet())) {
        write(channel, shared.retainedDuplicate());
      }
    } finally {
      shared.release();
    }
  }

  void send(Channel channel, NodeMessage message) {
    write(
        channel,
        Unpooled.wrappedBuffer((NodeWire.encode(message) + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Writes unless the connection already holds more unsent bytes than its limit: a client that does
   * not read is closed, never buffered for without bound.
   */
  private void write(Channel channel, ByteBuf bytes) {
    if (!channel.isActive()) {
      bytes.release();
      return;
    }
    if (!channel.isWritable()) {
      bytes.release();
      channel.close();
      return;
    }
    channel.writeAndFlush(bytes, channel.voidPromise());
  }

  private void closeWith(Channel channel, String reason) {
    ByteBuf line =
        Unpooled.wrappedBuffer(
            (NodeWire.encode(new NodeMessage.Closing(reason)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    channel.writeAndFlush(line).addListener(ChannelFutureListener.CLOSE);
  }

  /** Says goodbye to every connection (shutdown). */
  void closeAll(String reason) {
    for (Channel channel : List.copyOf(connections.keySet())) {
      closeWith(channel, reason);
    }
  }
}
