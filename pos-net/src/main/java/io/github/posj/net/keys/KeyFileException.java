package io.github.posj.net.keys;

/**
 * A key file or slashing-protection file that cannot be read, written or used as it must be. The
 * message names the file, says what is wrong and how to fix it; it never holds a secret.
 *
 * <p>Immutable; thread-safe.
 */
public final class KeyFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A refusal with this message. */
  public KeyFileException(String message) {
    super(message);
  }

  /** A refusal with this message, caused by {@code cause}. */
  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
