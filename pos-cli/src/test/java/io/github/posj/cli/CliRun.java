package io.github.posj.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs {@code pos} in-process with a given environment and captures its output. */
public final class CliRun {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final CliEnvironment environment;

  /** An environment with these variables, working directory, stdin and stop signal. */
  public CliRun(Map<String, String> variables, Path directory, String stdin, StopSignal stop) {
    this(variables, directory, stdin, stop, false);
  }

  private CliRun(
      Map<String, String> variables,
      Path directory,
      String stdin,
      StopSignal stop,
      boolean terminal) {
    this.environment =
        new CliEnvironment(
            variables,
            directory,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            terminal,
            stop);
  }

  /** An environment with no variables and no input, in {@code directory}. */
  public CliRun(Path directory) {
    this(Map.of(), directory);
  }

  /** An environment with these variables and no input, in {@code directory}. */
  public CliRun(Map<String, String> variables, Path directory) {
    this(variables, directory, "", new StopSignal.LatchStopSignal());
  }

  /** As {@link #CliRun(Path)}, with standard error on a terminal (progress lines). */
  public static CliRun onTerminal(Path directory) {
    return new CliRun(Map.of(), directory, "", new StopSignal.LatchStopSignal(), true);
  }

  /** Runs {@code pos args} and returns the exit code. */
  public int run(String... args) {
    return PosCommand.commandLine(environment).execute(args);
  }

  /** What was printed to standard output so far. */
  public String out() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** What was printed to standard error so far. */
  public String err() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  /** The environment the command sees. */
  public CliEnvironment environment() {
    return environment;
  }
}
