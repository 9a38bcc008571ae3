package io.github.posj.net.node;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.node.ChainSync;
import io.github.posj.core.node.NetworkNode;
import io.github.posj.core.node.SyncEvent;
import io.github.posj.core.text.UntrustedText;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The node's peers, on its owner thread: the peer protocol's hello and messages around the pure
 * {@link ChainSync}, dialling with backoff, and a bounded peer exchange. What the sync decides (ask
 * for blocks, drop a peer, a new chain to announce) is done here and through the {@link
 * NetworkHost}.
 *
 * <p>Not thread-safe; every method runs on the owner thread.
 */
final class PeerNetwork {
  /** The first wait before dialling a peer again. */
  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

  /** How often a learned address that cannot be reached is tried before it is forgotten. */
  static final int LEARNED_ATTEMPTS = 3;

  private final PeerSettings settings;
  private final Genesis genesis;
  private final NetworkNode node;
  private final ChainSync sync;
  private final NetworkHost host;
  private final NetworkServerListener listener;
  private final InstantSource clock;
  private final ScheduledExecutorService owner;
  private final String nodeId;
  private final Map<Channel, Peer> peers = new LinkedHashMap<>();
  private final Map<String, Dial> known = new LinkedHashMap<>();
  private Optional<String> listen = Optional.empty();
  private Function<String, Bootstrap> dialer;
  private long nextId = 1;
  private boolean closed;
  private volatile int connectedCount;

  private static final class Peer {
    final long id;
    final String remote;
    final Optional<String> dialed;
    boolean hello;
    boolean closeReported;
    String nodeId;
    Optional<String> listen = Optional.empty();

    Peer(long id, String remote, Optional<String> dialed) {
      this.id = id;
      this.remote = remote;
      this.dialed = dialed;
    }
  }

  private static final class Dial {
    final boolean configured;
    boolean connecting;
    Channel channel;
    Duration backoff = FIRST_BACKOFF;
    ScheduledFuture<?> retry;
    int failures;
    boolean self;

    Dial(boolean configured) {
      this.configured = configured;
    }
  }

  PeerNetwork(
      PeerSettings settings,
      NetworkNode node,
      NetworkHost host,
      NetworkServerListener listener,
      InstantSource clock,
      ScheduledExecutorService owner) {
    this.settings = settings;
    this.genesis = node.genesis();
    this.node = node;
    this.sync = new ChainSync(node, settings.sync());
    this.host = host;
    this.listener = listener;
    this.clock = clock;
    this.owner = owner;
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    this.nodeId = HexFormat.of().formatHex(id);
  }

  /** The genesis (immutable; any thread). */
  Genesis genesis() {
    return genesis;
  }

  /** The peer connections that passed their hello (any thread). */
  int connectedCount() {
    return connectedCount;
  }

  /**
   * Starts dialling the configured peers; {@code listenAddress} is this node's own peer port (for
   * peer exchange), and {@code dialer} makes the bootstrap that connects to one address.
   */
  void start(Optional<String> listenAddress, Function<String, Bootstrap> dialerOf) {
    this.listen = listenAddress;
    this.dialer = dialerOf;
    for (String address : settings.peers()) {
      known.putIfAbsent(address, new Dial(true));
    }
    dialMore();
  }

