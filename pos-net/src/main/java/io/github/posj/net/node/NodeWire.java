package io.github.posj.net.node;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.crypto.Signature;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.text.UntrustedText;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link NodeMessage}s to and from their JSON lines (without the line ending). Netty-free.
 *
 * <p>Stateless; thread-safe.
 */
public final class NodeWire {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(6)
                          .maxStringLength(64 * 1024)
                          .maxNumberLength(64)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]{0,18})");

  private NodeWire() {}

  /** The JSON line of {@code message}, without the line ending. */
  public static String encode(NodeMessage message) {
    if (message instanceof NodeMessage.Announced a) {
      return blockMessage("block", a.block());
    }
    if (message instanceof NodeMessage.Propose p) {
      return blockMessage("propose", p.block());
    }
    if (message instanceof NodeMessage.Blocks b) {
      return blocksMessage(b.from(), b.blocks());
    }
    ObjectNode out = MAPPER.createObjectNode();
    if (message instanceof NodeMessage.Welcome w) {
      out.put("type", "welcome");
      out.put("protocol", NodeMessage.PROTOCOL);
      out.put("chainId", w.chainId());
      out.put("genesisHash", w.genesisHash().hex());
      out.put("genesisTime", w.genesisTime().toString());
      out.put("slotSeconds", Long.toString(w.slotSeconds()));
      out.put("epochSlots", Long.toString(w.epochSlots()));
      out.put("height", Long.toString(w.height()));
      out.put("head", w.head().hex());
      out.put("headSlot", Long.toString(w.headSlot()));
      out.put("slot", Long.toString(w.slot()));
      out.put("nonce", w.nonce().hex());
    } else if (message instanceof NodeMessage.Auth a) {
      out.put("type", "auth");
      out.put("pubkey", a.publicKey().hex());
      out.put("signature", a.signature().hex());
    } else if (message instanceof NodeMessage.LoggedIn l) {
      out.put("type", "logged-in");
      out.put("validator", l.validator().hex());
      out.put("stake", Long.toString(l.stake()));
      out.put("lastReveal", l.lastReveal().hex());
      slots(out.putArray("duties"), l.duties());
    } else if (message instanceof NodeMessage.Duties d) {
      out.put("type", "duties");
      slots(out.putArray("slots"), d.slots());
    } else if (message instanceof NodeMessage.SlotStarted s) {
      out.put("type", "slot");
      out.put("slot", Long.toString(s.slot()));
      out.put("epoch", Long.toString(s.epoch()));
      out.put("leader", s.leader().hex());
    } else if (message instanceof NodeMessage.Accepted a) {
      out.put("type", "accepted");
      out.put("index", Long.toString(a.index()));
      out.put("hash", a.hash().hex());
    } else if (message instanceof NodeMessage.Refused r) {
      out.put("type", "refused");
      out.put("slot", Long.toString(r.slot()));
      out.put("code", r.code());
      r.rule().ifPresent(rule -> out.put("rule", rule));
      out.put("reason", r.reason());
    } else if (message instanceof NodeMessage.GetBlocks g) {
      out.put("type", "get-blocks");
      out.put("from", Long.toString(g.from()));
      out.put("count", Integer.toString(g.count()));
    } else if (message instanceof NodeMessage.Switched w) {
      out.put("type", "switched");
      out.put("forkIndex", Long.toString(w.forkIndex()));
      out.put("lastReveal", w.lastReveal().hex());
    } else if (message instanceof NodeMessage.Error e) {
      out.put("type", "error");
      out.put("reason", e.reason());
    } else if (message instanceof NodeMessage.Closing c) {
      out.put("type", "closing");
      out.put("reason", c.reason());
    } else {
      throw new IllegalArgumentException("unknown message " + message);
    }
    try {
      return MAPPER.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }

  /** {@code {"type":TYPE,"block":{...}}}: a message that carries one block. */
  static String blockMessage(String type, SignedBlock block) {
    StringBuilder out = new StringBuilder(512).append("{\"type\":\"").append(type);
    out.append("\",\"block\":");
    SignedBlockJson.writeBlock(block, out);
    return out.append('}').toString();
  }

  /** {@code {"type":"blocks","from":"F","blocks":[...]}}, in both protocols. */
  static String blocksMessage(long from, List<SignedBlock> blocks) {
    StringBuilder out = new StringBuilder(64 + 480 * blocks.size());
    out.append("{\"type\":\"blocks\",\"from\":\"").append(from).append("\",\"blocks\":[");
    for (int i = 0; i < blocks.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      SignedBlockJson.writeBlock(blocks.get(i), out);
    }
    return out.append("]}").toString();
  }

  private static void slots(ArrayNode array, List<Long> slots) {
    slots.forEach(s -> array.add(Long.toString(s)));
  }

  /**
   * Reads one line a client sent: {@link NodeMessage.Auth}, {@link NodeMessage.Propose} or {@link
   * NodeMessage.GetBlocks}.
   *
   * @throws IllegalArgumentException saying what is wrong, with any quoted input escaped for
   *     display
   */
  public static NodeMessage decodeFromClient(String line) {
    JsonNode node = tree(line);
    String type = type(node);
    return switch (type) {
      case "auth" ->
          new NodeMessage.Auth(
              PublicKey.parseHex(text(node, "pubkey"))
                  .orElseThrow(() -> bad("auth: pubkey is 64 lowercase hex characters")),
              Signature.parseHex(text(node, "signature"))
                  .orElseThrow(() -> bad("auth: signature is 128 lowercase hex characters")));
      case "propose" -> new NodeMessage.Propose(block(node.get("block"), "propose"));
      case "get-blocks" -> {
        long from = decimal(node, "from");
        long count = decimal(node, "count");
        if (from < 1 || count < 1 || count > NodeMessage.MAX_BLOCKS_PER_REQUEST) {
          throw bad(
              "get-blocks: from is at least 1 (block 0 follows from the genesis) and count is 1 to "
                  + NodeMessage.MAX_BLOCKS_PER_REQUEST
                  + ", got from "
                  + from
                  + " and count "
                  + count);
        }
        yield new NodeMessage.GetBlocks(from, (int) count);
      }
      default ->
          throw bad(
              "unknown message type \""
                  + type
                  + "\" (a client sends auth, propose or get-blocks; see docs/network.md)");
    };
  }

  /**
   * Reads one line a node sent.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static NodeMessage decodeFromNode(String line) {
    JsonNode node = tree(line);
    String type = type(node);
    return switch (type) {
      case "welcome" -> {
        if (!NodeMessage.PROTOCOL.equals(node.path("protocol").asText())) {
          throw bad(
              "the node speaks \""
                  + node.path("protocol").asText()
                  + "\", not "
                  + NodeMessage.PROTOCOL);
        }
        Instant genesisTime;
        try {
          genesisTime = Instant.parse(text(node, "genesisTime"));
        } catch (DateTimeParseException e) {
          throw bad("welcome: genesisTime is an RFC 3339 instant");
        }
        yield new NodeMessage.Welcome(
            text(node, "chainId"),
            hash(node, "genesisHash"),
            genesisTime,
            decimal(node, "slotSeconds"),
            decimal(node, "epochSlots"),
            decimal(node, "height"),
            hash(node, "head"),
            decimal(node, "headSlot"),
            decimal(node, "slot"),
            hash(node, "nonce"));
      }
      case "logged-in" ->
          new NodeMessage.LoggedIn(
              new ValidatorId(hash(node, "validator")),
              decimal(node, "stake"),
              hash(node, "lastReveal"),
              slotList(node, "duties"));
      case "duties" -> new NodeMessage.Duties(slotList(node, "slots"));
      case "slot" ->
          new NodeMessage.SlotStarted(
              decimal(node, "slot"), decimal(node, "epoch"), new ValidatorId(hash(node, "leader")));
      case "block" -> new NodeMessage.Announced(block(node.get("block"), "block"));
      case "switched" ->
          new NodeMessage.Switched(decimal(node, "forkIndex"), hash(node, "lastReveal"));
      case "accepted" -> new NodeMessage.Accepted(decimal(node, "index"), hash(node, "hash"));
      case "refused" ->
          new NodeMessage.Refused(
              decimal(node, "slot"),
              text(node, "code"),
              node.has("rule") ? Optional.of(text(node, "rule")) : Optional.empty(),
              text(node, "reason"));
      case "blocks" -> {
        JsonNode array = node.get("blocks");
        if (array == null || !array.isArray()) {
          throw bad("blocks: blocks must be an array");
        }
        List<SignedBlock> blocks = new ArrayList<>(array.size());
        for (JsonNode b : array) {
          blocks.add(block(b, "blocks"));
        }
        yield new NodeMessage.Blocks(decimal(node, "from"), blocks);
      }
      case "error" -> new NodeMessage.Error(text(node, "reason"));
      case "closing" -> new NodeMessage.Closing(text(node, "reason"));
      default -> throw bad("unknown message type \"" + type + "\"");
    };
  }

  static JsonNode tree(String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw bad("not a JSON message: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw bad("a message is a JSON object with a \"type\"");
    }
    return node;
  }

  static String type(JsonNode node) {
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw bad("a message is a JSON object with a \"type\"");
    }
    return type.asText();
  }

  static SignedBlock block(JsonNode node, String what) {
    try {
      return SignedBlockJson.parse(node);
    } catch (IllegalArgumentException e) {
      throw bad(what + ": the block is not a signed block: " + e.getMessage());
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw bad("\"" + field + "\" must be a string");
    }
    return value.asText();
  }

  static Hash hash(JsonNode node, String field) {
    return Hash.parseHex(text(node, field))
        .filter(h -> !h.isEmpty())
        .orElseThrow(() -> bad("\"" + field + "\" is 64 lowercase hex characters"));
  }

  static long decimal(JsonNode node, String field) {
    String text = text(node, field);
    if (!DECIMAL.matcher(text).matches()) {
      throw bad("\"" + field + "\" is a decimal string, got \"" + text + "\"");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw bad("\"" + field + "\" is a 64-bit integer, got \"" + text + "\"");
    }
  }

  private static List<Long> slotList(JsonNode node, String field) {
    JsonNode array = node.get(field);
    if (array == null || !array.isArray()) {
      throw bad("\"" + field + "\" must be an array of decimal strings");
    }
    List<Long> slots = new ArrayList<>(array.size());
    for (JsonNode slot : array) {
      if (!slot.isTextual() || !DECIMAL.matcher(slot.asText()).matches()) {
        throw bad("\"" + field + "\" must be an array of decimal strings");
      }
      slots.add(Long.parseLong(slot.asText()));
    }
    return slots;
  }

  static IllegalArgumentException bad(String message) {
    return new IllegalArgumentException(UntrustedText.escape(message));
  }
}
