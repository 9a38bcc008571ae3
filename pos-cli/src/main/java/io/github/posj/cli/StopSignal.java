package io.github.posj.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a long-running command to stop: Ctrl-C (SIGINT/SIGTERM) for the real process, a latch in
 * tests.
 *
 * <p>Contract: {@link #await()} blocks until a stop is requested; the command then cleans up
 * (closes connections with a message, finishes writing) and calls {@link #done()}, which lets the
 * process exit. Thread-safe.
 */
public interface StopSignal {
  /** Blocks until a stop is requested. */
  void await() throws InterruptedException;

  /** Whether a stop was requested, without blocking. */
  boolean requested();

  /** The command has finished cleaning up. */
  void done();

  /**
   * A signal raised by the JVM's shutdown (Ctrl-C, SIGTERM): the shutdown hook raises it and then
   * waits, at most 10 s, for {@link #done()} so the cleanup can finish before the JVM halts.
   */
  static StopSignal onJvmShutdown() {
    LatchStopSignal signal = new LatchStopSignal();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  signal.stop();
                  signal.awaitDone(10, TimeUnit.SECONDS);
                },
                "pos-shutdown"));
    return signal;
  }

  /** A signal raised by {@link LatchStopSignal#stop()}; for tests and embedders. */
  final class LatchStopSignal implements StopSignal {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

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

    @Override
    public void done() {
      done.countDown();
    }

    /** Waits until {@link #done()} was called, at most {@code timeout}; whether it was. */
    public boolean awaitDone(long timeout, TimeUnit unit) {
      try {
        return done.await(timeout, unit);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
