package io.github.posj.net.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.codec.MessageEncoder;
import io.github.posj.net.codec.OutboundMessage;
import io.github.posj.net.codec.SharedChainBytes;
import io.github.posj.net.codec.WireMode;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.ServerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Netty adapter, on an EmbeddedChannel, with the owner thread replaced by the caller's. */
final class SessionHandlerTest {
  private static final ValidatorId ALICE = TestSessionHost.ALICE;
  private static final SessionLimits LIMITS =
      new SessionLimits(3, 64, 4, 10, Duration.ofSeconds(1), 0, Duration.ofSeconds(2));

  private final TestSessionHost host = new TestSessionHost();
  private final List<ValidatorSession> left = host.left;
  private final List<ValidatorSession> admitted = host.admitted;

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new MessageEncoder(),
        new SessionHandler(Runnable::run, host, LIMITS, new SharedChainBytes()));
  }

  /**
   * A channel whose owner thread is {@code posted} (run by hand), sent a stake and then BPMs up to
   * the limit of lines waiting for the owner: its reading is off.
   */
  private EmbeddedChannel stakedAndFullOfLines(List<Runnable> posted) {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new MessageEncoder(),
            new SessionHandler(posted::add, host, LIMITS, new SharedChainBytes()));
    for (int i = 0; i < LIMITS.maxPendingLines(); i++) {
      channel.writeInbound(new ClientMessage.Line(i == 0 ? "100" : "72"));
    }
    return channel;
  }

  /** Everything written to {@code channel} so far, as text; the buffers released. */
  static String drainText(EmbeddedChannel channel) {
    StringBuilder text = new StringBuilder();
    ByteBuf buffer;
    while ((buffer = channel.readOutbound()) != null) {
      text.append(buffer.toString(StandardCharsets.UTF_8));
      buffer.release();
    }
    return text.toString();
  }

  @Test
  void active_promptsAndAMessageReachesTheSession() {
    EmbeddedChannel channel = channel();

    channel.writeInbound(new ClientMessage.Line("100"));

    assertThat(drainText(channel))
        .isEqualTo(
            "Enter token balance:\nYour validator address: "
                + ALICE.hex()
                + "\n\nEnter a new BPM:");
    assertThat(admitted).hasSize(1);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void idleEvent_beforeRegistering_closesWithAMessage() {
    EmbeddedChannel channel = channel();
    drainText(channel);

    channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

    assertThat(drainText(channel)).isEqualTo("\nclosing: no stake received within 1 s; closing\n");
    assertThat(channel.isOpen()).isFalse();
    assertThat(left).hasSize(1);
  }

  @Test
  void tooLongFrame_closesWithAMessage() {
    EmbeddedChannel channel = channel();
    drainText(channel);

    channel.pipeline().fireExceptionCaught(new TooLongFrameException("too long"));

    assertThat(drainText(channel))
        .isEqualTo("\nclosing: line longer than 64 bytes; closing the connection\n");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void outboundPastTheHighWaterMark_stopsReadingUntilItDrains() {
    EmbeddedChannel channel = channel();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    drainText(channel);

    channel.write(new OutboundMessage(new ServerMessage.Error("x".repeat(64)), WireMode.TEXT));

    assertThat(channel.isWritable()).isFalse();
    assertThat(channel.config().isAutoRead()).isFalse();
    channel.flush();
    assertThat(channel.isWritable()).isTrue();
    assertThat(channel.config().isAutoRead()).isTrue();
    drainText(channel);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void close_lastLineNotTaken_closesAfterTheGracePeriod() {
    // A client that does not read never takes the last line: waiting for that write kept the
    // connection (and a connection slot) open for good.
    HeldWrites held = new HeldWrites();
    EmbeddedChannel channel =
        new EmbeddedChannel(
            held,
            new MessageEncoder(),
            new SessionHandler(Runnable::run, host, LIMITS, new SharedChainBytes()));
    channel.freezeTime();

    channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
    channel.advanceTimeBy(1999, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    boolean openWithinTheGracePeriod = channel.isOpen();
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();

    assertThat(openWithinTheGracePeriod).isTrue();
    assertThat(channel.isOpen()).isFalse();
    assertThat(left).hasSize(1);
    held.release();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void close_whileBehind_closesAtOnceWithoutTheLastLine() {
    EmbeddedChannel channel = channel();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    drainText(channel);
    channel.write(new OutboundMessage(new ServerMessage.Error("x".repeat(64)), WireMode.TEXT));
    assertThat(channel.isWritable()).isFalse();

    channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

    assertThat(channel.isOpen()).isFalse();
    assertThat(drainText(channel)).isEmpty();
  }

  @Test
  void close_lastLineTaken_closesWithoutWaiting() {
    EmbeddedChannel channel = channel();
    drainText(channel);

    channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);

    assertThat(channel.isOpen()).isFalse();
    assertThat(drainText(channel)).startsWith("\nclosing: ");
  }

  @Test
  void inbound_ownerNeverHandlesTheLines_readingStopsAtTheLimit() {
    // Every line used to be posted to the owner thread, however far behind it was: a client that
    // sent without reading queued millions of lines ahead of the rounds.
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new MessageEncoder(),
            new SessionHandler(task -> {}, host, LIMITS, new SharedChainBytes()));

    for (int i = 0; i < LIMITS.maxPendingLines() - 1; i++) {
      channel.writeInbound(new ClientMessage.Line("72"));
    }
    boolean readingBelowTheLimit = channel.config().isAutoRead();
    channel.writeInbound(new ClientMessage.Line("72"));

    assertThat(readingBelowTheLimit).isTrue();
    assertThat(channel.config().isAutoRead()).isFalse();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void inbound_ownerCatchesUp_readingResumesAtHalfTheLimit() {
    List<Runnable> posted = new ArrayList<>();
    EmbeddedChannel channel = stakedAndFullOfLines(posted);
    assertThat(channel.config().isAutoRead()).isFalse();

    // The open and one line: 3 of 4 still pending.
    posted.remove(0).run();
    posted.remove(0).run();
    channel.runPendingTasks();
    boolean readingAbove = channel.config().isAutoRead();
    posted.remove(0).run();
    channel.runPendingTasks();

    assertThat(readingAbove).isFalse();
    assertThat(channel.config().isAutoRead()).isTrue();
    drainText(channel);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void inbound_ownerCaughtUpButOutboundStillBehind_readingStaysOff() {
    List<Runnable> posted = new ArrayList<>();
    EmbeddedChannel channel = stakedAndFullOfLines(posted);
    // Behind whatever is flushed, as a client that does not read.
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

    posted.forEach(Runnable::run);
    channel.runPendingTasks();
    boolean readingWhileBehind = channel.config().isAutoRead();
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    channel.runPendingTasks();

    assertThat(readingWhileBehind).isFalse();
    assertThat(channel.config().isAutoRead()).isTrue();
    drainText(channel);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void inactive_tellsTheNode() {
    EmbeddedChannel channel = channel();
    drainText(channel);

    channel.close();

    assertThat(left).hasSize(1);
  }

  /** Holds every write without completing it, as a socket whose peer does not read. */
  private static final class HeldWrites extends ChannelOutboundHandlerAdapter {
    private final List<Object> messages = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
      messages.add(message);
    }

    void release() {
      messages.forEach(ReferenceCountUtil::release);
      messages.clear();
    }
  }
}
