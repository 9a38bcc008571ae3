package io.github.posj.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real process's {@link StopSignal}: Ctrl-C (SIGINT) and SIGTERM start the JVM's shutdown,
 * whose hook raises this signal. If the running command watches the signal (it called {@link
 * #await()} or {@link #requested()}: {@code pos server}, {@code pos validator}), the hook waits, at
 * most {@value #CLEANUP_SECONDS} s, for the command to clean up and {@link Main} to report its exit
 * code, then halts the JVM with that code: a node or validator stopped by its user exits 0, not 130
 * or 143. A command that does not watch it ({@code verify}, {@code simulate}), or one whose cleanup
 * takes longer, ends with the signal's usual code (130 for SIGINT, 143 for SIGTERM). Thread-safe.
 */
final class ProcessStopSignal implements StopSignal {
  private static final int CLEANUP_SECONDS = 10;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean watched;
  private volatile int exitCode;

  private ProcessStopSignal() {}

  /** A signal raised by the JVM's shutdown hook, which this installs. */
  static ProcessStopSignal install() {
    ProcessStopSignal signal = new ProcessStopSignal();
    Runtime.getRuntime().addShutdownHook(new Thread(signal::onShutdown, "pos-shutdown"));
    return signal;
  }

  @Override
  public void await() throws InterruptedException {
    watched = true;
    stop.await();
  }

  @Override
  public boolean requested() {
    watched = true;
    return stop.getCount() == 0;
  }

  /**
   * Ends the process with {@code code}, the command's exit code. During a shutdown started by a
   * signal, {@link System#exit} blocks, and the waiting hook halts the JVM with {@code code}.
   */
  void exit(int code) {
    exitCode = code;
    finished.countDown();
    System.exit(code);
  }

  private void onShutdown() {
    boolean byExit = finished.getCount() == 0;
    stop.countDown();
    if (byExit || !watched) {
      return;
    }
    try {
      if (finished.await(CLEANUP_SECONDS, TimeUnit.SECONDS)) {
        System.out.flush();
        System.err.flush();
        // The command has cleaned up and returned; no other hook of ours is left to run.
        Runtime.getRuntime().halt(exitCode);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
