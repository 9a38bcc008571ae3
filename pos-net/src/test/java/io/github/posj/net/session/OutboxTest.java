package io.github.posj.net.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The owner thread's batched writes, on EmbeddedChannels (whose event loop runs when asked). */
final class OutboxTest {
  private static ByteBuf line(String text) {
    return Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
  }

  private static String drain(EmbeddedChannel channel) {
    return SessionHandlerTest.drainText(channel);
  }

  @Test
  void batching_writesNothingUntilFlushedAndRun_thenEverythingInOrder() {
    Outbox outbox = Outbox.batching();
    EmbeddedChannel a = new EmbeddedChannel();
    EmbeddedChannel b = new EmbeddedChannel();

    outbox.write(a, line("a1"));
    outbox.write(b, line("b1"));
    outbox.write(a, line("a2"));
    a.runPendingTasks();
    String beforeFlush = drain(a);
    outbox.flush();
    String flushedNotRun = drain(a);
    a.runPendingTasks();
    b.runPendingTasks();

    assertThat(beforeFlush).isEmpty();
    assertThat(flushedNotRun).isEmpty();
    assertThat(drain(a)).isEqualTo("a1\na2\n");
    assertThat(drain(b)).isEqualTo("b1\n");
    assertThat(a.finish()).isFalse();
    assertThat(b.finish()).isFalse();
  }

  @Test
  void batching_flushTwice_handsOverEachActionOnce() {
    Outbox outbox = Outbox.batching();
    EmbeddedChannel a = new EmbeddedChannel();
    outbox.write(a, line("once"));

    outbox.flush();
    outbox.flush();
    a.runPendingTasks();

    assertThat(drain(a)).isEqualTo("once\n");
  }

  @Test
  void batching_closeAfterWrites_writesThemAndTheLastLineThenCloses() {
    Outbox outbox = Outbox.batching();
    EmbeddedChannel a = new EmbeddedChannel();
    outbox.write(a, line("result"));
    outbox.close(a, line("closing: bye"), Duration.ofSeconds(2));
    outbox.write(a, line("after the close"));

    outbox.flush();
    boolean openBeforeRun = a.isOpen();
    a.runPendingTasks();

    assertThat(openBeforeRun).isTrue();
    assertThat(drain(a)).isEqualTo("result\nclosing: bye\n");
    assertThat(a.isOpen()).isFalse();
  }

  @Test
  void batching_abort_closesAfterTheWritesQueuedBeforeIt() {
    Outbox outbox = Outbox.batching();
    EmbeddedChannel a = new EmbeddedChannel();
    outbox.write(a, line("first"));
    outbox.abort(a);
    ByteBuf late = line("late");
    outbox.write(a, late);

    outbox.flush();
    a.runPendingTasks();

    assertThat(drain(a)).isEqualTo("first\n");
    assertThat(a.isOpen()).isFalse();
    assertThat(late.refCnt()).as("a write to a closed channel is released").isZero();
  }

  @Test
  void immediate_writesAtOnceWithoutFlush() {
    Outbox outbox = Outbox.immediate();
    EmbeddedChannel a = new EmbeddedChannel();

    outbox.write(a, line("now"));

    assertThat(drain(a)).isEqualTo("now\n");
  }

  @Test
  void flush_eventLoopShutDown_releasesTheMessagesAndClosesTheChannel() throws Exception {
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    LocalChannel channel = new LocalChannel();
    group.register(channel).sync();
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    Outbox outbox = Outbox.batching();
    ByteBuf message = line("never written");

    outbox.write(channel, message);
    outbox.flush();

    assertThat(message.refCnt()).isZero();
  }

  /**
   * Two connections on one event loop, each sent a short line, a chain and another short line:
   * every connection's short lines go out (in one write each) before any chain, and each
   * connection's messages stay in order.
   */
  @Test
  void batching_oneEventLoop_shortLinesOfEveryConnectionGoOutBeforeAnyChain() {
    List<Runnable> loop = new ArrayList<>();
    java.util.concurrent.Executor oneLoop = loop::add;
    Outbox outbox = new Outbox(true, channel -> oneLoop);
    List<String> flushed = new ArrayList<>();
    EmbeddedChannel a = new EmbeddedChannel(new FlushLog("a", flushed));
    EmbeddedChannel b = new EmbeddedChannel(new FlushLog("b", flushed));
    String chain = "c".repeat(Outbox.LARGE_BYTES + 1);
    for (EmbeddedChannel channel : List.of(a, b)) {
      outbox.write(channel, line("result"));
    }
    for (EmbeddedChannel channel : List.of(a, b)) {
      outbox.write(channel, line("block"));
      outbox.write(channel, line(chain));
      outbox.write(channel, line("after"));
    }

    outbox.flush();
    assertThat(loop).hasSize(1);
    loop.get(0).run();

    assertThat(flushed)
        .containsExactly(
            "a: result block",
            "b: result block",
            "a: " + chain,
            "a: after",
            "b: " + chain,
            "b: after");
    drain(a);
    drain(b);
  }

  /** Logs, at each flush, the lines written since the last one. */
  private static final class FlushLog extends ChannelOutboundHandlerAdapter {
    private final String name;
    private final List<String> log;
    private final List<String> pending = new ArrayList<>();

    FlushLog(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      pending.add(((ByteBuf) msg).toString(StandardCharsets.UTF_8).strip());
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (!pending.isEmpty()) {
        log.add(name + ": " + String.join(" ", pending));
        pending.clear();
      }
      ctx.flush();
    }
  }
}
