package io.github.posj.net.node;

import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One peer connection's inbound side: decodes each line on the I/O thread, answers {@code
 * get-blocks} from the published blocks (at most {@link PeerSettings#getBlocksPerSecond} a second,
 * in bursts of {@value PeerSettings#BURST_SECONDS} s), and posts everything else to the owner
 * thread. A line that is not a peer message, or longer than the limit, closes the connection: a
 * peer is a program, and one that sends garbage is not to be trusted further.
 *
 * <p>Not thread-safe; one per channel, on its event loop.
 */
final class PeerHandler extends SimpleChannelInboundHandler<ByteBuf> {
  /**
   * How many {@code get-blocks} this node sent on a connection that the peer has not answered yet
   * (the owner thread adds one before each request; this handler takes one per answer).
   */
  /** Set once this node has said {@code closing} on a connection. */
  static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("posj.peer.closing");

  /** How long a connection stays open, its output ended, after this node's {@code closing}. */
  static final Duration LINGER = Duration.ofSeconds(1);

  static final AttributeKey<AtomicInteger> UNANSWERED =
      AttributeKey.valueOf("posj.peer.unanswered");

  private final PeerNetwork network;
  private final Genesis genesis;
  private final PublishedBlocks blocks;
  private final Executor owner;
  private final InstantSource clock;
  private final Optional<String> dialed;
  private final double rate;
  private final double burst;
  private double tokens;
  private Instant refilled;
  private final double gossipRate;
  private final double gossipBurst;
  private double gossipTokens;
  private Instant gossipRefilled;

  PeerHandler(
      PeerNetwork network,
      PublishedBlocks blocks,
      Executor owner,
      InstantSource clock,
      PeerSettings settings,
      Optional<String> dialed) {
    this.network = network;
    this.genesis = network.genesis();
    this.blocks = blocks;
    this.owner = owner;
    this.clock = clock;
    this.dialed = dialed;
    this.rate = settings.getBlocksPerSecond();
    this.burst = rate * PeerSettings.BURST_SECONDS;
    this.tokens = burst;
    this.gossipRate = settings.gossipPerSecond();
    this.gossipBurst = gossipRate * PeerSettings.BURST_SECONDS;
    this.gossipTokens = gossipBurst;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.channel().attr(UNANSWERED).setIfAbsent(new AtomicInteger());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    refilled = clock.instant();
    gossipRefilled = refilled;
    owner.execute(() -> network.connected(ctx.channel(), dialed));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    owner.execute(() -> network.disconnected(ctx.channel()));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    if (!ctx.channel().isActive() || ctx.channel().attr(CLOSING).get() != null) {
      return; // closed, or closing: what it sends now is ignored
    }
    String line = frame.toString(StandardCharsets.UTF_8).strip();
    if (line.isEmpty()) {
      return;
    }
    PeerMessage message;
    try {
      message = PeerWire.decode(line);
    } catch (IllegalArgumentException e) {
      close(ctx, "not a peer message: " + e.getMessage());
      return;
    }
    if (message instanceof PeerMessage.GetBlocks get) {
      if (!take()) {
        close(
            ctx,
            "more than "
                + (long) rate
                + " get-blocks a second (over "
                + PeerSettings.BURST_SECONDS
                + " s)");
        return;
      }
      if (!ctx.channel().isWritable()) {
        close(ctx, "it does not read what this node sends");
        return;
      }
      ctx.writeAndFlush(
          line(new PeerMessage.Blocks(get.from(), blocks.range(get.from(), get.count()))),
          ctx.voidPromise());
      return;
    }
    if (message instanceof PeerMessage.Blocks answer) {
      if (ctx.channel().attr(UNANSWERED).get().decrementAndGet() < 0) {
        close(ctx, "a blocks answer to no get-blocks of this node's");
        return;
      }
      // Signatures are checked here, on the connection's event loop, while the owner thread checks
      // the rules of earlier answers: the two overlap (docs/benchmarks.md, "Peers").
      boolean[] signatureValid = new boolean[answer.blocks().size()];
      for (int i = 0; i < signatureValid.length; i++) {
        signatureValid[i] = SignedChainState.signatureValid(genesis, answer.blocks().get(i));
      }
      owner.execute(() -> network.receivedBlocks(ctx.channel(), answer, signatureValid));
      return;
    }
    if ((message instanceof PeerMessage.NewBlock || message instanceof PeerMessage.Evidence)
        && !takeGossip()) {
      close(
          ctx,
          "more than "
              + (long) gossipRate
              + " new-block and evidence messages a second (over "
              + PeerSettings.BURST_SECONDS
              + " s)");
      return;
    }
    owner.execute(() -> network.received(ctx.channel(), message));
  }

  /** One more new-block or evidence (each costs the owner a signature check or two). */
  private boolean takeGossip() {
    Instant now = clock.instant();
    double seconds = Math.max(0, Duration.between(gossipRefilled, now).toNanos() / 1e9);
    gossipRefilled = now;
    gossipTokens = Math.min(gossipBurst, gossipTokens + seconds * gossipRate);
    if (gossipTokens < 1) {
      return false;
    }
    gossipTokens -= 1;
    return true;
  }

  private boolean take() {
    Instant now = clock.instant();
    double seconds = Math.max(0, Duration.between(refilled, now).toNanos() / 1e9);
    refilled = now;
    tokens = Math.min(burst, tokens + seconds * rate);
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    close(
        ctx,
        cause instanceof TooLongFrameException
            ? "a line longer than this node's peer line limit"
            : "connection error: " + cause.getMessage());
  }

  private void close(ChannelHandlerContext ctx, String reason) {
    if (ctx.channel().attr(CLOSING).get() != null) {
      return;
    }
    owner.execute(() -> network.closingReason(ctx.channel(), reason));
    closeWith(ctx.channel(), reason);
  }

  /**
   * Sends {@code closing} with {@code reason}, ends the output, and closes the connection {@link
   * #LINGER} later (or when the peer closes): closing at once, with the peer's unread lines still
   * arriving, would make the kernel reset the connection and the peer could lose the reason. What
   * the peer sends meanwhile is ignored.
   */
  static void closeWith(Channel channel, String reason) {
    if (channel.attr(CLOSING).setIfAbsent(Boolean.TRUE) != null) {
      return;
    }
    channel
        .writeAndFlush(line(new PeerMessage.Closing(reason)))
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess() || !(channel instanceof DuplexChannel duplex)) {
                    channel.close();
                    return;
                  }
                  duplex.shutdownOutput();
                  channel
                      .eventLoop()
                      .schedule(() -> channel.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
                });
  }

  static ByteBuf line(PeerMessage message) {
    return Unpooled.wrappedBuffer(
        (PeerWire.encode(message) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
