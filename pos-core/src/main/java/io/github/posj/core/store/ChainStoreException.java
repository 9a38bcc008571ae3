package io.github.posj.core.store;

import java.util.Objects;

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

  /**
   * What a failed call left the store in.
   *
   * <p>Immutable; thread-safe.
   */
  public enum State {
    /** The store holds exactly what it held before the call; the node may go on using it. */
    INTACT,
    /**
     * The store can no longer be trusted to hold a valid chain that matches the node's (a failed
     * write could not be rolled back); nothing more may be appended until it is opened again.
     */
    BROKEN
  }

  /** The store's state after the failure. */
  private final State state;

  /** An exception with this message; the store is {@link State#INTACT}. */
  public ChainStoreException(String message) {
    this(message, null, State.INTACT);
  }

  /** An exception with this message and cause; the store is {@link State#INTACT}. */
  public ChainStoreException(String message, Throwable cause) {
    this(message, cause, State.INTACT);
  }

  /** An exception with this message, cause (may be null) and the state it leaves the store in. */
  public ChainStoreException(String message, Throwable cause, State state) {
    super(message, cause);
    this.state = Objects.requireNonNull(state, "state");
  }

  /** What the failure left the store in: a typed signal a node acts on. */
  public State state() {
    return state;
  }
}
