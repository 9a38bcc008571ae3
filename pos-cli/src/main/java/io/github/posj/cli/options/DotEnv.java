package io.github.posj.cli.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .env} file, the tutorial's way of configuring its server: {@code KEY=VALUE} lines; blank
 * lines and lines starting with {@code #} are ignored; an optional {@code export } prefix; a value
 * may be wrapped in single or double quotes. Anything else is an error that names the line.
 * Immutable; thread-safe.
 */
public final class DotEnv {
  /**
   * A value and where it was set.
   *
   * @param value the value, without quotes
   * @param line the line it is on, from 1
   */
  public record Entry(String value, int line) {}

  private static final DotEnv EMPTY = new DotEnv(Map.of());

  private final Map<String, Entry> entries;

  private DotEnv(Map<String, Entry> entries) {
    this.entries = Map.copyOf(entries);
  }

  /** A file with no variables. */
  public static DotEnv empty() {
    return EMPTY;
  }

  /**
   * The variables in {@code file}; empty if it does not exist.
   *
   * @throws IllegalArgumentException if it cannot be read or a line is not {@code KEY=VALUE}; the
   *     message names the line ({@code .env line 2: expected KEY=VALUE, got "..."})
   */
  public static DotEnv read(Path file) {
    if (!Files.isRegularFile(file)) {
      return EMPTY;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(lines, String.valueOf(file.getFileName()));
  }

  /** Parses {@code lines}; {@code source} names them in errors. */
  static DotEnv parse(List<String> lines, String source) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int equals = line.indexOf('=');
      String key = equals < 0 ? "" : line.substring(0, equals).strip();
      if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            source + " line " + (i + 1) + ": expected KEY=VALUE, got \"" + lines.get(i) + "\"");
      }
      String value = line.substring(equals + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      entries.put(key, new Entry(value, i + 1));
    }
    return new DotEnv(entries);
  }

  /** The value of {@code key}, if the file sets it. */
  public Optional<Entry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }
}
