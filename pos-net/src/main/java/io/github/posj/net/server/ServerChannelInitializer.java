package io.github.posj.net.server;

import io.github.posj.net.codec.MessageDecoder;
import io.github.posj.net.codec.MessageEncoder;
import io.github.posj.net.codec.SharedChainBytes;
import io.github.posj.net.codec.SharedMessageBytes;
import io.github.posj.net.session.Inbox;
import io.github.posj.net.session.Outbox;
import io.github.posj.net.session.SessionHandler;
import io.github.posj.net.session.SessionHost;
import io.github.posj.net.session.SessionLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Wires a server connection's pipeline, one job per handler: {@link LineBasedFrameDecoder}
 * (framing, the line limit) → {@link FlowControlHandler} (holds framed lines while reading is off)
 * → {@link MessageDecoder} (text or JSON) → {@link IdleStateHandler} (silence) → {@link
 * SessionHandler} (the session, on the owner thread; turns reading off and on); outbound {@link
 * MessageEncoder}.
 *
 * <p>Immutable; thread-safe.
 */
final class ServerChannelInitializer extends ChannelInitializer<Channel> {
  private final ServerConfig config;
  private final Inbox inbox;
  private final Outbox outbox;
  private final SessionHost node;
  private final SessionLimits limits;
  private final MessageEncoder encoder = new MessageEncoder();
  private final SharedChainBytes chains = new SharedChainBytes();
  private final SharedMessageBytes messages = new SharedMessageBytes();

  /**
   * @param inbox hands the connections' work to the node's owner thread
   * @param outbox the owner thread's writes to every connection, flushed by the owner after each
   *     task
   */
  ServerChannelInitializer(ServerConfig config, Inbox inbox, Outbox outbox, SessionHost node) {
    this.config = config;
    this.inbox = inbox;
    this.outbox = outbox;
    this.node = node;
    this.limits =
        new SessionLimits(
            config.maxStakeAttempts(),
            config.maxLineLength(),
            config.maxPendingLines(),
            config.maxBlankLines(),
            config.idleTimeout(),
            config.maxIdleRounds(),
            config.closeGracePeriod());
  }

  /** Releases the shared broadcast bytes (direct memory); once the owner thread has stopped. */
  void releaseChains() {
    chains.release();
    messages.release();
  }

  @Override
  protected void initChannel(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("framer", new LineBasedFrameDecoder(config.maxLineLength(), true, true));
    // Holds the lines a read has already framed while the session handler has reading off.
    pipeline.addLast("flow", new FlowControlHandler());
    pipeline.addLast("encoder", encoder);
    pipeline.addLast("decoder", new MessageDecoder());
    pipeline.addLast(
        "idle", new IdleStateHandler(config.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    pipeline.addLast("session", new SessionHandler(inbox, outbox, node, limits, chains, messages));
  }
}
