package io.github.posj.net.session;

import io.github.posj.net.codec.OutboundMessage;
import io.github.posj.net.codec.SharedChainBytes;
import io.github.posj.net.codec.WireMode;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.ServerMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty end of a {@link ValidatorSession}: turns channel events (active, a message, idle, a
 * line too long, inactive) into calls on the session, run on the node's owner thread; and the
 * session's messages into writes.
 *
 * <p>Both directions are bounded per connection. Inbound: at most {@link
 * SessionLimits#maxPendingLines()} lines may be handed to the owner thread and not yet handled; at
 * that bound the handler stops reading from the connection (auto-read off) and resumes once half of
 * them are handled, so a client that sends faster than the server answers cannot queue work on the
 * owner thread (which also runs the rounds). Outbound: writes never block; a client that stops
 * reading only makes its own outbound buffer grow, and past the channel's high water mark the
 * handler also stops reading from it (its requests would only add replies), while the session skips
 * chain broadcasts and eventually drops it (see {@link ValidatorSession#deliver}).
 *
 * <p>The inbound bound is exact only if a {@code FlowControlHandler} sits between the framer and
 * this handler (as the server's pipeline has it): turning auto-read off stops further reads, and
 * the flow control holds the lines a read has already framed until reading is on again.
 *
 * <p>Stateful: one instance per channel. Not thread-safe; confine to the channel's event loop (the
 * session itself lives on the owner thread).
 */
public final class SessionHandler extends SimpleChannelInboundHandler<ClientMessage> {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

  private final Executor owner;
  private final SessionHost node;
  private final SharedChainBytes chains;
  private final SessionLimits limits;
  private final int resumeAtPendingLines;

  /** Lines posted to the owner thread and not yet handled there; written by both threads. */
  private final AtomicInteger pendingLines = new AtomicInteger();

  /** Whether reading is off because of {@link #pendingLines}; set and cleared on the event loop. */
  private volatile boolean tooManyPendingLines;

  private ValidatorSession session;

  /**
   * A handler whose session runs on {@code owner}.
   *
   * @param owner the node's single owner thread; tasks run in submission order
   * @param node the node, called on {@code owner} only
   * @param limits the session's rules
   * @param chains the server's shared chain bytes, used on {@code owner} only
   */
  public SessionHandler(
      Executor owner, SessionHost node, SessionLimits limits, SharedChainBytes chains) {
    super(ClientMessage.class);
    this.owner = Objects.requireNonNull(owner, "owner");
    this.node = Objects.requireNonNull(node, "node");
    this.chains = Objects.requireNonNull(chains, "chains");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.resumeAtPendingLines = limits.maxPendingLines() / 2;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    session =
        new ValidatorSession(
            limits, node, new ChannelConnection(ctx.channel(), limits.closeGracePeriod(), chains));
    post(ctx, session::open);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ClientMessage message) {
    ValidatorSession target = session;
    if (pendingLines.incrementAndGet() >= limits.maxPendingLines() && !tooManyPendingLines) {
      tooManyPendingLines = true;
      updateReading(ctx);
      // The owner may have handled the lines before it could see the flag: check once more.
      resumeIfCaughtUp(ctx);
    }
    post(
        ctx,
        () -> {
          try {
            target.onMessage(message);
          } finally {
            lineHandled(ctx);
          }
        });
  }

  /** On the owner thread: one posted line is handled; resume reading at the low water mark. */
  private void lineHandled(ChannelHandlerContext ctx) {
    if (pendingLines.decrementAndGet() <= resumeAtPendingLines && tooManyPendingLines) {
      try {
        ctx.channel().eventLoop().execute(() -> resumeIfCaughtUp(ctx));
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down, and the connection with it.
      }
    }
  }

  private void resumeIfCaughtUp(ChannelHandlerContext ctx) {
    if (tooManyPendingLines && pendingLines.get() <= resumeAtPendingLines) {
      tooManyPendingLines = false;
      updateReading(ctx);
    }
  }

  /** Reads while the owner has caught up with this connection's lines and its replies drain. */
  private void updateReading(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(ctx.channel().isWritable() && !tooManyPendingLines);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ValidatorSession target = session;
      post(ctx, target::onIdle);
    } else if (event instanceof ChannelInputShutdownEvent) {
      // After the lines read before it (posted first); unless some are still held back by the
      // flow control, which would deliver them after this event: then the idle timeout decides.
      ValidatorSession target = session;
      post(
          ctx,
          () -> {
            if (pendingLines.get() == 0 && !tooManyPendingLines) {
              target.onInputClosed();
            }
          });
      ctx.fireUserEventTriggered(event);
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  /**
   * Stops reading from a connection while it is behind (its outbound bytes past the high water
   * mark), so that a client that sends but does not read cannot make the server queue unbounded
   * replies; reading resumes once it has caught up (and the owner has caught up with its lines).
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    updateReading(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ValidatorSession target = session;
    if (target != null) {
      post(ctx, target::onClosed);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ValidatorSession target = session;
    if (cause instanceof TooLongFrameException && target != null) {
      LOG.info("closing {}: line over the limit", ctx.channel().remoteAddress());
      post(ctx, target::onLineTooLong);
    } else {
      LOG.debug("closing {} after an error", ctx.channel().remoteAddress(), cause);
      ctx.close();
    }
  }

  private void post(ChannelHandlerContext ctx, Runnable task) {
    try {
      owner.execute(task);
    } catch (RejectedExecutionException e) {
      // The node is shutting down: nobody is left to serve this connection.
      ctx.close();
    }
  }

  /** Writes to a channel; Netty's writes are thread-safe and keep the caller's order. */
  private static final class ChannelConnection implements Connection {
    private final Channel channel;
    private final Duration closeGracePeriod;
    private final SharedChainBytes chains;

    ChannelConnection(Channel channel, Duration closeGracePeriod, SharedChainBytes chains) {
      this.channel = channel;
      this.closeGracePeriod = closeGracePeriod;
      this.chains = chains;
    }

    /**
     * Queues the message; a chain goes as bytes shared with every other connection (made once per
     * broadcast on the owner thread, this method's caller), anything else through the encoder.
     */
    @Override
    public void send(ServerMessage message, WireMode mode) {
      if (message instanceof ServerMessage.ChainUpdate chain) {
        channel.writeAndFlush(chains.bytes(chain, mode), channel.voidPromise());
      } else {
        channel.writeAndFlush(new OutboundMessage(message, mode), channel.voidPromise());
      }
    }

    /**
     * Writes the last line and closes once it is written; but a client that does not read may never
     * take it, and the connection would stay open for good (holding one of the server's connection
     * slots). So a connection that is already behind is closed at once, without the line, and any
     * other is closed after the grace period whether the line was taken or not.
     */
    @Override
    public void close(ServerMessage last, WireMode mode) {
      if (!channel.isWritable()) {
        channel.close();
        return;
      }
      ChannelFuture written = channel.writeAndFlush(new OutboundMessage(last, mode));
      written.addListener(ChannelFutureListener.CLOSE);
      if (!written.isDone()) {
        Future<?> forced =
            channel
                .eventLoop()
                .schedule(
                    () -> {
                      if (channel.isOpen()) {
                        LOG.info(
                            "closing {}: the last line was not taken within {} ms",
                            channel.remoteAddress(),
                            closeGracePeriod.toMillis());
                        channel.close();
                      }
                    },
                    closeGracePeriod.toNanos(),
                    TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> forced.cancel(false));
      }
    }

    @Override
    public void abort() {
      channel.close();
    }

    @Override
    public boolean isBehind() {
      return !channel.isWritable();
    }
  }
}
