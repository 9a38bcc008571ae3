package io.github.posj.cli.options;

import io.github.posj.cli.CliEnvironment;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a node keeps its chain, from {@code --data-dir} and {@code --in-memory}: a flag wins over
 * {@code POS_DATA_DIR} and {@code POS_IN_MEMORY} (environment or {@code .env}); both of those set
 * is a usage error rather than a silent choice. Shared by {@code pos server} and {@code pos node}.
 *
 * <p>Stateless; thread-safe.
 */
public final class DataDirectoryChoice {
  private DataDirectoryChoice() {}

  /**
   * The directory (resolved against the working directory), or empty for in memory.
   *
   * @param dataDirectory the value of {@code --data-dir} (or its environment default), or null
   * @param defaultName the directory used when neither option is set
   */
  public static Optional<Path> of(
      CommandSpec spec, CliEnvironment environment, Path dataDirectory, String defaultName) {
    Optional<String> chosen =
        EnvironmentDefaults.of(spec).exclusive(spec, "--data-dir", "--in-memory");
    if (chosen.filter("--in-memory"::equals).isPresent()) {
      return Optional.empty();
    }
    Path directory =
        chosen.isPresent() && dataDirectory != null ? dataDirectory : Path.of(defaultName);
    return Optional.of(environment.workingDirectory().resolve(directory).normalize());
  }
}
