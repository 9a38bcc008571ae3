package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import java.io.PrintStream;

/**
 * A progress line on standard error, rewritten in place ({@code \r}) and erased when done, shown
 * only when standard error is a terminal ({@link CliEnvironment#terminal()}): a log file or a pipe
 * gets nothing. Not thread-safe; confine to the command's thread.
 */
final class ProgressLine {
  private final PrintStream err;
  private final boolean terminal;
  private boolean shown;

  ProgressLine(CliEnvironment environment) {
    this.err = environment.err();
    this.terminal = environment.terminal();
  }

  /** Replaces the line with {@code text}. */
  void show(String text) {
    if (terminal) {
      err.print("\r" + text);
      err.flush();
      shown = true;
    }
  }

  /** Erases the line, so what is printed next starts on a clean line. */
  void clear() {
    if (shown) {
      err.print("\r\033[K");
      err.flush();
      shown = false;
    }
  }
}
