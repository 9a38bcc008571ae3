package io.github.posj.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pos devnet}: local test networks of network mode; its work is in its subcommands. */
@Command(
    name = "devnet",
    mixinStandardHelpOptions = true,
    description =
        "Local test networks on this machine: keys, a genesis and the layout of its nodes (init),"
            + " and a command that runs them all (up).",
    subcommands = {DevnetInitCommand.class, DevnetUpCommand.class})
public final class DevnetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing required subcommand: " + String.join(", ", spec.subcommands().keySet()));
  }
}
