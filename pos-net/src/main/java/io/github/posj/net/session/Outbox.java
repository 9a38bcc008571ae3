package io.github.posj.net.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the owner thread writes to connections, handed to the event loops in batches. A {@link
 * #batching()} outbox queues each write, close and abort, and {@link #flush()} (which the owner
 * thread calls after each of its tasks) posts one task to each event loop that has something to do;
 * that task performs the actions, each channel's in the order they were queued, a connection's
 * short messages in one write to its socket, and long ones (chains) only after every connection's
 * short ones, so an announcement never waits behind another connection's chain. So a round's result
 * to 10,000 connections spread over four event loops costs four cross-thread hand-overs and four
 * wake-ups, not 10,000 of each, and the answers to a batch of proposals go out the same way. An
 * {@link #immediate()} outbox performs each action at once on the caller's thread (Netty's writes
 * are thread-safe): for tests and for hosts without an owner thread that flushes.
 *
 * <p>Order: per channel, actions are performed in the order they were queued (one queue per event
 * loop, handed over in order, and a channel belongs to one event loop). A write to a channel that
 * is closed by then is dropped and its message released, as Netty does.
 *
 * <p>A batching outbox is not thread-safe; confine it to the owner thread. An immediate one is
 * stateless and thread-safe.
 */
public final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  /** Messages longer than this are written after every connection's short ones. */
  static final int LARGE_BYTES = 8 * 1024;

  private enum Kind {
    WRITE,
    CLOSE,
    ABORT
  }

  /** One queued action; {@code message} is a ByteBuf or an encoder's message, or null (abort). */
  private record Action(Channel channel, Kind kind, Object message, Duration grace) {}

  private final boolean batching;
  private final Function<Channel, Executor> loopOf;
  private Map<Executor, List<Action>> pending = new LinkedHashMap<>();

  /**
   * @param loopOf where a channel's actions run: its event loop (tests may put channels of their
   *     own event loops on one)
   */
  Outbox(boolean batching, Function<Channel, Executor> loopOf) {
    this.batching = batching;
    this.loopOf = loopOf;
  }

  /** An outbox that queues until {@link #flush()}; confine it to the owner thread. */
  public static Outbox batching() {
    return new Outbox(true, Channel::eventLoop);
  }

  /** An outbox that performs every action at once, on the caller's thread. */
  public static Outbox immediate() {
    return new Outbox(false, Channel::eventLoop);
  }

  /**
   * Writes {@code message} (a {@code ByteBuf}, whose reference this takes over, or a message the
   * channel's encoder writes) and flushes it.
   */
  public void write(Channel channel, Object message) {
    Objects.requireNonNull(message, "message");
    queue(new Action(Objects.requireNonNull(channel, "channel"), Kind.WRITE, message, null));
  }

  /**
   * Writes {@code last} and closes the channel once it is written; a channel already past its high
   * water mark is closed at once without it, and one that has not taken it within {@code grace} is
   * closed then (a client that does not read would otherwise hold the connection open for good).
   */
  public void close(Channel channel, Object last, Duration grace) {
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(grace, "grace");
    queue(new Action(Objects.requireNonNull(channel, "channel"), Kind.CLOSE, last, grace));
  }

  /** Closes the channel, dropping whatever still waits to be written to it. */
  public void abort(Channel channel) {
    queue(new Action(Objects.requireNonNull(channel, "channel"), Kind.ABORT, null, null));
  }

  /**
   * Hands every queued action to its channel's event loop, one task per event loop; nothing to do
   * for an immediate outbox. An event loop that refuses the task (it is shutting down, and its
   * channels with it) gets its channels closed and the messages released.
   */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<Executor, List<Action>> handing = pending;
    pending = new LinkedHashMap<>();
    for (Map.Entry<Executor, List<Action>> entry : handing.entrySet()) {
      List<Action> actions = entry.getValue();
      try {
        entry.getKey().execute(() -> performAll(actions));
      } catch (RejectedExecutionException e) {
        for (Action action : actions) {
          ReferenceCountUtil.release(action.message());
          action.channel().close();
        }
      }
    }
  }

  private void queue(Action action) {
    if (!batching) {
      perform(action);
      return;
    }
    pending.computeIfAbsent(loopOf.apply(action.channel()), loop -> new ArrayList<>()).add(action);
  }

  /**
   * Performs one event loop's batch with as few writes to the sockets as the order allows: first,
   * for each channel in the order it first appears, its leading small messages, flushed once (a
   * round's result and its new block reach a connection in one write); then, for each channel, the
   * rest (from its first large message on, such as a chain), each flushed at once. So no
   * connection's announcement waits behind another connection's chain.
   */
  private static void performAll(List<Action> actions) {
    Map<Channel, List<Action>> byChannel = new LinkedHashMap<>();
    for (Action action : actions) {
      byChannel.computeIfAbsent(action.channel(), channel -> new ArrayList<>()).add(action);
    }
    List<List<Action>> later = new ArrayList<>();
    for (Map.Entry<Channel, List<Action>> entry : byChannel.entrySet()) {
      List<Action> ofChannel = entry.getValue();
      int small = 0;
      while (small < ofChannel.size() && !isLarge(ofChannel.get(small))) {
        performSafely(ofChannel.get(small), false);
        small++;
      }
      entry.getKey().flush();
      if (small < ofChannel.size()) {
        later.add(ofChannel.subList(small, ofChannel.size()));
      }
    }
    for (List<Action> rest : later) {
      for (Action action : rest) {
        performSafely(action, true);
      }
    }
  }

  /** Whether an action writes more than {@value #LARGE_BYTES} bytes (a chain, not a line). */
  private static boolean isLarge(Action action) {
    return action.message() instanceof ByteBuf bytes && bytes.readableBytes() > LARGE_BYTES;
  }

  private static void performSafely(Action action, boolean flush) {
    try {
      perform(action, flush);
    } catch (RuntimeException e) {
      LOG.error("a write to {} failed", action.channel().remoteAddress(), e);
    }
  }

  private static void perform(Action action) {
    perform(action, true);
  }

  private static void perform(Action action, boolean flush) {
    Channel channel = action.channel();
    switch (action.kind()) {
      case WRITE -> {
        if (flush) {
          channel.writeAndFlush(action.message(), channel.voidPromise());
        } else {
          channel.write(action.message(), channel.voidPromise());
        }
      }
      case ABORT -> {
        // What was queued before the abort goes out as it would have without batching.
        channel.flush();
        channel.close();
      }
      case CLOSE -> closeAfter(channel, action.message(), action.grace());
    }
  }

  private static void closeAfter(Channel channel, Object last, Duration grace) {
    if (!channel.isWritable()) {
      ReferenceCountUtil.release(last);
      channel.close();
      return;
    }
    ChannelFuture written = channel.writeAndFlush(last);
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
                          grace.toMillis());
                      channel.close();
                    }
                  },
                  grace.toNanos(),
                  TimeUnit.NANOSECONDS);
      channel.closeFuture().addListener(closed -> forced.cancel(false));
    }
  }
}
