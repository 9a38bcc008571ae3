package io.github.posj.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The event stream: ids, topics, resume, keep-alives and the slow-subscriber bound. */
final class EventStreamTest {
  private static final Set<EventTopic> ALL = EnumSet.allOf(EventTopic.class);
  private static final String RETRY = "retry: 3000\n\n";

  /** Ids from 100, 3 events kept and queued per subscriber, fan-out on the publishing thread. */
  private final EventStream events = new EventStream(100, 3, Duration.ofSeconds(15), Runnable::run);

  private static String written(EmbeddedChannel channel) {
    channel.runPendingTasks();
    StringBuilder text = new StringBuilder();
    for (Object message = channel.readOutbound();
        message != null;
        message = channel.readOutbound()) {
      ByteBuf content = ((HttpContent) message).content();
      text.append(content.toString(StandardCharsets.UTF_8));
      content.release();
    }
    return text.toString();
  }

  private void publish(EventTopic topic, String json) {
    events.publish(topic, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void publish_liveSubscriber_getsIdTopicAndData() {
    EmbeddedChannel channel = new EmbeddedChannel();
    publish(EventTopic.ROUND, "{\"round\":\"0\"}");
    events.subscribe(channel, ALL, OptionalLong.empty());

    publish(EventTopic.HEAD, "{\"index\":\"1\"}");

    assertThat(written(channel))
        .isEqualTo(RETRY + "id: 101\nevent: head\ndata: {\"index\":\"1\"}\n\n");
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void publish_otherTopic_isNotSent() {
    EmbeddedChannel channel = new EmbeddedChannel();
    events.subscribe(channel, EnumSet.of(EventTopic.SLASHING), OptionalLong.empty());

    publish(EventTopic.HEAD, "{}");
    publish(EventTopic.SLASHING, "{\"s\":1}");

    assertThat(written(channel)).isEqualTo(RETRY + "id: 101\nevent: slashing\ndata: {\"s\":1}\n\n");
  }

  @Test
  void subscribe_lastEventId_replaysTheLaterKeptEventsOfItsTopics() {
    publish(EventTopic.HEAD, "{\"n\":0}");
    publish(EventTopic.ROUND, "{\"n\":1}");
    publish(EventTopic.HEAD, "{\"n\":2}");
    EmbeddedChannel channel = new EmbeddedChannel();

    events.subscribe(channel, EnumSet.of(EventTopic.HEAD), OptionalLong.of(100));
    publish(EventTopic.HEAD, "{\"n\":3}");

    assertThat(written(channel))
        .isEqualTo(
            RETRY
                + "id: 102\nevent: head\ndata: {\"n\":2}\n\n"
                + "id: 103\nevent: head\ndata: {\"n\":3}\n\n");
  }

  @Test
  void subscribe_lastEventIdOlderThanKept_saysEventsWereLostAndReplaysTheRest() {
    for (int n = 0; n < 5; n++) {
      publish(EventTopic.ROUND, "{\"n\":" + n + "}");
    }
    EmbeddedChannel channel = new EmbeddedChannel();

    events.subscribe(channel, ALL, OptionalLong.of(100));

    assertThat(written(channel))
        .isEqualTo(
            RETRY
                + ": events up to 101 are no longer kept\n\n"
                + "id: 102\nevent: round\ndata: {\"n\":2}\n\n"
                + "id: 103\nevent: round\ndata: {\"n\":3}\n\n"
                + "id: 104\nevent: round\ndata: {\"n\":4}\n\n");
  }

  @Test
  void subscriber_thatDoesNotKeepUp_isClosedAndTheOthersGetEverything() {
    EmbeddedChannel slow = new EmbeddedChannel();
    EmbeddedChannel fast = new EmbeddedChannel();
    events.subscribe(slow, ALL, OptionalLong.empty());
    events.subscribe(fast, ALL, OptionalLong.empty());
    written(slow);
    StringBuilder fastText = new StringBuilder(written(fast));

    // The slow channel's event loop never gets to write: its queue holds 3 events, the 4th drops
    // it.
    for (int n = 0; n < 4; n++) {
      publish(EventTopic.HEAD, "{\"n\":" + n + "}");
      fastText.append(written(fast));
    }
    slow.runPendingTasks();

    assertThat(slow.isOpen()).isFalse();
    assertThat(events.subscriberCount()).isEqualTo(1);
    assertThat(fastText.toString()).contains("data: {\"n\":0}", "data: {\"n\":3}");
    fast.close();
    assertThat(events.subscriberCount()).isZero();
  }

  @Test
  void keepAlive_afterTheInterval_writesAComment() {
    EmbeddedChannel channel = new EmbeddedChannel();
    events.subscribe(channel, ALL, OptionalLong.empty());
    written(channel);

    channel.advanceTimeBy(14, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    String early = written(channel);
    channel.advanceTimeBy(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(early).isEmpty();
    assertThat(written(channel)).isEqualTo(": keepalive\n\n");
  }
}
