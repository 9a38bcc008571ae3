package io.github.posj.core.block;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.crypto.Signature;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.text.UntrustedText;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The chain's JSON form, as the tutorial prints it: an array of objects with exactly the keys
 * {@code Index}, {@code Timestamp}, {@code BPM}, {@code Hash}, {@code PrevHash}, {@code Validator},
 * in that order, compact, with Go's string escaping ({@code <}, {@code >}, {@code &}, U+2028 and
 * U+2029 escaped as {@code \u003c} and so on).
 *
 * <p>Reading is strict: every key present exactly once and with its type ({@code Index} and {@code
 * BPM} integers, the others strings; hashes and addresses {@code ""} or 64 lowercase hex; a
 * Timestamp at most {@value Block#MAX_TIMESTAMP_LENGTH} characters with no unpaired surrogate), no
 * other keys, nothing after the array. Errors are results ({@link ParsedChain.Malformed}) that name
 * the problem, the line and the column.
 *
 * <p>Immutable; thread-safe.
 */
public final class ChainJson {
  /** The keys of a block object, in the order the tutorial writes them. */
  public static final List<String> KEYS =
      List.of("Index", "Timestamp", "BPM", "Hash", "PrevHash", "Validator");

  /** The longest string or number a chain's JSON may hold, in characters. */
  public static final int MAX_TOKEN_LENGTH = 64 * 1024;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(8)
                  .maxStringLength(MAX_TOKEN_LENGTH)
                  .maxNumberLength(MAX_TOKEN_LENGTH)
                  .maxNameLength(MAX_TOKEN_LENGTH)
                  .build())
          .build();

  private ChainJson() {}

  /**
   * The result of reading a chain or a block.
   *
   * <p>Immutable; thread-safe.
   */
  public sealed interface ParsedChain {
    /**
     * The text was a well-formed chain; its blocks are not yet checked against each other.
     *
     * <p>Immutable; thread-safe.
     *
     * @param blocks the blocks, in the order read
     */
    record Parsed(List<Block> blocks) implements ParsedChain {
      /** Copies the list. */
      public Parsed {
        blocks = List.copyOf(blocks);
      }
    }

    /**
     * The text was not a chain.
     *
     * <p>Immutable; thread-safe.
     *
     * @param message what is wrong, for a person, with control and bidi characters escaped
     * @param line 1-based line of the problem
     * @param column 1-based column of the problem
     */
    record Malformed(String message, int line, int column) implements ParsedChain {
      /**
       * Checks the message and escapes it for display ({@link UntrustedText#escape}): it may quote
       * the input.
       */
      public Malformed {
        message = UntrustedText.escape(Objects.requireNonNull(message, "message"));
      }

      /** {@code line L, column C: message}. */
      public String describe() {
        return "line " + line + ", column " + column + ": " + message;
      }
    }
  }

  /** Writes {@code blocks} as one compact JSON array, without a trailing newline. */
  public static String write(List<Block> blocks) {
    StringBuilder out = new StringBuilder(blocks.size() * 260 + 2);
    out.append('[');
    for (int i = 0; i < blocks.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      writeBlock(blocks.get(i), out);
    }
    return out.append(']').toString();
  }

  /** Writes one block as a compact JSON object. */
  public static String write(Block block) {
    StringBuilder out = new StringBuilder(260);
    writeBlock(block, out);
    return out.toString();
  }

  /** Appends one block as a compact JSON object to {@code out}. */
  public static void writeBlock(Block block, StringBuilder out) {
    out.append("{\"Index\":").append(block.index());
    out.append(",\"Timestamp\":");
    writeGoString(block.timestamp(), out);
    out.append(",\"BPM\":").append(block.bpm());
    out.append(",\"Hash\":\"").append(block.hash().hex());
    out.append("\",\"PrevHash\":\"").append(block.prevHash().hex());
    out.append("\",\"Validator\":\"").append(block.validator().hex()).append("\"}");
  }

  /** Escapes a string as Go's encoding/json does (HTML-safe), with the quotes. */
  static void writeGoString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            UntrustedText.appendUnicodeEscape(c, out);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Reads a chain: a JSON array of block objects. */
  public static ParsedChain parse(String json) {
    Objects.requireNonNull(json, "json");
    try (JsonParser parser = FACTORY.createParser(json)) {
      return parse(parser);
    } catch (IOException e) {
      // Reading from a String does no I/O; Jackson declares it anyway.
      return new ParsedChain.Malformed(String.valueOf(e.getMessage()), 1, 1);
    }
  }

  /**
   * Reads a chain, a JSON array of block objects, from UTF-8 (or UTF-16/32, detected) bytes as they
   * come: only the blocks and the token being read are held, never the whole text. A string or
   * number token longer than {@value #MAX_TOKEN_LENGTH} characters, bytes that are not valid in the
   * encoding, and every other syntax error are a {@link ParsedChain.Malformed} with the line and
   * column. Does not close {@code json}.
   *
   * @throws IOException if {@code json} cannot be read (the caller's I/O, not the text's)
   */
  public static ParsedChain parse(InputStream json) throws IOException {
    List<Block> blocks = new ArrayList<>();
    return outcome(parseEach(json, blocks::add), blocks);
  }

  /**
   * Reads a chain, a JSON array of block objects, from UTF-8 (or UTF-16/32, detected) bytes as
   * {@link #parse(InputStream)} does, but hands each block to {@code each} as soon as it is read
   * instead of keeping it: memory holds one block and one token, whatever the chain's length. The
   * problems and their messages are exactly {@link #parse(InputStream)}'s.
   *
   * <p>The blocks before a problem have been handed over by the time it is found, so a caller that
   * must not act on the blocks of a text that turns out not to be a chain waits for the result (as
   * {@code pos verify} prints nothing before it). Does not close {@code json}.
   *
   * @param each given every block, in order, on the calling thread
   * @return empty when the whole text is a chain; else the first problem, with its line and column
   * @throws IOException if {@code json} cannot be read (the caller's I/O, not the text's)
   */
  public static Optional<ParsedChain.Malformed> parseEach(
      InputStream json, Consumer<? super Block> each) throws IOException {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(each, "each");
    try (JsonParser parser =
        FACTORY.createParser(json).disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)) {
      return parseEach(parser, each);
    } catch (CharConversionException e) {
      return Optional.of(new ParsedChain.Malformed("not valid UTF-8: " + e.getMessage(), 1, 1));
    }
  }

  private static ParsedChain parse(JsonParser parser) throws IOException {
    List<Block> blocks = new ArrayList<>();
    return outcome(parseEach(parser, blocks::add), blocks);
  }

  private static ParsedChain outcome(Optional<ParsedChain.Malformed> malformed, List<Block> read) {
    return malformed.isPresent()
        ? malformed.get()
        : new ParsedChain.Parsed(Collections.unmodifiableList(read));
  }

  private static Optional<ParsedChain.Malformed> parseEach(
      JsonParser parser, Consumer<? super Block> each) throws IOException {
    try {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return Optional.of(malformed(parser, "a chain is a JSON array of blocks ([{...},...])"));
      }
      for (long count = 0; ; count++) {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
          break;
        }
        if (token != JsonToken.START_OBJECT) {
          return Optional.of(malformed(parser, "block " + count + " is not a JSON object"));
        }
        Object block = readBlock(parser, "block " + count);
        if (block instanceof ParsedChain.Malformed m) {
          return Optional.of(m);
        }
        each.accept((Block) block);
      }
      if (parser.nextToken() != null) {
        return Optional.of(malformed(parser, "unexpected content after the chain's closing ]"));
      }
      return Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.of(fromJackson(e));
    }
  }

  /**
   * Reads one block in exactly the form {@link #write(Block)} gives it, from ASCII bytes: the keys
   * in order, no whitespace, numbers of at most 18 digits without leading zeros, a Timestamp
   * without escapes: the lines a posj chain file holds (but for 19-digit numbers), read several
   * times faster than {@link #parseBlock(String)} (no decoding into a String, no JSON parser).
   * Anything else, valid JSON or not, is left to {@link #parseBlock(String)}, which gives the same
   * block for what this accepts.
   *
   * @return the block, or empty if the bytes are not in that form (not an error: parse them with
   *     {@link #parseBlock(String)})
   */
  public static Optional<Block> parseCanonicalBlock(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return new CanonicalReader(bytes, offset, offset + length).block();
  }

  /**
   * The reader behind {@link #parseCanonicalBlock} and {@link SignedBlockJson#parseCanonical}: one
   * use. Not thread-safe.
   */
  static final class CanonicalReader {
    private final byte[] bytes;
    private final int end;
    private int at;

    CanonicalReader(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.at = start;
      this.end = end;
    }

    Optional<Block> block() {
      Optional<Block> block = sixKeys();
      return block.isPresent() && literal("}") && at == end ? block : Optional.empty();
    }

    /**
     * A signed block as {@link SignedBlockJson#write} writes it: the six keys, then Slot, PubKey,
     * Reveal and Signature; with the values that {@link SignedBlockJson#parse(String)} accepts.
     */
    Optional<SignedBlock> signedBlock() {
      Optional<Block> read = sixKeys();
      if (read.isEmpty()) {
        return Optional.empty();
      }
      Block block = read.get();
      if (block.index() < 1
          || block.prevHash().isEmpty()
          || block.validator().isNone()
          || !literal(",\"Slot\":\"")) {
        return Optional.empty();
      }
      long slot = number(false);
      if (slot < 1 || !literal("\",\"PubKey\":\"")) {
        return Optional.empty();
      }
      byte[] key = hexBytes(PublicKey.LENGTH);
      if (key == null || !literal(",\"Reveal\":\"")) {
        return Optional.empty();
      }
      Optional<Hash> reveal = hex();
      if (reveal.isEmpty() || reveal.get().isEmpty() || !literal(",\"Signature\":\"")) {
        return Optional.empty();
      }
      byte[] signature = hexBytes(Signature.LENGTH);
      if (signature == null || !literal("}") || at != end) {
        return Optional.empty();
      }
      return Optional.of(
          new SignedBlock(block, slot, PublicKey.of(key), reveal.get(), Signature.of(signature)));
    }

    /** The tutorial's six keys, up to and without the closing brace. */
    private Optional<Block> sixKeys() {
      if (!literal("{\"Index\":")) {
        return Optional.empty();
      }
      long index = number(false);
      if (index < 0 || !literal(",\"Timestamp\":\"")) {
        return Optional.empty();
      }
      int timestampStart = at;
      while (at < end && plainTimestampByte(bytes[at])) {
        at++;
      }
      int timestampLength = at - timestampStart;
      if (timestampLength > Block.MAX_TIMESTAMP_LENGTH || !literal("\",\"BPM\":")) {
        return Optional.empty();
      }
      boolean negative = at < end && bytes[at] == '-';
      if (negative) {
        at++;
      }
      long bpm = number(negative);
      // number's "not a number" is -1 without a sign, which is also a BPM ("BPM":-1): tell apart.
      if ((negative ? bpm == Long.MIN_VALUE : bpm < 0) || !literal(",\"Hash\":\"")) {
        return Optional.empty();
      }
      Optional<Hash> hash = hex();
      if (hash.isEmpty() || hash.get().isEmpty() || !literal(",\"PrevHash\":\"")) {
        return Optional.empty();
      }
      Optional<Hash> prevHash = hex();
      if (prevHash.isEmpty() || !literal(",\"Validator\":\"")) {
        return Optional.empty();
      }
      Optional<Hash> validator = hex();
      if (validator.isEmpty()) {
        return Optional.empty();
      }
      String timestamp =
          new String(bytes, timestampStart, timestampLength, StandardCharsets.US_ASCII);
      return Optional.of(
          new Block(
              index, timestamp, bpm, hash.get(), prevHash.get(), new ValidatorId(validator.get())));
    }

    /** Whether {@code text} comes next (ASCII), consuming it. */
    private boolean literal(String text) {
      if (end - at < text.length()) {
        return false;
      }
      for (int i = 0; i < text.length(); i++) {
        if (bytes[at + i] != text.charAt(i)) {
          return false;
        }
      }
      at += text.length();
      return true;
    }

    /**
     * A run of digits as JSON writes a number (no leading zero but a lone 0), at most 18 digits so
     * that it fits; {@code -1} (or {@link Long#MIN_VALUE} when negative) if not. A negative zero is
     * refused, as the writer never writes it.
     */
    private long number(boolean negative) {
      int start = at;
      long value = 0;
      while (at < end && bytes[at] >= '0' && bytes[at] <= '9' && at - start < 18) {
        value = value * 10 + (bytes[at] - '0');
        at++;
      }
      int digits = at - start;
      boolean digitFollows = at < end && bytes[at] >= '0' && bytes[at] <= '9';
      if (digits == 0 || digitFollows || (digits > 1 && bytes[start] == '0')) {
        return negative ? Long.MIN_VALUE : -1;
      }
      if (negative) {
        return value == 0 ? Long.MIN_VALUE : -value;
      }
      return value;
    }

    /** A quoted hex field's content up to its closing quote, which is consumed. */
    private Optional<Hash> hex() {
      int start = at;
      while (at < end && bytes[at] != '"') {
        at++;
      }
      if (at == end) {
        return Optional.empty();
      }
      Optional<Hash> hash = Hash.parseHex(bytes, start, at - start);
      at++;
      return hash;
    }

    /**
     * Exactly {@code 2 * length} lowercase hex digits and the closing quote (consumed); null if
     * that is not what comes next.
     */
    private byte[] hexBytes(int length) {
      if (end - at < 2 * length + 1 || bytes[at + 2 * length] != '"') {
        return null;
      }
      byte[] out = new byte[length];
      for (int i = 0; i < length; i++, at += 2) {
        int high = lowerHexDigit(bytes[at]);
        int low = lowerHexDigit(bytes[at + 1]);
        if (high < 0 || low < 0) {
          return null;
        }
        out[i] = (byte) (high << 4 | low);
      }
      at++;
      return out;
    }

    private static int lowerHexDigit(byte b) {
      if (b >= '0' && b <= '9') {
        return b - '0';
      }
      return b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
    }

    /** A Timestamp byte that {@link #write} writes as it is: printable ASCII, not escaped. */
    private static boolean plainTimestampByte(byte b) {
      return b >= 0x20 && b < 0x7f && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&';
    }
  }

  /** Reads one block object; on success the result holds a single block. */
  public static ParsedChain parseBlock(String json) {
    Objects.requireNonNull(json, "json");
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return malformed(parser, "a block is a JSON object");
      }
      Object block = readBlock(parser, "the block");
      if (block instanceof ParsedChain.Malformed m) {
        return m;
      }
      if (parser.nextToken() != null) {
        return malformed(parser, "unexpected content after the block");
      }
      return new ParsedChain.Parsed(List.of((Block) block));
    } catch (JsonProcessingException e) {
      return fromJackson(e);
    } catch (IOException e) {
      return new ParsedChain.Malformed(String.valueOf(e.getMessage()), 1, 1);
    }
  }

  /** Reads the fields of a block whose START_OBJECT was just read; a Block or a Malformed. */
  private static Object readBlock(JsonParser parser, String what) throws IOException {
    JsonLocation start = parser.currentTokenLocation();
    Long index = null;
    Long bpm = null;
    String timestamp = null;
    Hash hash = null;
    Hash prevHash = null;
    ValidatorId validator = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (key) {
        case "Index", "BPM" -> {
          if (value != JsonToken.VALUE_NUMBER_INT
              || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return malformed(parser, what + ": " + key + " must be an integer (64-bit)");
          }
          if ((key.equals("Index") ? index : bpm) != null) {
            return malformed(parser, what + ": duplicate key " + key);
          }
          long number = parser.getLongValue();
          if (key.equals("Index")) {
            if (number < 0) {
              return malformed(parser, what + ": Index must be >= 0, got " + number);
            }
            index = number;
          } else {
            bpm = number;
          }
        }
        case "Timestamp", "Hash", "PrevHash", "Validator" -> {
          if (value != JsonToken.VALUE_STRING) {
            return malformed(parser, what + ": " + key + " must be a string");
          }
          String text = parser.getText();
          boolean duplicate =
              switch (key) {
                case "Timestamp" -> timestamp != null;
                case "Hash" -> hash != null;
                case "PrevHash" -> prevHash != null;
                default -> validator != null;
              };
          if (duplicate) {
            return malformed(parser, what + ": duplicate key " + key);
          }
          if (key.equals("Timestamp")) {
            if (text.length() > Block.MAX_TIMESTAMP_LENGTH) {
              return malformed(
                  parser,
                  what
                      + ": Timestamp has "
                      + text.length()
                      + " characters, at most "
                      + Block.MAX_TIMESTAMP_LENGTH
                      + " allowed");
            }
            // JSON's \ud800 escapes can spell a lone surrogate, which Block refuses.
            Optional<String> problem = Block.timestampProblem(text);
            if (problem.isPresent()) {
              return malformed(parser, what + ": " + problem.get());
            }
            timestamp = text;
          } else {
            Hash parsed = Hash.parseHex(text).orElse(null);
            if (parsed == null || (key.equals("Hash") && parsed.isEmpty())) {
              return malformed(
                  parser,
                  what
                      + ": "
                      + key
                      + " must be "
                      + (key.equals("Hash") ? "" : "\"\" or ")
                      + "64 lowercase hex digits");
            }
            switch (key) {
              case "Hash" -> hash = parsed;
              case "PrevHash" -> prevHash = parsed;
              default -> validator = new ValidatorId(parsed);
            }
          }
        }
        default -> {
          return malformed(
              parser, what + ": unknown key \"" + key + "\" (a block has exactly " + KEYS + ")");
        }
      }
    }
    if (index == null
        || timestamp == null
        || bpm == null
        || hash == null
        || prevHash == null
        || validator == null) {
      List<String> missing = new ArrayList<>();
      if (index == null) {
        missing.add("Index");
      }
      if (timestamp == null) {
        missing.add("Timestamp");
      }
      if (bpm == null) {
        missing.add("BPM");
      }
      if (hash == null) {
        missing.add("Hash");
      }
      if (prevHash == null) {
        missing.add("PrevHash");
      }
      if (validator == null) {
        missing.add("Validator");
      }
      return new ParsedChain.Malformed(
          what + ": missing " + String.join(", ", missing), start.getLineNr(), start.getColumnNr());
    }
    return new Block(index, timestamp, bpm, hash, prevHash, validator);
  }

  private static ParsedChain.Malformed malformed(JsonParser parser, String message) {
    JsonLocation at = parser.currentTokenLocation();
    return new ParsedChain.Malformed(
        message, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
  }

  private static ParsedChain.Malformed fromJackson(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String message = e.getOriginalMessage();
    int line = at == null ? 1 : Math.max(1, at.getLineNr());
    int column = at == null ? 1 : Math.max(1, at.getColumnNr());
    return new ParsedChain.Malformed("not valid JSON: " + message, line, column);
  }
}
