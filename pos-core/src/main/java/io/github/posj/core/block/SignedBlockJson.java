package io.github.posj.core.block;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.crypto.Signature;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JSON form of a {@link SignedBlock}: the tutorial's six keys first, in the tutorial's order,
 * then {@code Slot} (a decimal string), {@code PubKey}, {@code Reveal} and {@code Signature}
 * ({@code docs/network.md} section 3). Reading is strict: exactly these ten keys, each once.
 *
 * <p>Stateless; thread-safe.
 */
public final class SignedBlockJson {
  /** The keys of a signed block object, in the order they are written. */
  public static final List<String> KEYS =
      List.of(
          "Index",
          "Timestamp",
          "BPM",
          "Hash",
          "PrevHash",
          "Validator",
          "Slot",
          "PubKey",
          "Reveal",
          "Signature");

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(4)
                          .maxStringLength(ChainJson.MAX_TOKEN_LENGTH)
                          .maxNumberLength(64)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

  private SignedBlockJson() {}

  /** The block as one compact JSON object. */
  public static String write(SignedBlock block) {
    StringBuilder out = new StringBuilder(480);
    writeBlock(block, out);
    return out.toString();
  }

  /** Appends the block as one compact JSON object to {@code out}. */
  public static void writeBlock(SignedBlock block, StringBuilder out) {
    ChainJson.writeBlock(block.block(), out);
    out.setLength(out.length() - 1); // reopen the tutorial's six-key object
    out.append(",\"Slot\":\"").append(block.slot());
    out.append("\",\"PubKey\":\"").append(block.publicKey().hex());
    out.append("\",\"Reveal\":\"").append(block.reveal().hex());
    out.append("\",\"Signature\":\"").append(block.signature().hex()).append("\"}");
  }

  /**
   * Reads one signed block in exactly the form {@link #write} gives it, from ASCII bytes: the keys
   * in order, no whitespace, numbers of at most 18 digits without leading zeros, a Timestamp
   * without escapes: the lines a posj network-mode chain file holds (but for 19-digit numbers),
   * read several times faster than {@link #parse(String)} (no decoding into a String, no JSON
   * tree). Anything else, valid JSON or not, is left to {@link #parse(String)}, which gives the
   * same block for what this accepts.
   *
   * @return the block, or empty if the bytes are not in that form (not an error: parse them with
   *     {@link #parse(String)})
   */
  public static Optional<SignedBlock> parseCanonical(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return new ChainJson.CanonicalReader(bytes, offset, offset + length).signedBlock();
  }

  /**
   * Reads one signed block from JSON text.
   *
   * @throws IllegalArgumentException saying what is wrong: not a JSON object, a missing, unknown or
   *     repeated key, or a value of the wrong type or shape
   */
  public static SignedBlock parse(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
    }
    return parse(node);
  }

  /**
   * Reads one signed block from a JSON tree.
   *
   * @throws IllegalArgumentException as {@link #parse(String)}
   */
  public static SignedBlock parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("a signed block is a JSON object with " + KEYS);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown key \"" + name + "\" (a signed block has exactly " + KEYS + ")");
      }
    }
    for (String key : KEYS) {
      if (!node.has(key)) {
        throw new IllegalArgumentException(
            "missing key \"" + key + "\" (a signed block has " + KEYS + ")");
      }
    }
    long index = integer(node, "Index");
    long bpm = integer(node, "BPM");
    String timestamp = string(node, "Timestamp");
    Optional<String> problem = Block.timestampProblem(timestamp);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    Hash hash = hash(node, "Hash");
    Hash prevHash = hash(node, "PrevHash");
    ValidatorId validator = new ValidatorId(hash(node, "Validator"));
    String slotText = string(node, "Slot");
    if (!DECIMAL.matcher(slotText).matches()) {
      throw new IllegalArgumentException(
          "Slot is a decimal string without sign or leading zeros, got \"" + slotText + "\"");
    }
    long slot;
    try {
      slot = Long.parseLong(slotText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Slot is at most " + Long.MAX_VALUE + ", got " + slotText);
    }
    String key = string(node, "PubKey");
    PublicKey publicKey =
        PublicKey.parseHex(key)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "PubKey is 64 lowercase hex characters, got \"" + key + "\""));
    Hash reveal = hash(node, "Reveal");
    String sig = string(node, "Signature");
    Signature signature =
        Signature.parseHex(sig)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Signature is 128 lowercase hex characters, got \"" + sig + "\""));
    if (index < 1) {
      throw new IllegalArgumentException("a signed block's Index is >= 1, got " + index);
    }
    if (slot < 1) {
      throw new IllegalArgumentException("a signed block's Slot is >= 1, got " + slot);
    }
    return new SignedBlock(
        new Block(index, timestamp, bpm, hash, prevHash, validator),
        slot,
        publicKey,
        reveal,
        signature);
  }

  private static long integer(JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(key + " must be an integer (64-bit), got " + value);
    }
    return value.longValue();
  }

  private static String string(JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(key + " must be a string, got " + value);
    }
    return value.asText();
  }

  private static Hash hash(JsonNode node, String key) {
    String text = string(node, key);
    return Hash.parseHex(text)
        .filter(h -> !h.isEmpty())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    key + " is 64 lowercase hex characters, got \"" + text + "\""));
  }
}
