package io.github.posj.cli;

import io.github.posj.cli.options.EnvironmentDefaults;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reports a usage error (unknown option, bad value, conflicting options) in two lines, the error
 * and where to read more, instead of picocli's full usage: {@code pos server: Unknown option:
 * '--prot'}, a suggestion when one is close, then {@code Try 'pos server --help' for more
 * information.} A bad value that came from the environment or {@code .env} names the variable and
 * where it was set. Exit code {@link PosCommand#USAGE}.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
  private final EnvironmentDefaults defaults;

  UsageErrorHandler(EnvironmentDefaults defaults) {
    this.defaults = defaults;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException exception, String[] args) {
    CommandLine command = exception.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + exception.getMessage() + origin(exception, List.of(args)));
    CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
    err.println("Try '" + name + " --help' for more information.");
    return PosCommand.USAGE;
  }

  /** {@code (set by POS_X in .env line 3)} when the bad value came from there, else empty. */
  private String origin(CommandLine.ParameterException exception, List<String> args) {
    if (!(exception.getArgSpec() instanceof OptionSpec option)) {
      return "";
    }
    for (String name : option.names()) {
      for (String arg : args) {
        if (arg.equals(name) || arg.startsWith(name + "=")) {
          return "";
        }
      }
    }
    return defaults
        .setting(option)
        .map(setting -> " (set by " + setting.key() + " in " + setting.origin() + ")")
        .orElse("");
  }
}
