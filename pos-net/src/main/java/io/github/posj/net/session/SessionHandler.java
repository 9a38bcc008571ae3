package io.github.posj.net.session;

import io.github.posj.net.codec.OutboundMessage;
import io.github.posj.net.codec.SharedChainBytes;
import io.github.posj.net.codec.SharedMessageBytes;
import io.github.posj.net.codec.WireMode;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.ServerMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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

  private final Inbox inbox;
  private final Outbox outbox;
  private final SessionHost node;
  private final SharedChainBytes chains;
  private final SharedMessageBytes messages;
  private final SessionLimits limits;
  private final int resumeAtPendingLines;

  /** Lines posted to the owner thread and not yet handled there; written by both threads. */
  private final AtomicInteger pendingLines = new AtomicInteger();

  /** Whether reading is off because of {@link #pendingLines}; set and cleared on the event loop. */
  private volatile boolean tooManyPendingLines;

  private ValidatorSession session;

  /**
   * A handler whose session runs on {@code owner}, each task posted on its own and each write made
   * at once; for tests and hosts without an owner thread that flushes an {@link Outbox}.
   *
   * @param owner the node's single owner thread; tasks run in submission order
   * @param node the node, called on {@code owner} only
   * @param limits the session's rules
   * @param chains the server's shared chain bytes, used on {@code owner} only
   */
  public SessionHandler(
      Executor owner, SessionHost node, SessionLimits limits, SharedChainBytes chains) {
    this(Inbox.direct(owner), Outbox.immediate(), node, limits, chains, new SharedMessageBytes());
  }

  /**
   * A handler whose session runs on the owner thread behind {@code inbox}, and writes through
   * {@code outbox}.
   *
   * @param inbox hands the session's work to the owner thread
   * @param outbox the owner thread's writes; a batching one is flushed by the owner after each task
   * @param node the node, called on the owner thread only
   * @param limits the session's rules
   * @param chains the server's shared chain bytes, used on the owner thread only
   * @param messages the server's shared broadcast bytes, used on the owner thread only
   */
  public SessionHandler(
      Inbox inbox,
      Outbox outbox,
      SessionHost node,
      SessionLimits limits,
      SharedChainBytes chains,
      SharedMessageBytes messages) {
    super(ClientMessage.class);
    this.inbox = Objects.requireNonNull(inbox, "inbox");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.node = Objects.requireNonNull(node, "node");
    this.chains = Objects.requireNonNull(chains, "chains");
    this.messages = Objects.requireNonNull(messages, "messages");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.resumeAtPendingLines = limits.maxPendingLines() / 2;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    session =
        new ValidatorSession(
            limits,
            node,
            new ChannelConnection(
                ctx.channel(), limits.closeGracePeriod(), outbox, chains, messages));
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

  /** Has {@code task} run on the owner thread; if the node is shutting down, closes instead. */
  private void post(ChannelHandlerContext ctx, Runnable task) {
    inbox.post(ctx, task);
  }

  /**
   * Writes to a channel through the outbox, which keeps the caller's order (a batching one hands
   * the writes to the event loop after the owner's task).
   */
  private static final class ChannelConnection implements Connection {
    private final Channel channel;
    private final Duration closeGracePeriod;
    private final Outbox outbox;
    private final SharedChainBytes chains;
    private final SharedMessageBytes messages;

    ChannelConnection(
        Channel channel,
        Duration closeGracePeriod,
        Outbox outbox,
        SharedChainBytes chains,
        SharedMessageBytes messages) {
      this.channel = channel;
      this.closeGracePeriod = closeGracePeriod;
      this.outbox = outbox;
      this.chains = chains;
      this.messages = messages;
    }

    /**
     * Queues the message. What the node sends to every connection (a chain, a round's result, a new
     * block) goes as bytes made once per broadcast on the owner thread (this method's caller) and
     * shared with every other connection; anything else through the channel's encoder.
     */
    @Override
    public void send(ServerMessage message, WireMode mode) {
      if (message instanceof ServerMessage.ChainUpdate chain) {
        outbox.write(channel, chains.bytes(chain, mode));
      } else if (message instanceof ServerMessage.RoundResult
          || message instanceof ServerMessage.BlockAdded) {
        outbox.write(channel, messages.bytes(message, mode));
      } else {
        outbox.write(channel, new OutboundMessage(message, mode));
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
      outbox.close(channel, new OutboundMessage(last, mode), closeGracePeriod);
    }

    @Override
    public void abort() {
      outbox.abort(channel);
    }

    @Override
    public boolean isBehind() {
      return !channel.isWritable();
    }
  }
}
