package io.github.posj.net.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link PeerMessage}s to and from their JSON lines (without the line ending). Netty-free.
 *
 * <p>Stateless; thread-safe.
 */
public final class PeerWire {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** {@code host:port}: a host name or IPv4 address, or an IPv6 address in brackets. */
  static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9.-]{1,253}):([0-9]{1,5})");

  private static final Pattern NODE_ID = Pattern.compile("[0-9a-f]{16}");

  private PeerWire() {}

  /** The JSON line of {@code message}, without the line ending. */
  public static String encode(PeerMessage message) {
    if (message instanceof PeerMessage.NewBlock n) {
      return NodeWire.blockMessage("new-block", n.block());
    }
    if (message instanceof PeerMessage.Blocks b) {
      return NodeWire.blocksMessage(b.from(), b.blocks());
    }
    if (message instanceof PeerMessage.Evidence e) {
      StringBuilder out = new StringBuilder(1024).append("{\"type\":\"evidence\",\"first\":");
      SignedBlockJson.writeBlock(e.first(), out);
      out.append(",\"second\":");
      SignedBlockJson.writeBlock(e.second(), out);
      return out.append('}').toString();
    }
    ObjectNode out = MAPPER.createObjectNode();
    if (message instanceof PeerMessage.Hello h) {
      out.put("type", "hello");
      out.put("protocol", PeerMessage.PROTOCOL);
      out.put("genesisHash", h.genesisHash().hex());
      out.put("nodeId", h.nodeId());
      h.listen().ifPresent(l -> out.put("listen", l));
    } else if (message instanceof PeerMessage.Status s) {
      out.put("type", "status");
      out.put("height", Long.toString(s.height()));
      out.put("head", s.head().hex());
      out.put("headSlot", Long.toString(s.headSlot()));
      out.put("finalized", Long.toString(s.finalized()));
    } else if (message instanceof PeerMessage.GetBlocks g) {
      out.put("type", "get-blocks");
      out.put("from", Long.toString(g.from()));
      out.put("count", Integer.toString(g.count()));
    } else if (message instanceof PeerMessage.GetPeers) {
      out.put("type", "get-peers");
    } else if (message instanceof PeerMessage.Peers p) {
      out.put("type", "peers");
      ArrayNode array = out.putArray("peers");
      p.peers().forEach(array::add);
    } else if (message instanceof PeerMessage.Closing c) {
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

  /**
   * Reads one line a peer sent.
   *
   * @throws IllegalArgumentException saying what is wrong, with any quoted input escaped for
   *     display
   */
  public static PeerMessage decode(String line) {
    JsonNode node = NodeWire.tree(line);
    String type = NodeWire.type(node);
    return switch (type) {
      case "hello" -> {
        String protocol = node.path("protocol").asText();
        if (!PeerMessage.PROTOCOL.equals(protocol)) {
          throw NodeWire.bad(
              "hello: the peer speaks \"" + protocol + "\", not " + PeerMessage.PROTOCOL);
        }
        String nodeId = NodeWire.text(node, "nodeId");
        if (!NODE_ID.matcher(nodeId).matches()) {
          throw NodeWire.bad("hello: nodeId is 16 lowercase hex characters");
        }
        Optional<String> listen = Optional.empty();
        if (node.has("listen")) {
          listen = Optional.of(hostPort(NodeWire.text(node, "listen"), "hello: listen"));
        }
        yield new PeerMessage.Hello(NodeWire.hash(node, "genesisHash"), nodeId, listen);
      }
      case "status" ->
          new PeerMessage.Status(
              nonNegative(node, "height"),
              NodeWire.hash(node, "head"),
              nonNegative(node, "headSlot"),
              nonNegative(node, "finalized"));
      case "get-blocks" -> {
        long from = NodeWire.decimal(node, "from");
        long count = NodeWire.decimal(node, "count");
        if (from < 1 || count < 1 || count > PeerMessage.MAX_BLOCKS_PER_REQUEST) {
          throw NodeWire.bad(
              "get-blocks: from is at least 1 and count is 1 to "
                  + PeerMessage.MAX_BLOCKS_PER_REQUEST
                  + ", got from "
                  + from
                  + " and count "
                  + count);
        }
        yield new PeerMessage.GetBlocks(from, (int) count);
      }
      case "blocks" -> {
        JsonNode array = node.get("blocks");
        if (array == null || !array.isArray()) {
          throw NodeWire.bad("blocks: blocks must be an array");
        }
        if (array.size() > PeerMessage.MAX_BLOCKS_PER_REQUEST) {
          throw NodeWire.bad(
              "blocks: at most " + PeerMessage.MAX_BLOCKS_PER_REQUEST + " blocks in one answer");
        }
        List<SignedBlock> blocks = new ArrayList<>(array.size());
        for (JsonNode b : array) {
          blocks.add(NodeWire.block(b, "blocks"));
        }
        yield new PeerMessage.Blocks(nonNegative(node, "from"), blocks);
      }
      case "new-block" -> new PeerMessage.NewBlock(NodeWire.block(node.get("block"), "new-block"));
      case "evidence" ->
          new PeerMessage.Evidence(
              NodeWire.block(node.get("first"), "evidence"),
              NodeWire.block(node.get("second"), "evidence"));
      case "get-peers" -> new PeerMessage.GetPeers();
      case "peers" -> {
        JsonNode array = node.get("peers");
        if (array == null || !array.isArray() || array.size() > PeerMessage.MAX_PEERS_PER_ANSWER) {
          throw NodeWire.bad(
              "peers: peers must be an array of at most "
                  + PeerMessage.MAX_PEERS_PER_ANSWER
                  + " host:port strings");
        }
        List<String> peers = new ArrayList<>(array.size());
        for (JsonNode p : array) {
          if (!p.isTextual()) {
            throw NodeWire.bad("peers: peers must be an array of host:port strings");
          }
          peers.add(hostPort(p.asText(), "peers"));
        }
        yield new PeerMessage.Peers(peers);
      }
      case "closing" -> new PeerMessage.Closing(NodeWire.text(node, "reason"));
      default ->
          throw NodeWire.bad(
              "unknown message type \""
                  + type
                  + "\" (a peer sends hello, status, get-blocks, blocks, new-block, evidence,"
                  + " get-peers, peers or closing; see docs/network.md)");
    };
  }

  /** {@code text} if it is a {@code host:port} with a port of 1 to 65535. */
  static String hostPort(String text, String what) {
    var m = HOST_PORT.matcher(text);
    if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65_535) {
      throw NodeWire.bad(what + ": expected host:port, got \"" + text + "\"");
    }
    return text;
  }

  private static long nonNegative(JsonNode node, String field) {
    long value = NodeWire.decimal(node, field);
    if (value < 0) {
      throw NodeWire.bad("\"" + field + "\" is at least 0, got " + value);
    }
    return value;
  }
}
