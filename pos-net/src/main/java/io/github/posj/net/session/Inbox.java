package io.github.posj.net.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How connection handlers hand work to the owner thread. A {@link #batching} inbox collects what
 * the handlers of one event loop post during one pass over its ready connections and hands it to
 * the owner as one task, after the pass (or at {@value #MAX_BATCH} tasks): 10,000 proposals read in
 * a few passes cost a few cross-thread hand-overs and wake-ups of the owner, not 10,000. A {@link
 * #direct} inbox posts each task on its own.
 *
 * <p>Order: the tasks of one channel run on the owner in the order they were posted (a channel
 * belongs to one event loop, whose batches are handed over in order). A task that throws is logged
 * and does not keep the others of its batch from running. If the owner refuses a batch (it is
 * shutting down), the connections that posted it are closed: nobody is left to serve them.
 *
 * <p>Thread-safe: {@link #post} may be called on any event loop; each event loop's batch is
 * confined to it.
 */
public final class Inbox {
  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

  /** The most tasks handed over at once: a long pass over busy connections still goes in slices. */
  static final int MAX_BATCH = 1024;

  private final Executor owner;
  private final boolean batching;
  private final ConcurrentMap<EventExecutor, Batch> batches = new ConcurrentHashMap<>();

  private Inbox(Executor owner, boolean batching) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.batching = batching;
  }

  /** An inbox that batches per event loop; {@code owner} runs tasks in submission order. */
  public static Inbox batching(Executor owner) {
    return new Inbox(owner, true);
  }

  /** An inbox that posts each task to {@code owner} at once. */
  public static Inbox direct(Executor owner) {
    return new Inbox(owner, false);
  }

  /** Has {@code task} run on the owner thread, on behalf of {@code ctx}'s connection. */
  public void post(ChannelHandlerContext ctx, Runnable task) {
    Objects.requireNonNull(task, "task");
    EventExecutor loop = ctx.executor();
    if (!batching || !loop.inEventLoop()) {
      try {
        owner.execute(task);
      } catch (RejectedExecutionException e) {
        ctx.close();
      }
      return;
    }
    batches.computeIfAbsent(loop, Batch::new).add(ctx, task);
  }

  /** The tasks one event loop has collected; confined to that event loop. */
  private final class Batch {
    private final EventExecutor loop;
    private List<ChannelHandlerContext> contexts = new ArrayList<>();
    private List<Runnable> tasks = new ArrayList<>();
    private boolean handOverScheduled;

    Batch(EventExecutor loop) {
      this.loop = loop;
    }

    void add(ChannelHandlerContext ctx, Runnable task) {
      contexts.add(ctx);
      tasks.add(task);
      if (tasks.size() >= MAX_BATCH) {
        handOver();
      } else if (!handOverScheduled) {
        handOverScheduled = true;
        try {
          // An event loop runs its tasks after the pass over its ready connections.
          loop.execute(this::scheduledHandOver);
        } catch (RejectedExecutionException e) {
          handOverScheduled = false;
          handOver();
        }
      }
    }

    private void scheduledHandOver() {
      handOverScheduled = false;
      handOver();
    }

    private void handOver() {
      if (tasks.isEmpty()) {
        return;
      }
      List<ChannelHandlerContext> posting = contexts;
      List<Runnable> running = tasks;
      contexts = new ArrayList<>();
      tasks = new ArrayList<>();
      try {
        owner.execute(() -> runAll(running));
      } catch (RejectedExecutionException e) {
        posting.forEach(ChannelHandlerContext::close);
      }
    }
  }

  private static void runAll(List<Runnable> tasks) {
    for (Runnable task : tasks) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("a connection's task failed on the owner thread", e);
      }
    }
  }
}
