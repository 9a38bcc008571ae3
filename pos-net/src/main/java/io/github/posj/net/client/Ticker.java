package io.github.posj.net.client;

/**
 * A source of elapsed time in nanoseconds, from an arbitrary origin (as {@link System#nanoTime}).
 * Injected so that schedules can be tested without waiting (Caffeine's {@code Ticker}).
 *
 * <p>Implementations are thread-safe; successive reads never go back.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds since an arbitrary, fixed origin. */
  long read();

  /** The system's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
