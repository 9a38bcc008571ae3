package io.github.posj.cli;

/** The {@code pos} command's entry point. */
public final class Main {
  private Main() {}

  /** Runs {@code pos} with {@code args} and exits with its exit code, also after Ctrl-C. */
  public static void main(String[] args) {
    ProcessStopSignal stop = ProcessStopSignal.install();
    stop.exit(PosCommand.commandLine(CliEnvironment.system(stop)).execute(args));
  }
}
