package io.github.posj.core.genesis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.hash.Hash;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON form of a {@link Genesis} ({@code docs/network.md} section 2): what {@code pos devnet
 * init} writes and a version 2 chain file's header holds. Reading is strict: every member present,
 * no other, 64-bit values as canonical decimal strings, hex lowercase.
 *
 * <p>Stateless; thread-safe.
 */
public final class GenesisJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");
  private static final Set<String> MEMBERS =
      Set.of("chainId", "genesisTime", "slotSeconds", "epochSlots", "validators");
  private static final Set<String> VALIDATOR_MEMBERS = Set.of("pubkey", "stake", "commitment");

  private GenesisJson() {}

  /** The genesis as one line of compact JSON, validators in address order. */
  public static String write(Genesis genesis) {
    StringBuilder out = new StringBuilder(128 + genesis.validators().size() * 170);
    writeTo(genesis, out, "");
    return out.toString();
  }

  /** The genesis as JSON with one validator per line, for a file people read. */
  public static String writePretty(Genesis genesis) {
    StringBuilder out = new StringBuilder(128 + genesis.validators().size() * 180);
    writeTo(genesis, out, "\n ");
    return out.append('\n').toString();
  }

  private static void writeTo(Genesis genesis, StringBuilder out, String newline) {
    out.append("{\"chainId\":\"").append(genesis.chainId());
    out.append("\",").append(newline).append("\"genesisTime\":\"").append(genesis.genesisTime());
    out.append("\",").append(newline).append("\"slotSeconds\":\"").append(genesis.slotSeconds());
    out.append("\",").append(newline).append("\"epochSlots\":\"").append(genesis.epochSlots());
    out.append("\",").append(newline).append("\"validators\":[");
    List<GenesisValidator> validators = genesis.validators();
    for (int i = 0; i < validators.size(); i++) {
      GenesisValidator v = validators.get(i);
      out.append(i == 0 ? "" : ",").append(newline).append(newline.isEmpty() ? "" : "  ");
      out.append("{\"pubkey\":\"").append(v.publicKey().hex());
      out.append("\",\"stake\":\"").append(v.stake());
      out.append("\",\"commitment\":\"").append(v.commitment().hex()).append("\"}");
    }
    out.append("]}");
  }

  /**
   * Reads a genesis from JSON text.
   *
   * @throws IllegalArgumentException saying which member is wrong and how, or which rule of {@link
   *     Genesis#of} the values break
   */
  public static Genesis parse(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a genesis is a JSON object: " + e.getOriginalMessage());
    }
    return parse(node);
  }

  /**
   * Reads a genesis from a JSON tree.
   *
   * @throws IllegalArgumentException as {@link #parse(String)}
   */
  public static Genesis parse(JsonNode node) {
    Objects.requireNonNull(node, "node");
    requireMembers(node, MEMBERS, "a genesis");
    String chainId = text(node, "chainId", "the genesis");
    String time = text(node, "genesisTime", "the genesis");
    Instant genesisTime;
    try {
      genesisTime = Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "genesisTime is an RFC 3339 UTC instant such as \"2026-12-01T00:00:00Z\", got \""
              + time
              + "\"");
    }
    if (!genesisTime.toString().equals(time)) {
      throw new IllegalArgumentException(
          "genesisTime must be written as \""
              + genesisTime
              + "\" (whole seconds, UTC), got \""
              + time
              + "\"");
    }
    long slotSeconds = decimal(node, "slotSeconds", "the genesis");
    long epochSlots = decimal(node, "epochSlots", "the genesis");
    JsonNode list = node.get("validators");
    if (!list.isArray()) {
      throw new IllegalArgumentException("the genesis: validators must be an array");
    }
    if (list.size() > Genesis.MAX_VALIDATORS) {
      throw new IllegalArgumentException(
          "a genesis has 1 to " + Genesis.MAX_VALIDATORS + " validators, got " + list.size());
    }
    List<GenesisValidator> validators = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode v = list.get(i);
      String what = "validator " + (i + 1) + " of the genesis";
      requireMembers(v, VALIDATOR_MEMBERS, what);
      String pubkey = text(v, "pubkey", what);
      PublicKey key =
          PublicKey.parseHex(pubkey)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          what
                              + ": pubkey is 64 lowercase hex characters, got \""
                              + pubkey
                              + "\""));
      long stake = decimal(v, "stake", what);
      String commitment = text(v, "commitment", what);
      Hash hash =
          Hash.parseHex(commitment)
              .filter(h -> !h.isEmpty())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          what
                              + ": commitment is 64 lowercase hex characters, got \""
                              + commitment
                              + "\""));
      try {
        validators.add(new GenesisValidator(key, stake, hash));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
      }
    }
    return Genesis.of(chainId, genesisTime, slotSeconds, epochSlots, validators);
  }

  private static void requireMembers(JsonNode node, Set<String> members, String what) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " is a JSON object with " + sorted(members));
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!members.contains(name)) {
        throw new IllegalArgumentException(
            what + ": unknown member \"" + name + "\" (it has exactly " + sorted(members) + ")");
      }
    }
    for (String member : sorted(members)) {
      if (!node.has(member)) {
        throw new IllegalArgumentException(what + ": missing member \"" + member + "\"");
      }
    }
  }

  private static List<String> sorted(Set<String> members) {
    return members.stream().sorted().toList();
  }

  private static String text(JsonNode node, String member, String what) {
    JsonNode value = node.get(member);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(what + ": " + member + " must be a string, got " + value);
    }
    return value.asText();
  }

  private static long decimal(JsonNode node, String member, String what) {
    String text = text(node, member, what);
    if (!DECIMAL.matcher(text).matches()) {
      throw new IllegalArgumentException(
          what
              + ": "
              + member
              + " is a decimal string without sign or leading zeros, got \""
              + text
              + "\"");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          what + ": " + member + " is at most " + Long.MAX_VALUE + ", got \"" + text + "\"");
    }
  }
}
