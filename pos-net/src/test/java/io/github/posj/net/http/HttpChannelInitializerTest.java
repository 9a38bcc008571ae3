package io.github.posj.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.HashScheme;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.net.metrics.NodeMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTTP pipeline on an embedded channel, with virtual time: idle connections and streams. */
final class HttpChannelInitializerTest {
  private static final NodeSnapshot SNAPSHOT =
      new NodeSnapshot(
          TestBlocks.chain(HashScheme.posj(), 3),
          2,
          Duration.ofSeconds(30),
          NodeSnapshot.Health.READY,
          List.of(),
          0,
          List.of(),
          List.of(),
          new NodeSnapshot.Connections(0, 0));

  private final EventStream events = new EventStream(1, 250, Duration.ofSeconds(15), Runnable::run);

  private EmbeddedChannel channel() {
    NodeMetrics metrics = new NodeMetrics("test", events::subscriberCount, System::nanoTime, false);
    return new EmbeddedChannel(
        new HttpChannelInitializer(
            HttpSettings.onPort(0),
            new ConnectionLimitHandler(10),
            new ApiHandler(
                new TutorialEndpoints(() -> SNAPSHOT, "posj/test", events::subscriberCount),
                events,
                metrics.registry())));
  }

  private static String written(EmbeddedChannel channel) {
    channel.runPendingTasks();
    StringBuilder text = new StringBuilder();
    for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      text.append(out.toString(StandardCharsets.UTF_8));
      out.release();
    }
    return text.toString();
  }

  private static void request(EmbeddedChannel channel, String path) {
    channel.writeInbound(
        Unpooled.copiedBuffer(
            "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n", StandardCharsets.US_ASCII));
  }

  @Test
  void connection_withoutRequestsForTheIdleTimeout_isClosed() {
    EmbeddedChannel channel = channel();
    request(channel, "/posj/v1/blocks/head");
    assertThat(written(channel)).startsWith("HTTP/1.1 200 OK").contains("\"index\":\"2\"");

    channel.advanceTimeBy(59, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    boolean openBefore = channel.isOpen();
    channel.advanceTimeBy(2, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(openBefore).isTrue();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void eventStream_idleForLong_staysOpenAndIsKeptAlive() {
    EmbeddedChannel channel = channel();
    request(channel, "/posj/v1/events?topics=head");
    assertThat(written(channel)).startsWith("HTTP/1.1 200 OK").contains("retry: 3000");

    channel.advanceTimeBy(61, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(channel.isOpen()).isTrue();
    assertThat(written(channel)).contains(": keepalive\n\n");
    assertThat(events.subscriberCount()).isEqualTo(1);
    channel.close();
    assertThat(events.subscriberCount()).isZero();
  }

  @Test
  void eventStream_unknownTopic_is400() {
    EmbeddedChannel channel = channel();

    request(channel, "/posj/v1/events?topics=head,blocks");

    assertThat(written(channel))
        .startsWith("HTTP/1.1 400 Bad Request")
        .contains("unknown topic \\\"blocks\\\"; the topics are head, round and slashing");
    assertThat(events.subscriberCount()).isZero();
  }
}
