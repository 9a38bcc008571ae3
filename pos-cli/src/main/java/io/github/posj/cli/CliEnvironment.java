package io.github.posj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a command gets from the process: environment variables, the working directory (where {@code
 * .env} is read), the standard streams, whether they are a terminal, and the signal to stop. Tests
 * hand in their own.
 *
 * @param variables the environment variables
 * @param workingDirectory where {@code .env} is looked for
 * @param in standard input ({@code pos verify -})
 * @param out standard output: results
 * @param err standard error: progress and diagnostics
 * @param terminal whether standard error is a terminal, where progress lines are drawn
 * @param stop tells long-running commands (server, validator) to stop
 */
public record CliEnvironment(
    Map<String, String> variables,
    Path workingDirectory,
    InputStream in,
    PrintStream out,
    PrintStream err,
    boolean terminal,
    StopSignal stop) {

  /** Checks and copies the components. */
  public CliEnvironment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(stop, "stop");
  }

  /** The real process: its environment, working directory and streams, and {@code stop}. */
  public static CliEnvironment system(StopSignal stop) {
    return new CliEnvironment(
        System.getenv(),
        Path.of("").toAbsolutePath(),
        System.in,
        System.out,
        System.err,
        errorIsTerminal(),
        stop);
  }

  /**
   * Whether standard error is a terminal. Java 17 cannot ask that directly: on Linux the device
   * behind {@code /proc/self/fd/2} says it ({@code 2>err.log} is a file, not a terminal); elsewhere
   * {@link System#console()}, which requires standard input and output to be terminals, is the
   * nearest guess.
   */
  private static boolean errorIsTerminal() {
    try {
      return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /** Whether {@code device}, where a file descriptor points, is a terminal. */
  static boolean isTerminalDevice(String device) {
    return device.startsWith("/dev/pts/")
        || device.startsWith("/dev/tty")
        || device.equals("/dev/console");
  }
}
