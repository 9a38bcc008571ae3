package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.net.session.Inbox;
import io.github.posj.net.session.Outbox;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's pipeline on an EmbeddedChannel, with the owner thread played by the test, each task
 * posted on its own (the batching of the server's inbox is InboxTest's).
 */
final class ServerChannelInitializerTest {
  @Test
  void pipeline_thousandLinesInOneRead_atMostTheLimitReachTheOwnerAtATime() {
    ServerConfig config = TestServers.config().maxPendingLines(16).build();
    NodeHost node = new NodeHost(config, ServerListener.NONE, command -> {});
    node.open();
    List<Runnable> posted = new ArrayList<>();
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new ServerChannelInitializer(
                config, Inbox.direct(posted::add), Outbox.immediate(), node));
    posted.remove(0).run();

    // One read can hold thousands of lines; reading off alone would still pass them all on.
    channel.writeInbound(bytes("100\n" + "60\n".repeat(1000)));

    int handled = 0;
    int mostPosted = 0;
    for (int i = 0; i < 1001 && !posted.isEmpty(); i++) {
      mostPosted = Math.max(mostPosted, posted.size());
      List<Runnable> batch = new ArrayList<>(posted);
      posted.clear();
      batch.forEach(Runnable::run);
      handled += batch.size();
      channel.runPendingTasks();
    }

    assertThat(mostPosted).isEqualTo(16);
    assertThat(handled).isEqualTo(1001);
    assertThat(channel.config().isAutoRead()).isTrue();
    releaseOutbound(channel);
    channel.finishAndReleaseAll();
    node.closeStore();
  }

  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  private static void releaseOutbound(EmbeddedChannel channel) {
    ByteBuf buffer;
    while ((buffer = channel.readOutbound()) != null) {
      buffer.release();
    }
  }
}
