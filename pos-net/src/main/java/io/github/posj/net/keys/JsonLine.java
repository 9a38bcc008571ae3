package io.github.posj.net.keys;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posj.core.text.UntrustedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The form of this package's files: one JSON object with a {@code format} name and a {@code
 * version} number, exactly the members the format has, and a newline. Reading is strict: a member
 * twice, a member too many or too few, text after the object, or a missing final newline is
 * refused. Each problem is an {@link IllegalArgumentException} whose message says what is wrong in
 * words for the file's reader; values of secret members are never quoted.
 */
final class JsonLine {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");
  private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_QUOTED = 80;

  private final JsonNode node;

  private JsonLine(JsonNode node) {
    this.node = node;
  }

  /**
   * Reads {@code bytes} (at most {@code maxBytes}) as a file of {@code format} version {@code
   * version} with exactly {@code members} ({@code format} and {@code version} among them).
   *
   * @throws IllegalArgumentException saying what is wrong: empty, too long, truncated, not JSON,
   *     another format or version, a member unknown or missing
   */
  static JsonLine parse(
      byte[] bytes, int maxBytes, String format, int version, List<String> members) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("it is empty");
    }
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(
          "it is longer than " + maxBytes + " bytes, so it is not a " + format + " file");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (IOException e) {
      String detail =
          e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
      // Jackson reports the end of input inside an object with several exception types; a
      // whole file ends in a newline, which no prefix of it does.
      boolean object = new String(bytes, StandardCharsets.ISO_8859_1).strip().startsWith("{");
      if (object
          && (e instanceof JsonEOFException
              || String.valueOf(detail).contains("end-of-input")
              || bytes[bytes.length - 1] != '\n')) {
        throw new IllegalArgumentException(
            "it is truncated: it ends inside its JSON object (was writing it interrupted?)");
      }
      throw new IllegalArgumentException("it is not JSON: " + quote(firstLine(detail)));
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("it is not a JSON object");
    }
    if (bytes[bytes.length - 1] != '\n') {
      throw new IllegalArgumentException(
          "it is truncated: its final newline is missing (was writing it interrupted?)");
    }
    JsonNode formatNode = node.get("format");
    if (formatNode == null || !formatNode.isTextual() || !formatNode.asText().equals(format)) {
      throw new IllegalArgumentException(
          "it is not a "
              + format
              + " file ("
              + (formatNode == null
                  ? "it has no \"format\" member"
                  : "its format is " + quote(formatNode.toString()))
              + ")");
    }
    JsonNode versionNode = node.get("version");
    if (versionNode == null || !versionNode.isIntegralNumber() || versionNode.asLong() != version) {
      throw new IllegalArgumentException(
          "it is version "
              + (versionNode == null ? "(none)" : quote(versionNode.toString()))
              + " of the "
              + format
              + " format; this pos reads version "
              + version);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!members.contains(name)) {
        throw new IllegalArgumentException(
            "it has an unknown member "
                + quote("\"" + name + "\"")
                + " (it has exactly "
                + members
                + ")");
      }
    }
    for (String member : members) {
      if (!node.has(member)) {
        throw new IllegalArgumentException("its member \"" + member + "\" is missing");
      }
    }
    return new JsonLine(node);
  }

  /**
   * The 32 bytes written as 64 lowercase hex characters in {@code member}; quoted unless secret.
   */
  byte[] hex32(String member, boolean secret) {
    String text = text(member);
    if (!HEX_32.matcher(text).matches()) {
      throw new IllegalArgumentException(
          member
              + " is 64 lowercase hex characters, got "
              + (secret ? text.length() + " characters" : quote("\"" + text + "\"")));
    }
    return HexFormat.of().parseHex(text);
  }

  /** The decimal string in {@code member}, from {@code min} to {@code max}. */
  long decimal(String member, long min, long max) {
    String text = text(member);
    long value;
    try {
      value = DECIMAL.matcher(text).matches() ? Long.parseLong(text) : -1;
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          member
              + " is a decimal string from "
              + min
              + " to "
              + max
              + ", got "
              + quote("\"" + text + "\""));
    }
    return value;
  }

  /** The string in {@code member}. */
  String text(String member) {
    JsonNode value = node.get(member);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(
          member + " must be a string, got " + quote(value.toString()));
    }
    return value.asText();
  }

  /** {@code text} as a person may see it: escaped, and shortened when long. */
  static String quote(String text) {
    String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    return UntrustedText.escape(shown);
  }

  private static String firstLine(String text) {
    String line = text == null ? "" : text;
    int end = line.indexOf('\n');
    return end < 0 ? line : line.substring(0, end);
  }
}
