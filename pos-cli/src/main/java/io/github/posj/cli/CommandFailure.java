package io.github.posj.cli;

/** A command failed in a way the user can fix; the message says how. Carries the exit code. */
public final class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** A failure with exit code {@link PosCommand#FAILURE}. */
  public CommandFailure(String message) {
    this(message, PosCommand.FAILURE);
  }

  /** A failure with this exit code. */
  public CommandFailure(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The process exit code. */
  public int exitCode() {
    return exitCode;
  }
}
