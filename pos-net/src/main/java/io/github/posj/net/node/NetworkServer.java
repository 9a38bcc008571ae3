package io.github.posj.net.node;

import io.github.posj.core.block.Block;
import io.github.posj.core.node.NetworkNode;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.net.server.BindFailure;
import io.github.posj.net.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code pos node}: a network-mode node on TCP ({@code posj-node/1}, {@code docs/network.md}
 * section 11). One owner thread holds the {@link NetworkNode}, the connections and the logins;
 * Netty's I/O threads decode lines and post them to it. The server ticks at every slot boundary by
 * its clock.
 *
 * <p>Thread-safe: its methods may be called from any thread.
 */
public final class NetworkServer implements AutoCloseable {
  private final ScheduledExecutorService owner;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel channel;
  private final NetworkHost host;
  private final NetworkNode node;
  private final SignedChainStore store;
  private final int port;
  private final Optional<NetworkApi> api;
  private final Optional<PeerNetwork> peers;
  private final Optional<Channel> peerChannel;
  private volatile Block head;
  private volatile boolean closed;

  private NetworkServer(
      ScheduledExecutorService owner,
      EventLoopGroup bossGroup,
      EventLoopGroup workerGroup,
      Channel channel,
      NetworkHost host,
      NetworkNode node,
      SignedChainStore store,
      Optional<NetworkApi> api,
      Optional<PeerNetwork> peers,
      Optional<Channel> peerChannel) {
    this.owner = owner;
    this.bossGroup = bossGroup;
    this.workerGroup = workerGroup;
    this.channel = channel;
    this.host = host;
    this.node = node;
    this.store = store;
    this.api = api;
    this.peers = peers;
    this.peerChannel = peerChannel;
    this.port = ((java.net.InetSocketAddress) channel.localAddress()).getPort();
    this.head = node.head();
  }

