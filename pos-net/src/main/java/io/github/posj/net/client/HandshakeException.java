package io.github.posj.net.client;

import java.io.IOException;

/**
 * The TCP connection was made, but the server did not take the validator in: no {@code welcome}
 * within the timeout, no answer to the stake within it, or a {@code closing} line or a close
 * instead. (A refused stake is a {@link StakeRefusedException}.)
 */
public final class HandshakeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public HandshakeException(String message) {
    super(message);
  }
}