  void connected(Channel channel, Optional<String> dialed) {
    if (closed) {
      channel.close();
      return;
    }
    dialed.map(known::get).ifPresent(d -> d.channel = channel);
    // Incoming and dialled connections are counted apart, so that connections from others, however
    // many, never keep this node from the peers it dials itself.
    if (count(dialed.isPresent()) >= settings.maxPeers()) {
      closeWith(
          channel,
          "the node has its most "
              + (dialed.isPresent() ? "dialled" : "incoming")
              + " peer connections ("
              + settings.maxPeers()
              + ")");
      return;
    }
    Peer peer = new Peer(nextId++, String.valueOf(channel.remoteAddress()), dialed);
    peers.put(channel, peer);
    send(channel, new PeerMessage.Hello(genesis.hash(), nodeId, listen));
    owner.schedule(
        () -> {
          if (peers.get(channel) == peer && !peer.hello) {
            drop(channel, "no hello within " + settings.helloTimeout().toMillis() + " ms");
          }
        },
        settings.helloTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The peer connections this node dialled ({@code true}) or accepted ({@code false}). */
  private int count(boolean dialled) {
    int n = 0;
    for (Map.Entry<Channel, Peer> entry : peers.entrySet()) {
      // A connection this node is closing (lingering for its closing line) no longer counts.
      if (entry.getValue().dialed.isPresent() == dialled
          && entry.getKey().attr(PeerHandler.CLOSING).get() == null) {
        n++;
      }
    }
    return n;
  }

  void disconnected(Channel channel) {
    // First the addresses this connection served (also one closed before its hello, e.g. when
    // the node had its most peers): they are dialled again later.
    for (Map.Entry<String, Dial> entry : List.copyOf(known.entrySet())) {
      if (entry.getValue().channel == channel) {
        entry.getValue().channel = null;
        retryLater(entry.getKey(), entry.getValue());
      }
    }
    Peer peer = peers.remove(channel);
    if (peer == null) {
      return;
    }
    if (peer.hello) {
      connectedCount = (int) peers.values().stream().filter(p -> p.hello).count();
      handle(sync.disconnected(peer.id, clock.instant()));
      if (!peer.closeReported) {
        listener.peerClosed(peer.remote, "");
      }
    }
  }

  /** The addresses whose connection was {@code from} are now served by {@code to}. */
  private void redirectDials(Channel from, Channel to) {
    for (Dial d : known.values()) {
      if (d.channel == from) {
        d.channel = to;
      }
    }
  }

  /** Why this node closes {@code channel} (reported once the handler closes it). */
  void closingReason(Channel channel, String reason) {
    report(peers.get(channel), reason);
  }

  private void report(Peer peer, String reason) {
    if (peer != null && !peer.closeReported) {
      peer.closeReported = true;
      listener.peerClosed(peer.remote, reason);
    }
  }

  void received(Channel channel, PeerMessage message) {
    Peer peer = peers.get(channel);
    if (peer == null || !channel.isActive()) {
      return;
    }
    if (!peer.hello) {
      hello(channel, peer, message);
      return;
    }
    var now = clock.instant();
    if (message instanceof PeerMessage.Status s) {
      handle(sync.status(peer.id, s.height(), s.head(), now));
    } else if (message instanceof PeerMessage.NewBlock n) {
      handle(sync.block(peer.id, n.block(), now));
    } else if (message instanceof PeerMessage.Evidence e) {
      handle(sync.evidence(peer.id, e.first(), e.second(), now));
    } else if (message instanceof PeerMessage.GetPeers) {
      List<String> addresses = new ArrayList<>();
      for (Peer p : peers.values()) {
        if (p != peer && p.hello && p.listen.isPresent()) {
          addresses.add(p.listen.get());
        }
        if (addresses.size() == PeerMessage.MAX_PEERS_PER_ANSWER) {
          break;
        }
      }
      send(channel, new PeerMessage.Peers(addresses));
    } else if (message instanceof PeerMessage.Peers p) {
      learn(p.peers());
    } else if (message instanceof PeerMessage.Closing c) {
      report(peer, "it said: " + UntrustedText.escape(c.reason()));
    } else if (message instanceof PeerMessage.Hello) {
      drop(channel, "a second hello on one connection");
    }
  }

  /**
   * A peer answered a {@code get-blocks} of this node's with {@code answer}; {@code signatureValid}
   * holds each block's signature check, made on the I/O thread.
   */
  void receivedBlocks(Channel channel, PeerMessage.Blocks answer, boolean[] signatureValid) {
    Peer peer = peers.get(channel);
    if (peer == null || !channel.isActive() || !peer.hello) {
      return;
    }
    handle(sync.blocks(peer.id, answer.from(), answer.blocks(), signatureValid, clock.instant()));
  }

  private void hello(Channel channel, Peer peer, PeerMessage message) {
    if (!(message instanceof PeerMessage.Hello hello)) {
      drop(channel, "a peer's first line is its hello");
      return;
    }
    if (!hello.genesisHash().equals(genesis.hash())) {
      drop(
          channel,
          "another genesis: this node's chain is "
              + genesis.chainId()
              + " with genesis hash "
              + genesis.hash().hex()
              + ", the peer's genesis hash is "
              + hello.genesisHash().hex());
      peer.dialed.map(known::get).ifPresent(d -> d.failures = LEARNED_ATTEMPTS);
      return;
    }
    if (hello.nodeId().equals(nodeId)) {
      peer.dialed.map(known::get).ifPresent(d -> d.self = true);
      drop(channel, "a connection of this node to itself");
      return;
    }
    for (Map.Entry<Channel, Peer> entry : peers.entrySet()) {
      Peer other = entry.getValue();
      if (other.hello && hello.nodeId().equals(other.nodeId)) {
        // Both nodes dialled each other: both keep the connection dialled by the lower node id.
        String newDialer = peer.dialed.isPresent() ? nodeId : hello.nodeId();
        String oldDialer = other.dialed.isPresent() ? nodeId : other.nodeId;
        if (newDialer.compareTo(oldDialer) < 0) {
          redirectDials(entry.getKey(), channel);
          drop(entry.getKey(), "already connected to this peer");
          break;
        }
        // The address this node dialled is served by the connection kept: dial it again only
        // when that one closes.
        redirectDials(channel, entry.getKey());
        drop(channel, "already connected to this peer");
        return;
      }
    }
    peer.hello = true;
    peer.nodeId = hello.nodeId();
    peer.listen = hello.listen();
    connectedCount = (int) peers.values().stream().filter(p -> p.hello).count();
    peer.dialed
        .map(known::get)
        .ifPresent(
            d -> {
              d.backoff = FIRST_BACKOFF;
              d.failures = 0;
            });
    sync.connected(peer.id);
    listener.peerConnected(peer.remote, peer.dialed.isPresent());
    send(channel, status());
    send(channel, new PeerMessage.GetPeers());
  }

  /** Time passed: requests that took too long are given up (and their peers dropped). */
  void tick() {
    handle(sync.tick(clock.instant()));
  }

  /** A validator's block was accepted: tell the peers. */
  void localAccepted(SignedBlock block) {
    broadcast(status(), -1);
    broadcast(new PeerMessage.NewBlock(block), -1);
  }

  /** A validator signed two blocks for one slot: pass the evidence on, once. */
  void localEvidence(SignedBlock first, SignedBlock second) {
    if (sync.noteEvidence(first, second)) {
      broadcast(new PeerMessage.Evidence(first, second), -1);
    }
  }

  private void handle(List<SyncEvent> events) {
    for (SyncEvent event : events) {
      if (event instanceof SyncEvent.Request r) {
        channelOf(r.peer())
            .ifPresent(
                c -> {
                  c.attr(PeerHandler.UNANSWERED).get().incrementAndGet();
                  send(c, new PeerMessage.GetBlocks(r.from(), r.count()));
                });
      } else if (event instanceof SyncEvent.Drop d) {
        channelOf(d.peer()).ifPresent(c -> drop(c, d.reason()));
      } else if (event instanceof SyncEvent.ChainChanged c) {
        host.chainChanged(c.removed(), c.added());
        broadcast(status(), -1);
        if (c.removed().isEmpty() && c.added().size() == 1) {
          broadcast(new PeerMessage.NewBlock(c.added().get(0)), c.source());
        }
      } else if (event instanceof SyncEvent.Evidence e) {
        host.peerEvidence(e.first(), e.second());
        broadcast(new PeerMessage.Evidence(e.first(), e.second()), e.source());
      } else if (event instanceof SyncEvent.NotStored n) {
        listener.peerBlocksNotStored(n.reason());
      }
    }
  }

  private PeerMessage.Status status() {
    Block head = node.head();
    return new PeerMessage.Status(
        head.index(), head.hash(), node.headSlot(), node.finalizedIndex());
  }

  private Optional<Channel> channelOf(long id) {
    for (Map.Entry<Channel, Peer> entry : peers.entrySet()) {
      if (entry.getValue().id == id) {
        return Optional.of(entry.getKey());
      }
    }
    return Optional.empty();
  }

  private void broadcast(PeerMessage message, long except) {
    for (Map.Entry<Channel, Peer> entry : List.copyOf(peers.entrySet())) {
      if (entry.getValue().hello && entry.getValue().id != except) {
        send(entry.getKey(), message);
      }
    }
  }

  private void learn(List<String> addresses) {
    for (String address : addresses) {
      if (known.size() >= PeerSettings.MAX_KNOWN_ADDRESSES) {
        break;
      }
      if (known.containsKey(address) || listen.map(address::equals).orElse(false)) {
        continue;
      }
      if (!settings.learnAnyAddress() && !isLoopback(address)) {
        continue;
      }
      known.put(address, new Dial(false));
    }
    dialMore();
  }

  private static boolean isLoopback(String address) {
    String hostPart = address.substring(0, address.lastIndexOf(':'));
    if (hostPart.startsWith("[")) {
      hostPart = hostPart.substring(1, hostPart.length() - 1);
    }
    if (hostPart.equals("localhost")) {
      return true;
    }
    if (!hostPart.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
      return false; // a name: not resolved here, so not known to be loopback
    }
    try {
      return InetAddress.getByName(hostPart).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private void dialMore() {
    if (closed || dialer == null) {
      return;
    }
    int busy = count(true);
    for (Dial d : known.values()) {
      if (d.connecting) {
        busy++;
      }
    }
    for (Map.Entry<String, Dial> entry : known.entrySet()) {
      Dial d = entry.getValue();
      if (busy >= settings.maxPeers()) {
        return;
      }
      if (d.self || d.connecting || d.channel != null || d.retry != null) {
        continue;
      }
      dial(entry.getKey(), d);
      busy++;
    }
  }

  private void dial(String address, Dial d) {
    int colon = address.lastIndexOf(':');
    String hostPart = address.substring(0, colon);
    if (hostPart.startsWith("[")) {
      hostPart = hostPart.substring(1, hostPart.length() - 1);
    }
    int port = Integer.parseInt(address.substring(colon + 1));
    d.connecting = true;
    ChannelFuture future = dialer.apply(address).connect(hostPart, port);
    future.addListener(
        (ChannelFutureListener)
            f ->
                owner.execute(
                    () -> {
                      d.connecting = false;
                      if (!f.isSuccess()) {
                        Optional<Duration> retry = retryLater(address, d);
                        listener.peerUnreachable(address, whyNot(f.cause()), retry);
                      }
                    }));
  }

  /** Why a dial failed, in words (Netty's native messages name syscalls). */
  private static String whyNot(Throwable cause) {
    String message = cause == null ? null : cause.getMessage();
    if (message == null) {
      return "cannot connect";
    }
    if (message.contains("Connection refused")) {
      return "connection refused (no node listens there with --peer-port)";
    }
    if (message.contains("timed out")) {
      return "no answer within 5 s";
    }
    return message;
  }

  /** Schedules the next dial of {@code address}; how long until it, or empty if none. */
  private Optional<Duration> retryLater(String address, Dial d) {
    if (closed || d.self) {
      return Optional.empty();
    }
    if (!d.configured && ++d.failures >= LEARNED_ATTEMPTS) {
      known.remove(address);
      return Optional.empty();
    }
    Duration wait = d.backoff;
    Duration doubled = d.backoff.multipliedBy(2);
    d.backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    d.retry =
        owner.schedule(
            () -> {
              d.retry = null;
              dialMore();
            },
            wait.toMillis(),
            TimeUnit.MILLISECONDS);
    return Optional.of(wait);
  }

  private void drop(Channel channel, String reason) {
    report(peers.get(channel), reason);
    closeWith(channel, reason);
  }

  private void closeWith(Channel channel, String reason) {
    PeerHandler.closeWith(channel, reason);
  }

  private void send(Channel channel, PeerMessage message) {
    if (!channel.isActive()) {
      return;
    }
    if (!channel.isWritable()) {
      // A peer that does not read would never take a closing line either.
      report(peers.get(channel), "it does not read what this node sends");
      channel.close();
      return;
    }
    channel.writeAndFlush(PeerHandler.line(message), channel.voidPromise());
  }

  /** Says goodbye to every peer and dials no more (shutdown). */
  void closeAll(String reason) {
    closed = true;
    for (Dial d : known.values()) {
      if (d.retry != null) {
        d.retry.cancel(false);
      }
    }
    for (Channel channel : List.copyOf(peers.keySet())) {
      closeWith(channel, reason);
    }
  }
}
