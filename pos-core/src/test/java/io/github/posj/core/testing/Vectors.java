package io.github.posj.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the known-answer vectors in {@code src/test/resources/vectors/}. */
public final class Vectors {
  private Vectors() {}

  /** The {@code cases} array of vectors file {@code name}. */
  public static JsonNode cases(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no vector file " + name);
      }
      JsonNode cases = new ObjectMapper().readTree(in).get("cases");
      if (cases == null || cases.isEmpty()) {
        throw new IllegalStateException("vector file " + name + " has no cases");
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