  /**
   * Starts a node on the chain an opened store holds, and listens.
   *
   * @param opened what {@link SignedChainStore#open} returned for {@code config.genesis()}
   * @param store the opened store; owned by the server from now on (closed by {@link #close})
   * @param evidence where equivocation evidence is kept
   * @throws IllegalStateException if the address cannot be bound, with the address and the cause
   */
  public static NetworkServer start(
      NetworkServerConfig config,
      SignedChainStore.Opened opened,
      SignedChainStore store,
      EvidenceLog evidence,
      NetworkServerListener listener) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(opened, "opened");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(listener, "listener");
    if (!opened.state().genesis().equals(config.genesis())) {
      throw new IllegalArgumentException("the store was opened for another genesis");
    }
    PublishedBlocks blocks = new PublishedBlocks(config.genesis(), opened.blocks());
    Optional<NetworkApi> api =
        config
            .http()
            .map(settings -> new NetworkApi(settings, config.clock(), config.genesis(), blocks));
    SignedChainStore appendTo = api.map(a -> a.instrument(store)).orElse(store);
    NetworkServerListener listening = api.map(a -> a.listening(listener)).orElse(listener);
    NetworkNode node = new NetworkNode(opened, appendTo);
    NetworkHost host = new NetworkHost(config, node, blocks, listening, evidence);
    // Before any thread starts: a transport that cannot load fails here.
    Transport transport = Transport.current();
    int ioThreads = Transport.ioThreads();
    ScheduledExecutorService owner =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("posj-node", true));
    EventLoopGroup bossGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("posj-accept", true), transport.ioHandlerFactory());
    EventLoopGroup workerGroup =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("posj-io", true), transport.ioHandlerFactory());
    int high = config.maxOutboundBufferBytes();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(transport.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new LineBasedFrameDecoder(config.maxLineLength(), true, true))
                        .addLast(new NodeChannelHandler(host, blocks, owner, config.clock()));
                  }
                });
    Channel channel;
    try {
      channel = bootstrap.bind(config.bindAddress(), config.port()).syncUninterruptibly().channel();
    } catch (Exception e) {
      stopThreads(owner, bossGroup, workerGroup);
      throw BindFailure.of(config.bindAddress(), config.port(), e);
    }
    Optional<PeerNetwork> peers = Optional.empty();
    Optional<Channel> peerChannel = Optional.empty();
    PeerSettings peerSettings = config.peers();
    if (peerSettings.enabled()) {
      PeerNetwork network =
          new PeerNetwork(peerSettings, node, host, listening, config.clock(), owner);
      host.peers(network);
      peers = Optional.of(network);
      if (peerSettings.port().isPresent()) {
        ServerBootstrap peerBootstrap =
            new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(
                    ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
                .childHandler(peerInitializer(network, blocks, owner, config, Optional.empty()));
        try {
          peerChannel =
              Optional.of(
                  peerBootstrap
                      .bind(config.bindAddress(), peerSettings.port().getAsInt())
                      .syncUninterruptibly()
                      .channel());
        } catch (Exception e) {
          channel.close().syncUninterruptibly();
          stopThreads(owner, bossGroup, workerGroup);
          throw BindFailure.of(config.bindAddress(), peerSettings.port().getAsInt(), e);
        }
      }
    }
    if (api.isPresent()) {
      try {
        api.get().bind(host, bossGroup, workerGroup);
      } catch (IllegalStateException e) {
        channel.close().syncUninterruptibly();
        peerChannel.ifPresent(c -> c.close().syncUninterruptibly());
        stopThreads(owner, bossGroup, workerGroup);
        throw e;
      }
    }
    NetworkServer server =
        new NetworkServer(
            owner, bossGroup, workerGroup, channel, host, node, store, api, peers, peerChannel);
    if (peers.isPresent()) {
      PeerNetwork network = peers.get();
      Optional<String> listen =
          server.peerPort().isPresent()
              ? Optional.of(advertised(config.bindAddress()) + ":" + server.peerPort().getAsInt())
              : Optional.empty();
      owner.execute(
          () ->
              network.start(
                  listen,
                  address ->
                      new Bootstrap()
                          .group(workerGroup)
                          .channel(transport.clientChannel())
                          .option(ChannelOption.TCP_NODELAY, true)
                          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                          .option(
                              ChannelOption.WRITE_BUFFER_WATER_MARK,
                              new WriteBufferWaterMark(high / 2, high))
                          .handler(
                              peerInitializer(
                                  network, blocks, owner, config, Optional.of(address)))));
      owner.scheduleWithFixedDelay(network::tick, 1, 1, TimeUnit.SECONDS);
    }
    List<String> repairs = opened.repairs();
    owner.execute(
        () -> {
          listening.started(server.port, repairs);
          // The first snapshot is published: HTTP requests can be answered from now on.
          server.api.ifPresent(a -> a.started(owner));
        });
    if (config.scheduleTicks()) {
      owner.execute(server::scheduledTick);
    }
    return server;
  }

  private static ChannelInitializer<Channel> peerInitializer(
      PeerNetwork network,
      PublishedBlocks blocks,
      ScheduledExecutorService owner,
      NetworkServerConfig config,
      Optional<String> dialed) {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline()
            .addLast(new LineBasedFrameDecoder(config.peers().maxLineLength(), true, true))
            .addLast(
                new PeerHandler(network, blocks, owner, config.clock(), config.peers(), dialed));
      }
    };
  }

  /** The address peers are told to dial: the bind address, or loopback for a wildcard one. */
  private static String advertised(String bindAddress) {
    if (bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.isEmpty()) {
      return "127.0.0.1";
    }
    return bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress;
  }

  private static void stopThreads(
      ScheduledExecutorService owner, EventLoopGroup bossGroup, EventLoopGroup workerGroup) {
    owner.shutdownNow();
    bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private void scheduledTick() {
    if (closed) {
      return;
    }
    host.tick();
    head = node.head();
    long millis = Math.max(1, host.untilNextSlot().toMillis() + 1);
    owner.schedule(this::scheduledTick, millis, TimeUnit.MILLISECONDS);
  }

  /** Ticks now by the configured clock (tests that drive time themselves). */
  public CompletableFuture<Void> tick() {
    return CompletableFuture.runAsync(
        () -> {
          host.tick();
          head = node.head();
        },
        owner);
  }

  /** Runs {@code task} on the owner thread after everything posted before it (tests). */
  CompletableFuture<Void> sync() {
    return CompletableFuture.runAsync(() -> head = node.head(), owner);
  }

  /** The port it listens on (the real one when the configuration said 0). */
  public int port() {
    return port;
  }

  /** The HTTP API's port (the real one when the settings said 0); empty when it is off. */
  public OptionalInt httpPort() {
    return api.map(a -> OptionalInt.of(a.port())).orElse(OptionalInt.empty());
  }

  /** The chain's head as of the last slot boundary or {@link #headNow()}. */
  public Block head() {
    return head;
  }

  /** The chain's head now, read on the owner thread. */
  public Block headNow() {
    return CompletableFuture.supplyAsync(node::head, owner).join();
  }

  /** The peer port (the real one when the settings said 0); empty when there is none. */
  public OptionalInt peerPort() {
    return peerChannel
        .map(c -> OptionalInt.of(((java.net.InetSocketAddress) c.localAddress()).getPort()))
        .orElse(OptionalInt.empty());
  }

  /** The peer connections that passed their hello. */
  public int peerCount() {
    return peers.map(PeerNetwork::connectedCount).orElse(0);
  }

  /** The number of open connections. */
  public int connectionCount() {
    return host.connectionCount();
  }

  /** The number of logged-in validators. */
  public int validatorCount() {
    return host.validatorCount();
  }

  /** Says goodbye to every connection, stops listening and closes the store; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      CompletableFuture.runAsync(
              () -> {
                peers.ifPresent(p -> p.closeAll("the node is shutting down"));
                host.closeAll("the node is shutting down");
              },
              owner)
          .get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // shutting down anyway
    }
    channel.close().syncUninterruptibly();
    peerChannel.ifPresent(c -> c.close().syncUninterruptibly());
    api.ifPresent(NetworkApi::close);
    workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    try {
      CompletableFuture.runAsync(store::close, owner).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      store.close();
    }
    owner.shutdownNow();
  }
}
