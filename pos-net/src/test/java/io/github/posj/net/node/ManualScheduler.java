package io.github.posj.net.node;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Scheduler} that only keeps the tasks: the test runs them when it moves its clock, on the
 * test thread. Waits for a task to be scheduled are bounded.
 *
 * <p>Thread-safe.
 */
final class ManualScheduler implements Scheduler {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private record Task(Instant time, Runnable task) {}

  private final List<Task> tasks = new ArrayList<>();

  @Override
  public synchronized void schedule(Instant time, Runnable task) {
    tasks.add(new Task(time, task));
  }

  /** Waits until a task for exactly {@code time} is scheduled. */
  void awaitTask(Instant time) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!hasTask(time)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no task was scheduled for " + time + " within " + WAIT);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** Waits until a task for exactly {@code time} is scheduled, then runs every task due by then. */
  void runAt(Instant time) {
    awaitTask(time);
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      tasks.removeIf(t -> !t.time().isAfter(time) && due.add(t));
    }
    due.forEach(t -> t.task().run());
  }

  private synchronized boolean hasTask(Instant time) {
    return tasks.stream().anyMatch(t -> t.time().equals(time));
  }
}
