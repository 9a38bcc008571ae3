package io.github.posj.net.server;

import io.github.posj.core.chain.Chain;
import io.github.posj.core.node.NodeCommand;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.net.codec.ReasonText;
import io.github.posj.net.session.Inbox;
import io.github.posj.net.session.Outbox;
import io.github.posj.net.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running validator server: accepts validators over TCP (the tutorial's text dialogue, or JSON
 * lines; {@code docs/protocol.md}), runs a round every {@link ServerConfig#roundDuration()} and
 * sends the chain to every connection after each forged block and every {@link
 * ServerConfig#broadcastInterval()} (unless a forged block's push just did). Both schedules have a
 * fixed delay, and stop as soon as {@link #close()} begins.
 *
 * <p>One thread, the owner, holds the chain, the stake table and the round's candidates; Netty's
 * event loops only decode lines into events for it and write its messages. Rounds, whether
 * scheduled or run by {@link #runRoundNow()}, take the same path on that thread.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class ValidatorServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatorServer.class);

  private final NodeHost state;
  private final ServerChannelInitializer initializer;
  private final ScheduledExecutorService owner;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel serverChannel;
  private final int port;
  private final Optional<ApiEndpoint> api;
  private final Duration drainTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ScheduledFuture<?> roundSchedule;
  private volatile ScheduledFuture<?> broadcastSchedule;

  private ValidatorServer(
      ServerConfig config,
      NodeHost state,
      ServerChannelInitializer initializer,
      ScheduledExecutorService owner,
      EventLoopGroup bossGroup,
      EventLoopGroup workerGroup,
      Channel serverChannel,
      Optional<ApiEndpoint> api) {
    // Every connection closes within the close grace period; a second more for the I/O.
    this.drainTimeout = config.closeGracePeriod().plusSeconds(1);
    this.state = state;
    this.initializer = initializer;
    this.owner = owner;
    this.bossGroup = bossGroup;
    this.workerGroup = workerGroup;
    this.serverChannel = serverChannel;
    this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    this.api = api;
  }

  /**
   * Binds {@code config.bindAddress():config.port()}, opens the chain store and starts the rounds.
   * The address is bound first, so a server that cannot listen touches no data; no connection is
   * accepted before the chain is loaded.
   *
   * @throws io.github.posj.core.store.ChainStoreException if the chain store cannot be opened (in
   *     use, unreadable, or holding an invalid chain: the message names the block)
   * @throws IllegalStateException if the address cannot be bound (e.g. the port is taken), with the
   *     address and the cause in the message
   */
  public static ValidatorServer start(ServerConfig config, ServerListener listener) {
    return start(config, listener, command -> {});
  }

  /** As {@link #start(ServerConfig, ServerListener)}, showing every node command to {@code log}. */
  static ValidatorServer start(
      ServerConfig config, ServerListener listener, Consumer<NodeCommand> log) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    // First: a transport that cannot load fails before any thread starts.
    Transport transport = Transport.current();
    int ioThreads = Transport.ioThreads();
    // The owner's writes to connections leave it in one batch per event loop after each task.
    Outbox outbox = Outbox.batching();
    ScheduledExecutorService owner =
        new OwnerExecutor(new DefaultThreadFactory("posj-node", true), outbox::flush);
    EventLoopGroup bossGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("posj-accept", true), transport.ioHandlerFactory());
    EventLoopGroup workerGroup =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("posj-io", true), transport.ioHandlerFactory());
    Optional<ApiEndpoint> api = Optional.empty();
    if (config.http().isPresent()) {
      ApiEndpoint endpoint = new ApiEndpoint(config, config.http().get());
      config = endpoint.instrument(config);
      listener = endpoint.listening(listener);
      api = Optional.of(endpoint);
    }
    NodeHost state = new NodeHost(config, listener, log);
    int high = config.maxOutboundBufferBytes();
    ServerChannelInitializer initializer =
        new ServerChannelInitializer(config, Inbox.batching(owner), outbox, state);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(transport.serverChannel())
            // Accept nothing until the chain is loaded; reading starts once it is.
            .option(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // A client that only closes its sending side (nc -N) still gets every line.
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
            .childHandler(initializer);
    Channel channel;
    List<String> repairs;
    try {
      channel = bootstrap.bind(config.bindAddress(), config.port()).syncUninterruptibly().channel();
    } catch (Exception e) {
      // bind() reports a BindException, a checked exception thrown without being declared.
      stopThreads(owner, bossGroup, workerGroup);
      throw BindFailure.of(config.bindAddress(), config.port(), e);
    }
    if (api.isPresent()) {
      try {
        api.get().bind(state, bossGroup, workerGroup);
      } catch (IllegalStateException e) {
        channel.close().syncUninterruptibly();
        stopThreads(owner, bossGroup, workerGroup);
        throw e;
      }
    }
    try {
      repairs = CompletableFuture.supplyAsync(state::open, owner).join();
    } catch (CompletionException e) {
      channel.close().syncUninterruptibly();
      api.ifPresent(ApiEndpoint::close);
      stopThreads(owner, bossGroup, workerGroup);
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    ValidatorServer server =
        new ValidatorServer(
            config, state, initializer, owner, bossGroup, workerGroup, channel, api);
    owner.execute(
        () -> {
          state.started(server.port, repairs);
          // The first snapshot is published: HTTP requests can be answered from now on.
          server.api.ifPresent(endpoint -> endpoint.started(owner));
        });
    channel.config().setAutoRead(true);
    server.startSchedules(config);
    return server;
  }

  private static void stopThreads(
      ScheduledExecutorService owner, EventLoopGroup bossGroup, EventLoopGroup workerGroup) {
    owner.shutdownNow();
    bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /**
   * Starts the rounds and the periodic broadcast. With a fixed delay, not a fixed rate: after a
   * stall (a long pause of the owner thread, a slow disk) the missed rounds are skipped, not run
   * back to back to catch up; the next one comes a full period after the last one ended.
   */
  private void startSchedules(ServerConfig config) {
    long roundMillis = config.roundDuration().toMillis();
    roundSchedule =
        owner.scheduleWithFixedDelay(this::scheduledRound, roundMillis, roundMillis, MILLIS);
    long broadcastMillis = config.broadcastInterval().toMillis();
    broadcastSchedule =
        owner.scheduleWithFixedDelay(
            this::scheduledBroadcast, broadcastMillis, broadcastMillis, MILLIS);
  }

  private static final TimeUnit MILLIS = TimeUnit.MILLISECONDS;

  /** The port the server listens on (the real one when the configuration said 0). */
  public int port() {
    return port;
  }

  /** The HTTP API's port (the real one when the settings said 0); empty when it is off. */
  public OptionalInt httpPort() {
    return api.map(endpoint -> OptionalInt.of(endpoint.port())).orElse(OptionalInt.empty());
  }

  /** The latest chain: an immutable snapshot, safe to read from any thread. */
  public Chain chain() {
    return state.chain();
  }

  /** The number of open connections (registered or not). */
  public int connectionCount() {
    return state.connectionCount();
  }

  /** The number of registered validators in the stake table. */
  public int validatorCount() {
    return state.validatorCount();
  }

  /**
   * Runs a round now, on the owner thread, exactly as a scheduled round runs (the schedule goes
   * on); for tests and tools.
   *
   * @return the outcome, once every connection has been sent the result; completes exceptionally
   *     with the store's exception if the winner's block could not be stored (the connections are
   *     then told the round had no winner, reason {@code store-failed}), with an {@link
   *     IllegalStateException} if the server has stopped forging, and with a {@link
   *     RejectedExecutionException} if {@link #close()} began before the round could start
   * @throws RejectedExecutionException if the server is closed
   */
  public CompletableFuture<RoundOutcome> runRoundNow() {
    return CompletableFuture.supplyAsync(
        () -> {
          refuseIfClosed();
          List<NodeEvent> events = state.runRound();
          for (NodeEvent event : events) {
            if (event instanceof NodeEvent.BlockNotStored failed) {
              throw new ChainStoreException(
                  failed.message(),
                  null,
                  failed.broken()
                      ? ChainStoreException.State.BROKEN
                      : ChainStoreException.State.INTACT);
            }
          }
          NodeEvent.RoundEnded ended =
              events.stream()
                  .filter(NodeEvent.RoundEnded.class::isInstance)
                  .map(NodeEvent.RoundEnded.class::cast)
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              ReasonText.forgingStopped(state.forgingStopped().orElse(""))));
          return ended.outcome();
        },
        executor());
  }

  /**
   * Sends the chain to every connection now, whatever the periodic broadcast would do (it skips a
   * broadcast that would follow a forged block's push within the interval).
   *
   * @throws RejectedExecutionException if the server is closed
   */
  public CompletableFuture<Void> broadcastChainNow() {
    return CompletableFuture.runAsync(
        () -> {
          refuseIfClosed();
          state.broadcastChain();
        },
        executor());
  }

  /** Runs the periodic broadcast now, exactly as the schedule runs it; for tests. */
  CompletableFuture<Void> runPeriodicBroadcastNow() {
    return CompletableFuture.runAsync(this::scheduledBroadcast, executor());
  }

  private ScheduledExecutorService executor() {
    refuseIfClosed();
    return owner;
  }

  private void refuseIfClosed() {
    if (closed.get()) {
      throw new RejectedExecutionException("the server on port " + port + " is closed");
    }
  }

  /**
   * Tells every connection the server is shutting down (one line), closes them and stops. Waits at
   * most the close grace period and a few seconds more. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // First of all, no round or broadcast starts any more (one already running on the owner
    // thread finishes): nothing is forged while the connections are told the server is stopping.
    roundSchedule.cancel(false);
    broadcastSchedule.cancel(false);
    serverChannel.close().syncUninterruptibly();
    api.ifPresent(ApiEndpoint::close);
    try {
      // Wait until every connection has written its closing line and closed (bounded: a client
      // that does not read is closed after the grace period); then the event loops can stop.
      CompletableFuture.supplyAsync(state::shutDown, owner)
          .thenCompose(drained -> drained)
          .get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn("not every connection closed cleanly before the shutdown: {}", e.toString());
    }
    owner.shutdown();
    workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    owner.shutdownNow();
    try {
      if (!owner.awaitTermination(2, TimeUnit.SECONDS)) {
        LOG.warn("the owner thread did not stop within 2 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    state.closeStore();
    // The owner thread, the only user of the shared chain bytes, has stopped; writes still under
    // way hold their own references.
    initializer.releaseChains();
    LOG.info("server on port {} stopped", port);
  }

  private void scheduledRound() {
    if (closed.get()) {
      return;
    }
    try {
      // A store failure is logged, reported and told to the connections by the round itself.
      state.runRound();
    } catch (RuntimeException e) {
      // A bug: log it, but a failed round must not cancel the schedule.
      LOG.error("round failed", e);
    }
  }

  private void scheduledBroadcast() {
    if (closed.get()) {
      return;
    }
    try {
      state.periodicBroadcast();
    } catch (RuntimeException e) {
      LOG.error("chain broadcast failed", e);
    }
  }
}
