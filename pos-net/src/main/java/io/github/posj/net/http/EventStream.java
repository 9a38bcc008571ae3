package io.github.posj.net.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Server-Sent Events: one stream with topics ({@link EventTopic}), ids that let a client
 * resume ({@code Last-Event-ID}), a keep-alive comment when there is nothing to say, and a bounded
 * queue per subscriber.
 *
 * <p>{@link #publish} may be called from any thread (the node's owner thread calls it) and never
 * blocks: the event is encoded once, kept for resumes, and handed to the fan-out executor, which
 * puts a reference to the same bytes in each subscriber's queue (a queue add each: no I/O, no
 * encoding); each subscriber's channel writes them on its own event loop while it is writable. A
 * subscriber whose queue is full (it does not read as fast as events come) is closed: it costs its
 * own queue, never the node's time or another subscriber's.
 *
 * <p>Ids are a number that grows by one per event, starting at a value the owner picks (the node's
 * start time in microseconds), so that the ids of a restarted node are larger than its previous
 * run's: a client that resumes across a restart is sent every event kept.
 *
 * <p>Thread-safe.
 */
public final class EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  private static final byte[] KEEP_ALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RETRY = "retry: 3000\n\n".getBytes(StandardCharsets.US_ASCII);

  private static final AttributeKey<Subscriber> SUBSCRIBER =
      AttributeKey.valueOf(EventStream.class, "subscriber");

  private final int capacity;
  private final Duration keepAliveInterval;
  private final Executor fanOut;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

  /** Guarded by {@code this}: the last {@link #capacity} events, oldest first. */
  private final ArrayDeque<Event> kept;

  /** Guarded by {@code this}. */
  private long nextId;

  private final long firstId;

  /**
   * A stream with no subscribers.
   *
   * @param firstId the first event's id
   * @param capacity the events kept for resumes, and the most that may wait for one subscriber
   * @param keepAliveInterval how often a subscriber is sent {@code : keepalive}
   * @param fanOut runs the fan-out of each event to the subscribers, in order (a single thread,
   *     such as one of the HTTP event loops)
   */
  public EventStream(long firstId, int capacity, Duration keepAliveInterval, Executor fanOut) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.nextId = firstId;
    this.firstId = firstId;
    this.capacity = capacity;
    this.keepAliveInterval = Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
    this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
    this.kept = new ArrayDeque<>(capacity);
  }

  /**
   * A node's stream, with {@code settings}' queue and keep-alive: ids start from {@code start} in
   * microseconds (a restarted node's are larger than its previous run's), and each event is fanned
   * out on the thread that publishes it (the node's owner thread: a queue add per subscriber, so
   * that the subscribers' writes are queued on the event loops before the node's own writes).
   */
  public static EventStream forNode(Instant start, HttpSettings settings) {
    return new EventStream(
        start.getEpochSecond() * 1_000_000 + start.getNano() / 1_000,
        settings.subscriberQueueEvents(),
        settings.keepAliveInterval(),
        Runnable::run);
  }

  /** One event, encoded once: {@code id: N\nevent: topic\ndata: json\n\n}. */
  private record Event(long id, EventTopic topic, byte[] bytes) {}

  /**
   * Publishes an event to every subscriber of {@code topic}; never blocks.
   *
   * @param json the event's data: one line of JSON
   */
  public void publish(EventTopic topic, byte[] json) {
    Objects.requireNonNull(topic, "topic");
    Event event;
    synchronized (this) {
      long id = nextId++;
      byte[] head =
          ("id: " + id + "\nevent: " + topic.wireName() + "\ndata: ")
              .getBytes(StandardCharsets.US_ASCII);
      byte[] bytes = new byte[head.length + json.length + 2];
      System.arraycopy(head, 0, bytes, 0, head.length);
      System.arraycopy(json, 0, bytes, head.length, json.length);
      bytes[bytes.length - 2] = '\n';
      bytes[bytes.length - 1] = '\n';
      event = new Event(id, topic, bytes);
      if (kept.size() == capacity) {
        kept.removeFirst();
      }
      kept.addLast(event);
    }
    fanOut.execute(
        () -> {
          for (Subscriber subscriber : subscribers) {
            subscriber.offer(event);
          }
        });
  }

  /** The number of open subscriptions. */
  public int subscriberCount() {
    return subscribers.size();
  }

  /**
   * Streams the events of {@code topics} to {@code channel}, whose response head (status 200,
   * {@code text/event-stream}, chunked) has been written: first the kept events after {@code
   * lastEventId} (if given), then every new one. On the channel's event loop. The subscription ends
   * when the channel closes; a subscriber that falls {@code capacity} events behind is closed.
   */
  void subscribe(Channel channel, Set<EventTopic> topics, OptionalLong lastEventId) {
    Subscriber subscriber = new Subscriber(channel, Set.copyOf(topics));
    channel.write(content(RETRY));
    synchronized (this) {
      long last = nextId - 1;
      if (lastEventId.isPresent()) {
        long after = lastEventId.getAsLong();
        long oldest = kept.isEmpty() ? nextId : kept.peekFirst().id();
        if (oldest > firstId && after < oldest - 1) {
          // Events this client has not seen were dropped from the kept window: say so.
          String gap = ": events up to " + (oldest - 1) + " are no longer kept\n\n";
          channel.write(content(gap.getBytes(StandardCharsets.US_ASCII)));
        }
        last = after;
      }
      subscriber.markDelivered(last);
      for (Event event : kept) {
        subscriber.offer(event);
      }
      subscribers.add(subscriber);
    }
    channel.flush();
    channel.attr(SUBSCRIBER).set(subscriber);
    channel.closeFuture().addListener(closed -> subscriber.close());
    subscriber.startKeepAlive();
    subscriber.drain();
  }

  /** Writes what is waiting for {@code channel}'s subscription, once it is writable again. */
  static void writable(Channel channel) {
    Subscriber subscriber = channel.attr(SUBSCRIBER).get();
    if (subscriber != null) {
      subscriber.drain();
    }
  }

  private static DefaultHttpContent content(byte[] bytes) {
    return new DefaultHttpContent(Unpooled.wrappedBuffer(bytes));
  }

  /** One subscription: its queue and its channel. */
  private final class Subscriber {
    final Channel channel;
    final Set<EventTopic> topics;

    /** Guarded by {@code this}. */
    private final ArrayDeque<Event> queue = new ArrayDeque<>();

    /** Guarded by {@code this}: the id of the last event queued (or skipped as older). */
    private long delivered = Long.MIN_VALUE;

    /** Guarded by {@code this}: a drain is scheduled on the event loop. */
    private boolean draining;

    /** Guarded by {@code this}. */
    private boolean dropped;

    private ScheduledFuture<?> keepAlive;

    Subscriber(Channel channel, Set<EventTopic> topics) {
      this.channel = channel;
      this.topics = topics;
    }

    synchronized void markDelivered(long id) {
      delivered = id;
    }

    /** Queues {@code event} if it is of a subscribed topic and new to this subscriber. */
    void offer(Event event) {
      boolean schedule = false;
      boolean drop = false;
      synchronized (this) {
        if (dropped || event.id() <= delivered) {
          return;
        }
        delivered = event.id();
        if (!topics.contains(event.topic())) {
          return;
        }
        if (queue.size() >= capacity) {
          dropped = true;
          drop = true;
          queue.clear();
        } else {
          queue.addLast(event);
          if (!draining) {
            draining = true;
            schedule = true;
          }
        }
      }
      if (drop) {
        subscribers.remove(this);
        LOG.warn(
            "closed a slow event-stream subscriber {}: {} events waited for it",
            channel.remoteAddress(),
            capacity);
        channel.eventLoop().execute(channel::close);
      } else if (schedule) {
        channel.eventLoop().execute(this::drain);
      }
    }

    /** Writes queued events while the channel is writable; on its event loop. */
    void drain() {
      boolean wrote = false;
      while (channel.isWritable()) {
        Event event;
        synchronized (this) {
          event = queue.pollFirst();
          if (event == null) {
            draining = false;
            break;
          }
        }
        channel.write(content(event.bytes()));
        wrote = true;
      }
      if (wrote) {
        channel.flush();
      }
      if (!channel.isWritable()) {
        // Not writable: writes resume from writable(), when the channel drains.
        synchronized (this) {
          draining = false;
        }
      }
    }

    void startKeepAlive() {
      long millis = keepAliveInterval.toMillis();
      keepAlive =
          channel
              .eventLoop()
              .scheduleAtFixedRate(
                  () -> {
                    if (channel.isWritable()) {
                      channel.writeAndFlush(content(KEEP_ALIVE));
                    }
                  },
                  millis,
                  millis,
                  TimeUnit.MILLISECONDS);
    }

    void close() {
      subscribers.remove(this);
      if (keepAlive != null) {
        keepAlive.cancel(false);
      }
      synchronized (this) {
        queue.clear();
      }
    }
  }
}
