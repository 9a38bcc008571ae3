package io.github.posj.cli.options;

import io.github.posj.cli.CliEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment, then from {@code .env}: a flag wins over an environment
 * variable, which wins over {@code .env}, which wins over the built-in default.
 *
 * <ul>
 *   <li>{@code --port}: {@code PORT}, then {@code ADDR} (the tutorial's first version and its text
 *       use {@code ADDR}; {@code :9000} is accepted too), then {@code POS_PORT}; in the environment
 *       first, then in {@code .env}.
 *   <li>{@code pos server --seed}: {@code POS_SERVER_SEED} only (see {@link #keys}).
 *   <li>any other option {@code --some-name}: {@code POS_SOME_NAME}.
 * </ul>
 *
 * <p>Not thread-safe; confine to the thread that parses the command line.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
  private static final List<String> PORT_KEYS = List.of("PORT", "ADDR", "POS_PORT");

  /**
   * A value from the environment or {@code .env}, and where it was found.
   *
   * @param key the variable, e.g. {@code POS_DATA_DIR}
   * @param value its value as written
   * @param origin where: {@code the environment} or {@code .env line N}
   */
  public record Setting(String key, String value, String origin) {
    /** {@code POS_DATA_DIR=/tmp/d (from .env line 2)}: for messages. */
    public String describe() {
      return key + "=" + value + " (from " + origin + ")";
    }
  }

  private final CliEnvironment environment;
  private final DotEnv dotEnv;
  private final Optional<String> dotEnvProblem;

  /**
   * Defaults from {@code environment}'s variables and its working directory's {@code .env}, read
   * now. A {@code .env} that cannot be read or parsed gives no defaults; {@link #dotEnvProblem()}
   * says why, and the command that would use it stops with that message.
   */
  public EnvironmentDefaults(CliEnvironment environment) {
    this.environment = environment;
    DotEnv read;
    String problem;
    try {
      read = DotEnv.read(environment.workingDirectory().resolve(".env"));
      problem = null;
    } catch (IllegalArgumentException e) {
      read = DotEnv.empty();
      problem = e.getMessage();
    }
    this.dotEnv = read;
    this.dotEnvProblem = Optional.ofNullable(problem);
  }

  /** Why {@code .env} could not be used ({@code .env line 1: expected KEY=VALUE, ...}), if so. */
  public Optional<String> dotEnvProblem() {
    return dotEnvProblem;
  }

  /**
   * The provider {@link io.github.posj.cli.PosCommand} installed on {@code spec}'s command line.
   *
   * @throws IllegalStateException if another provider (or none) is installed
   */
  public static EnvironmentDefaults of(CommandSpec spec) {
    if (spec.defaultValueProvider() instanceof EnvironmentDefaults defaults) {
      return defaults;
    }
    throw new IllegalStateException(
        "expected EnvironmentDefaults on '"
            + spec.qualifiedName()
            + "', got "
            + spec.defaultValueProvider());
  }

  @Override
  public String defaultValue(CommandLine.Model.ArgSpec argument) {
    if (!(argument instanceof OptionSpec option)) {
      return null;
    }
    Optional<Setting> setting = setting(option);
    if (setting.isEmpty()) {
      return null;
    }
    String value = setting.get().value();
    if (PORT_KEYS.contains(setting.get().key())) {
      value = value.strip();
      return value.startsWith(":") ? value.substring(1) : value;
    }
    return value;
  }

  /** The environment variable or {@code .env} line that sets {@code option}, if any. */
  public Optional<Setting> setting(OptionSpec option) {
    List<String> keys = keys(option);
    return lookUpEnvironment(keys).or(() -> lookUpDotEnv(keys));
  }

  /**
   * The variables {@code option} is read from, first found wins: none for help and version, {@code
   * PORT}, {@code ADDR}, {@code POS_PORT} for {@code --port}, {@code POS_SERVER_SEED} for {@code
   * pos server --seed} (so a {@code POS_SEED} meant for {@code simulate} never makes a node's draws
   * predictable), else {@code POS_} and the option's name.
   */
  public static List<String> keys(OptionSpec option) {
    String name = option.longestName();
    if (!name.startsWith("--") || option.usageHelp() || option.versionHelp()) {
      return List.of();
    }
    if (name.equals("--port")) {
      return PORT_KEYS;
    }
    String key = "POS_" + name.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
    if (name.equals("--seed")
        && option.command() != null
        && option.command().name().equals("server")) {
      return List.of("POS_SERVER_SEED");
    }
    return List.of(key);
  }

  /**
   * Which of two mutually exclusive options is in effect: the one given on the command line; else
   * the one set (for a boolean: set to {@code true}) in the environment or {@code .env}; else none.
   *
   * @param spec the command that has both options
   * @throws CommandLine.ParameterException if both are given on the command line, or neither is and
   *     both are set in the environment or {@code .env} (the message names where)
   */
  public Optional<String> exclusive(CommandSpec spec, String first, String second) {
    boolean firstGiven = matched(spec, first);
    boolean secondGiven = matched(spec, second);
    if (firstGiven && secondGiven) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), first + " and " + second + " are mutually exclusive: give one");
    }
    if (firstGiven || secondGiven) {
      return Optional.of(firstGiven ? first : second);
    }
    Optional<Setting> firstSet = setting(spec.findOption(first)).filter(s -> isOn(spec, first, s));
    Optional<Setting> secondSet =
        setting(spec.findOption(second)).filter(s -> isOn(spec, second, s));
    if (firstSet.isPresent() && secondSet.isPresent()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          firstSet.get().describe()
              + " and "
              + secondSet.get().describe()
              + " conflict: "
              + first
              + " and "
              + second
              + " are mutually exclusive; remove one, or choose on the command line");
    }
    return firstSet.map(s -> first).or(() -> secondSet.map(s -> second));
  }

  private static boolean isOn(CommandSpec spec, String name, Setting setting) {
    OptionSpec option = spec.findOption(name);
    if (option.typeInfo().isBoolean()) {
      return setting.value().strip().equalsIgnoreCase("true");
    }
    return !setting.value().isBlank();
  }

  /** Whether {@code name} was given on the command line, to this command or one it belongs to. */
  private static boolean matched(CommandSpec spec, String name) {
    CommandLine.ParseResult result = spec.root().commandLine().getParseResult();
    for (; result != null; result = result.subcommand()) {
      if (result.hasMatchedOption(name)) {
        return true;
      }
    }
    return false;
  }

  private Optional<Setting> lookUpEnvironment(List<String> keys) {
    for (String key : keys) {
      String value = environment.variables().get(key);
      if (value != null && !value.isBlank()) {
        return Optional.of(new Setting(key, value, "the environment"));
      }
    }
    return Optional.empty();
  }

  private Optional<Setting> lookUpDotEnv(List<String> keys) {
    for (String key : keys) {
      Optional<DotEnv.Entry> entry = dotEnv.entry(key).filter(e -> !e.value().isBlank());
      if (entry.isPresent()) {
        return Optional.of(
            new Setting(key, entry.get().value(), ".env line " + entry.get().line()));
      }
    }
    return Optional.empty();
  }
}
