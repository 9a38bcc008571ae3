package io.github.posj.core.store;

/**
 * A {@link ChainStore} could not do what was asked; the message says what and how to fix it.
 *
 * <p>Unchecked: a node cannot go on without its store, so this ends the start or the round at the
 * boundary that catches it.
 *
 * <p>Thread-safe: its message and cause are fixed when it is made (the stack trace and suppressed
 * exceptions are {@link Throwable}'s, which is thread-safe too).
 */
public final class ChainStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public ChainStoreException(String message) {
    super(message);
  }

  /** An exception with this message and cause. */
  public ChainStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
