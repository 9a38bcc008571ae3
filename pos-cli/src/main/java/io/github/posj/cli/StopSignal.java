package io.github.posj.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Tells a long-running command to stop: Ctrl-C (SIGINT) or SIGTERM for the real process ({@link
 * ProcessStopSignal}), a latch in tests.
 *
 * <p>Contract: {@link #await()} blocks until a stop is requested; the command then cleans up
 * (closes connections with a message, finishes writing) and returns its exit code. A command that
 * calls neither method is not waited for: the process ends at once. Thread-safe.
 */
public interface StopSignal {
  /** Blocks until a stop is requested. */
  void await() throws InterruptedException;

  /** Whether a stop was requested, without blocking. */
  boolean requested();

  /** A signal raised by {@link LatchStopSignal#stop()}; for tests and embedders. */
  final class LatchStopSignal implements StopSignal {
    private final CountDownLatch stop = new CountDownLatch(1);

    /** Requests the stop. */
    public void stop() {
      stop.countDown();
    }

    @Override
    public void await() throws InterruptedException {
      stop.await();
    }

    @Override
    public boolean requested() {
      return stop.getCount() == 0;
    }
  }
}
