package io.github.posj.net.server;

import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's owner thread: one thread that runs tasks (and scheduled rounds) in order, and after
 * each task runs {@code afterEachTask} (which hands what the task wrote to the event loops: {@link
 * io.github.posj.net.session.Outbox#flush}). So whatever path a write takes on the owner thread, it
 * leaves the thread when the task that made it ends.
 *
 * <p>Thread-safe, as every executor.
 */
final class OwnerExecutor extends ScheduledThreadPoolExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerExecutor.class);

  private final Runnable afterEachTask;

  OwnerExecutor(ThreadFactory threads, Runnable afterEachTask) {
    super(1, threads);
    this.afterEachTask = Objects.requireNonNull(afterEachTask, "afterEachTask");
  }

  @Override
  protected void afterExecute(Runnable task, Throwable thrown) {
    super.afterExecute(task, thrown);
    try {
      afterEachTask.run();
    } catch (RuntimeException e) {
      LOG.error("the owner thread's after-task step failed", e);
    }
  }
}
