package io.github.posj.cli;

/** The {@code pos} command's entry point. */
public final class Main {
  private Main() {}

  /** Runs {@code pos} with {@code args} and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(PosCommand.commandLine(CliEnvironment.system()).execute(args));
  }
}
