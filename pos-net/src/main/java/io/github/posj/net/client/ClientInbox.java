package io.github.posj.net.client;

import io.github.posj.net.protocol.ServerMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ClientListener} that keeps a client's events for one consumer to wait for, one at a
 * time: for tests and scripts that read a dialogue in order ({@code register}, {@code propose},
 * await the result).
 *
 * <p>Bounded: it holds at most {@code capacity} messages. A message that arrives when it is full is
 * dropped and counted, and the next {@code await} throws {@link IllegalStateException} saying how
 * many were lost, so a consumer that falls behind finds out instead of reading a gapped stream. The
 * {@link ClientEvent.Closed} event is always kept.
 *
 * <p>Thread-safe for one producer (the client's reader thread) and one consumer at a time: a thread
 * that takes from the inbox while another is taking gets {@link IllegalStateException}, so two
 * parties never drain the same inbox unnoticed; give each its own. Handing the inbox from one
 * thread to another (through a {@code Future}, say) is fine.
 */
public final class ClientInbox implements ClientListener {
  /** The capacity of {@link #ClientInbox()}. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private final BlockingQueue<ClientEvent> events;
  private volatile ClientEvent.Closed closed;
  private final AtomicLong dropped = new AtomicLong();
  private final ReentrantLock consumer = new ReentrantLock();

  /** An inbox for {@link #DEFAULT_CAPACITY} messages. */
  public ClientInbox() {
    this(DEFAULT_CAPACITY);
  }

  /**
   * An inbox for {@code capacity} messages.
   *
   * @throws IllegalArgumentException if {@code capacity} is below 1
   */
  public ClientInbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    // One slot more, for the Closed event.
    this.events = new ArrayBlockingQueue<>(capacity + 1);
  }

  @Override
  public void onEvent(ClientEvent event) {
    Objects.requireNonNull(event, "event");
    if (event instanceof ClientEvent.Closed end) {
      closed = end;
      events.offer(end);
    } else if (events.remainingCapacity() <= 1 || !events.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  /**
   * Takes messages until one of {@code type} arrives, dropping the others.
   *
   * @throws SocketTimeoutException if none arrives within {@code timeout}
   * @throws IOException if the connection closed first
   * @throws IllegalStateException if messages were dropped, or another thread is reading this inbox
   */
  public <T extends ServerMessage> T await(Class<T> type, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    enter();
    try {
      while (true) {
        ClientEvent event = take(deadline, type.getSimpleName());
        if (event instanceof ClientEvent.Received received && type.isInstance(received.message())) {
          return type.cast(received.message());
        }
        if (event instanceof ClientEvent.Closed end) {
          throw new IOException(
              "connection closed before a " + type.getSimpleName() + " message: " + end.reason());
        }
      }
    } finally {
      consumer.unlock();
    }
  }

  /**
   * Takes events until the connection's end and returns why it ended.
   *
   * @throws SocketTimeoutException if it does not end within {@code timeout}
   * @throws IllegalStateException if messages were dropped, or another thread is reading this inbox
   */
  public String awaitClosed(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    enter();
    try {
      while (true) {
        if (take(deadline, "Closed") instanceof ClientEvent.Closed end) {
          return end.reason();
        }
      }
    } finally {
      consumer.unlock();
    }
  }

  /**
   * The next event, waiting at most {@code timeout}; empty if none came.
   *
   * @throws IllegalStateException if messages were dropped, or another thread is reading this inbox
   */
  public Optional<ClientEvent> poll(Duration timeout) throws InterruptedIOException {
    enter();
    try {
      return Optional.ofNullable(keepClosed(events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for an event");
    } finally {
      consumer.unlock();
    }
  }

  /** Drops every event waiting (the end of the connection stays). */
  public void clear() {
    enter();
    try {
      events.clear();
      ClientEvent.Closed end = closed;
      if (end != null) {
        events.offer(end);
      }
    } finally {
      consumer.unlock();
    }
  }

  private ClientEvent take(long deadline, String what) throws IOException {
    long left = deadline - System.nanoTime();
    Optional<ClientEvent> event = left <= 0 ? Optional.empty() : poll(Duration.ofNanos(left));
    if (event.isEmpty()) {
      throw new SocketTimeoutException("no " + what + " message within the timeout");
    }
    return event.get();
  }

  /** The end of the connection is seen by every later take, not only the first. */
  private ClientEvent keepClosed(ClientEvent event) {
    if (event instanceof ClientEvent.Closed end) {
      events.offer(end);
    }
    return event;
  }

  /** Takes the consumer's place; the caller unlocks it. */
  private void enter() {
    if (!consumer.tryLock()) {
      throw new IllegalStateException(
          "another thread is reading this inbox; give each reader its own inbox");
    }
    if (dropped.get() > 0) {
      consumer.unlock();
      long count = dropped.get();
      throw new IllegalStateException(
          count
              + (count == 1 ? " message was" : " messages were")
              + " dropped: the inbox was full; take them sooner");
    }
  }
}
