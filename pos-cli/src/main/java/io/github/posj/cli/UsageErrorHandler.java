package io.github.posj.cli;

import io.github.posj.cli.options.EnvironmentDefaults;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern INVALID_VALUE =
      Pattern.compile(
          "Invalid value for (?:option|positional parameter) '([^']*)': (.*)", Pattern.DOTALL);
  private static final Pattern JAVA_INTEGER =
      Pattern.compile("is not an? (?:long|int|short|byte|Long|Integer)\\b");

  private final EnvironmentDefaults defaults;

  UsageErrorHandler(EnvironmentDefaults defaults) {
    this.defaults = defaults;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException exception, String[] args) {
    CommandLine command = exception.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + plain(exception.getMessage()) + origin(exception, List.of(args)));
    CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
    err.println("Try '" + name + " --help' for more information.");
    return PosCommand.USAGE;
  }

  /**
   * picocli's words for a bad value without its Java: {@code Invalid value for option '--rounds':
   * 'abc' is not a long} becomes {@code --rounds: 'abc' is not a whole number}.
   */
  static String plain(String message) {
    Matcher invalid = INVALID_VALUE.matcher(message);
    if (!invalid.matches()) {
      return message;
    }
    return invalid.group(1)
        + ": "
        + JAVA_INTEGER.matcher(invalid.group(2)).replaceAll("is not a whole number");
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
