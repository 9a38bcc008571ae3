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
 * A {@code .env} file, the tutorial's way of configuring its server, read as the Go program's
 * godotenv reads it: {@code KEY=VALUE} lines, with an optional {@code export } prefix; blank lines
 * and lines starting with {@code #} are ignored. An unquoted value ends at a {@code #} that follows
 * a space or tab ({@code PORT=9000 # tutorial} is {@code 9000}), and spaces around it are dropped.
 * A value in single quotes is taken as written; one in double quotes understands {@code \n}, {@code
 * \r} and a backslash before any other character ({@code \"}, {@code \\}); a comment may follow the
 * closing quote. Unlike godotenv, {@code $VAR} is not expanded, a quoted value cannot span lines,
 * and {@code KEY: VALUE} is not accepted. Anything else is an error that names the line. Immutable;
 * thread-safe.
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
      String where = source + " line " + (i + 1) + ": ";
      if (line.matches("export\\s.*")) {
        line = line.substring("export".length()).strip();
      }
      int equals = line.indexOf('=');
      String key = equals < 0 ? "" : line.substring(0, equals).strip();
      if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            where + "expected KEY=VALUE, got \"" + lines.get(i) + "\"");
      }
      String value = value(line.substring(equals + 1).strip(), where, lines.get(i));
      entries.put(key, new Entry(value, i + 1));
    }
    return new DotEnv(entries);
  }

  /** The value in {@code text}, the part of a line after {@code =}, stripped. */
  private static String value(String text, String where, String line) {
    if (!text.startsWith("\"") && !text.startsWith("'")) {
      for (int i = 1; i < text.length(); i++) {
        if (text.charAt(i) == '#' && Character.isWhitespace(text.charAt(i - 1))) {
          return text.substring(0, i).strip();
        }
      }
      return text;
    }
    char quote = text.charAt(0);
    StringBuilder value = new StringBuilder();
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == quote) {
        String rest = text.substring(i + 1).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
          throw new IllegalArgumentException(
              where + "unexpected text after the closing quote, got \"" + line + "\"");
        }
        return value.toString();
      }
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
        if (quote == '"') {
          value.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
          i++;
          continue;
        }
        if (next == quote) {
          // godotenv does not end a single-quoted value at \' but keeps both characters.
          value.append(c).append(next);
          i++;
          continue;
        }
      }
      value.append(c);
    }
    throw new IllegalArgumentException(
        where + "the closing " + quote + " is missing, got \"" + line + "\"");
  }

  /** The value of {@code key}, if the file sets it. */
  public Optional<Entry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
  }
}
