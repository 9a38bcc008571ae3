package io.github.posj.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pos version}: what {@code pos --version} prints, for those who type it as a command. */
@Command(
    name = "version",
    description = "Prints the version of pos and of the Java it runs on (as pos --version).")
public final class VersionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.root().commandLine().printVersionHelp(spec.commandLine().getOut());
  }
}
