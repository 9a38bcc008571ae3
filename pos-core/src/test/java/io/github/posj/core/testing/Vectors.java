package io.github.posj.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the known-answer vectors in {@code src/test/resources/vectors/}.
 *
 * <p>64-bit values in the files are decimal strings, never JSON numbers, so that readers that parse
 * numbers as doubles (JavaScript) lose nothing; {@link #cases} refuses a file with any number in
 * it, and {@link #int64} reads a value.
 */
public final class Vectors {
  private Vectors() {}

  /**
   * The {@code cases} array of vectors file {@code name}.
   *
   * @throws IllegalStateException if the file has no cases or holds a JSON number
   */
  public static JsonNode cases(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no vector file " + name);
      }
      JsonNode cases = new ObjectMapper().readTree(in).get("cases");
      if (cases == null || cases.isEmpty()) {
        throw new IllegalStateException("vector file " + name + " has no cases");
      }
      requireNoNumbers(name, cases);
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A 64-bit value written as a decimal string.
   *
   * @throws IllegalStateException if {@code node} is not a string
   * @throws NumberFormatException if the string is not a 64-bit decimal integer
   */
  public static long int64(JsonNode node) {
    if (!node.isTextual()) {
      throw new IllegalStateException("64-bit values are decimal strings, got " + node);
    }
    return Long.parseLong(node.asText());
  }

  private static void requireNoNumbers(String name, JsonNode node) {
    if (node.isNumber()) {
      throw new IllegalStateException(
          "vector file "
              + name
              + " holds the JSON number "
              + node
              + "; write numbers as decimal strings (generate.py)");
    }
    node.forEach(child -> requireNoNumbers(name, child));
  }
}
