package io.github.posj.cli.options;

import io.github.posj.cli.CliEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Option defaults from the environment, then from {@code .env}: a flag wins over an environment
 * variable, which wins over {@code .env}, which wins over the built-in default.
 *
 * <ul>
 *   <li>{@code --port}: {@code PORT}, then {@code ADDR} (the tutorial's first version and its text
 *       use {@code ADDR}; {@code :9000} is accepted too), then {@code POS_PORT}; in the environment
 *       first, then in {@code .env}.
 *   <li>any other option {@code --some-name}: {@code POS_SOME_NAME}.
 * </ul>
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
  private static final String[] PORT_KEYS = {"PORT", "ADDR", "POS_PORT"};

  private final CliEnvironment environment;
  private Map<String, String> dotEnv;

  /** Defaults from {@code environment}'s variables and its working directory's {@code .env}. */
  public EnvironmentDefaults(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public String defaultValue(CommandLine.Model.ArgSpec argument) {
    if (!(argument instanceof CommandLine.Model.OptionSpec option)) {
      return null;
    }
    String name = option.longestName();
    if (!name.startsWith("--") || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    if (name.equals("--port")) {
      return port().orElse(null);
    }
    String key = "POS_" + name.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
    return lookUp(key).orElse(null);
  }

  /** The port from PORT, ADDR or POS_PORT, environment first. */
  Optional<String> port() {
    for (Map<String, String> source : List.of(environment.variables(), dotEnv())) {
      for (String key : PORT_KEYS) {
        String value = source.get(key);
        if (value != null && !value.isBlank()) {
          String port = value.strip();
          return Optional.of(port.startsWith(":") ? port.substring(1) : port);
        }
      }
    }
    return Optional.empty();
  }

  private Optional<String> lookUp(String key) {
    String value = environment.variables().get(key);
    if (value == null) {
      value = dotEnv().get(key);
    }
    return Optional.ofNullable(value);
  }

  private Map<String, String> dotEnv() {
    if (dotEnv == null) {
      dotEnv = DotEnv.read(environment.workingDirectory().resolve(".env"));
    }
    return dotEnv;
  }
}
