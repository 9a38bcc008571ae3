package io.github.posj.cli;

import io.github.posj.cli.command.DevnetCommand;
import io.github.posj.cli.command.KeygenCommand;
import io.github.posj.cli.command.NodeCommand;
import io.github.posj.cli.command.ServerCommand;
import io.github.posj.cli.command.SimulateCommand;
import io.github.posj.cli.command.StatusCommand;
import io.github.posj.cli.command.ValidatorCommand;
import io.github.posj.cli.command.VerifyCommand;
import io.github.posj.cli.command.VersionCommand;
import io.github.posj.cli.options.EnvironmentDefaults;
import io.github.posj.net.codec.ReasonText;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The root of the {@code pos} command. Exit codes: 0 ok, 1 failure, 2 usage error (picocli's
 * convention, mapped here and nowhere else).
 */
@Command(
    name = "pos",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "A Proof-of-Stake blockchain: the Go tutorial's node, validators and tools, in Java.",
      "",
      "Options can also come from the environment (POS_<OPTION>, e.g. POS_ROUND_SECONDS=10;"
          + " PORT or ADDR for --port) or a .env file in the working directory; a flag wins"
          + " over the environment, which wins over .env."
    },
    subcommands = {
      ServerCommand.class,
      NodeCommand.class,
      ValidatorCommand.class,
      VerifyCommand.class,
      SimulateCommand.class,
      KeygenCommand.class,
      DevnetCommand.class,
      StatusCommand.class,
      CommandLine.HelpCommand.class,
      VersionCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class PosCommand {
  /** Exit code for success. */
  public static final int OK = 0;

  /** Exit code for a failure (invalid chain, unreachable server, slashed validator...). */
  public static final int FAILURE = 1;

  /** Exit code for a usage error (bad option, or a file that is not a chain at all). */
  public static final int USAGE = 2;

  /** slf4j-simple's level; its default, warn, is in {@code simplelogger.properties}. */
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  @Option(
      names = {"-v", "--verbose"},
      description = "Also log every server event and connection (info level).",
      scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      description = "Log only errors, no warnings.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean quiet;

  /** The command line for {@code pos}, wired to {@code environment}. */
  public static CommandLine commandLine(CliEnvironment environment) {
    CommandLine commandLine = new CommandLine(new PosCommand(), new Factory(environment));
    EnvironmentDefaults defaults = new EnvironmentDefaults(environment);
    commandLine.setDefaultValueProvider(defaults);
    commandLine.setExecutionStrategy(parseResult -> execute(parseResult, defaults));
    commandLine.setParameterExceptionHandler(new UsageErrorHandler(defaults));
    commandLine.setOut(new PrintWriter(environment.out(), true));
    commandLine.setErr(new PrintWriter(environment.err(), true));
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + message(exception));
          return exception instanceof CommandFailure failure ? failure.exitCode() : FAILURE;
        });
    return commandLine;
  }

  /**
   * Runs the command unless help or the version was asked for, or {@code .env} is malformed: then
   * every command that takes options from it stops with one line naming the line of {@code .env}.
   */
  private static int execute(CommandLine.ParseResult parseResult, EnvironmentDefaults defaults) {
    Integer help = CommandLine.executeHelpRequest(parseResult);
    if (help != null) {
      return help;
    }
    CommandLine.ParseResult last = parseResult;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    Object command = last.commandSpec().userObject();
    boolean readsOptions =
        !(command instanceof AutoComplete.GenerateCompletion
            || command instanceof CommandLine.HelpCommand
            || command instanceof VersionCommand);
    if (readsOptions && defaults.dotEnvProblem().isPresent()) {
      parseResult
          .commandSpec()
          .commandLine()
          .getErr()
          .println("pos: " + defaults.dotEnvProblem().get());
      return USAGE;
    }
    // Before the first logger exists: slf4j-simple reads its level once.
    defaults
        .exclusive(parseResult.commandSpec(), "--verbose", "--quiet")
        .ifPresent(
            chosen -> System.setProperty(LOG_LEVEL, chosen.equals("--verbose") ? "info" : "error"));
    return new CommandLine.RunLast().execute(parseResult);
  }

  private static String message(Exception exception) {
    String message = exception.getMessage();
    // Never the exception's Java name: it tells a user nothing they can act on.
    // Messages may quote a server, a chain file or a key file: nothing a terminal would act on.
    return message == null
        ? "an unexpected error without a description; please report it with the command you ran"
        : ReasonText.printable(message);
  }

  /** Creates commands, handing {@link CliEnvironment} to those that take it. */
  private static final class Factory implements CommandLine.IFactory {
    private final CliEnvironment environment;

    Factory(CliEnvironment environment) {
      this.environment = environment;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      for (Constructor<?> constructor : type.getDeclaredConstructors()) {
        Class<?>[] parameters = constructor.getParameterTypes();
        if (parameters.length == 1 && parameters[0] == CliEnvironment.class) {
          constructor.setAccessible(true);
          return type.cast(constructor.newInstance(environment));
        }
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
