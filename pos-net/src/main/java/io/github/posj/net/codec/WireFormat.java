package io.github.posj.net.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.ChainJson.ParsedChain;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.ProtocolLimits;
import io.github.posj.net.protocol.ServerMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The byte-level forms of the protocol, without Netty: lines in, messages out, and back. The
 * specification with examples is {@code docs/protocol.md}.
 *
 * <p>Text mode (server → client), the tutorial's strings where they are the protocol:
 *
 * <pre>
 *   StakePrompt       "Enter token balance:"                  (no newline, as the original)
 *   Registered        "\nYour validator address: &lt;64 hex&gt;\n"
 *   BpmPrompt         "\nEnter a new BPM:"                    (no newline, as the original)
 *   RoundResult       "\nwinning validator: &lt;64 hex&gt;\n"       (nothing for a skipped round)
 *   ChainUpdate       &lt;chain JSON array&gt; "\n"
 *   Error             "\nerror: &lt;message&gt;\n"
 *   Slashed           "\nslashed: &lt;reason&gt;\n"
 *   Closing           "\nclosing: &lt;reason&gt;\n"
 * </pre>
 *
 * <p>JSON mode: one compact object per line, {@code type} first; see {@link #encode} and {@link
 * #decodeJson}. The welcome starts with {@code \n} so that it begins a line of its own after the
 * text prompt every connection is greeted with.
 *
 * <p>Immutable; thread-safe.
 */
public final class WireFormat {
  /** The stake prompt, byte for byte as the tutorial. */
  public static final String STAKE_PROMPT = "Enter token balance:";

  /** The BPM prompt, byte for byte as the tutorial. */
  public static final String BPM_PROMPT = "\nEnter a new BPM:";

  /**
   * Strict reading: one JSON value per line and nothing after it (a second object on the same line
   * is not silently dropped), and no key twice (no "last one wins").
   */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** Reads one value and stops, for {@link #decodeJson} to look at the rest itself. */
  private static final ObjectReader FIRST_VALUE =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final JsonStringEncoder QUOTER = JsonStringEncoder.getInstance();

  private WireFormat() {}

  /**
   * Decodes one line from a client (without its line ending) in {@code mode}. In the text mode
   * every line is a {@link ClientMessage.Line}; in the JSON mode see {@link #decodeJson}.
   */
  public static ClientMessage decode(String line, WireMode mode) {
    Objects.requireNonNull(line, "line");
    return mode == WireMode.TEXT ? new ClientMessage.Line(line) : decodeJson(line);
  }

  /** Whether a connection's first line selects the JSON mode: it starts with <code>{</code>. */
  public static boolean selectsJson(String firstLine) {
    return firstLine.startsWith("{");
  }

  /**
   * Decodes a JSON-mode line: {@code hello {version}}, {@code stake {amount}}, {@code propose
   * {bpm}}; any other {@code type} is {@link ClientMessage.Unknown}; anything that is not a JSON
   * object with a string {@code type} is {@link ClientMessage.Malformed}.
   */
  public static ClientMessage decodeJson(String line) {
    ClientMessage proposal = canonicalProposal(line);
    return proposal != null ? proposal : parseJson(line);
  }

  /** {@link #decodeJson} with Jackson alone, whatever the line (package-private for its tests). */
  static ClientMessage parseJson(String line) {
    JsonNode node;
    try (JsonParser parser = MAPPER.createParser(line)) {
      // The first value alone; what follows it is checked here, whatever it is.
      node = FIRST_VALUE.readTree(parser);
      if (hasMore(parser)) {
        return new ClientMessage.Malformed(
            "not valid JSON: more than one JSON value on the line; send one object per line");
      }
    } catch (JsonProcessingException e) {
      return new ClientMessage.Malformed("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      // A parser over a String does no I/O.
      throw new UncheckedIOException(e);
    }
    if (node == null || !node.isObject()) {
      return new ClientMessage.Malformed("a message is a JSON object, one per line");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      return new ClientMessage.Malformed("a message needs a string field \"type\"");
    }
    return switch (type.asText()) {
      case "hello" -> {
        JsonNode version = node.get("version");
        // A JSON integer, as for every number of the protocol: 1.0 is refused as 100.0 is.
        yield version != null && version.isIntegralNumber() && version.canConvertToLong()
            ? new ClientMessage.Hello(version.asLong())
            : new ClientMessage.Malformed("a hello needs an integer \"version\"");
      }
      case "stake" -> ClientMessage.Stake.ofText(numberText(node.get("amount")));
      case "propose" -> ClientMessage.Propose.ofText(numberText(node.get("bpm")));
      case "get-blocks" -> {
        JsonNode from = node.get("from");
        JsonNode count = node.get("count");
        yield isLong(from) && isLong(count)
            ? new ClientMessage.GetBlocks(from.asLong(), count.asLong())
            : new ClientMessage.Unknown("get-blocks");
      }
      default -> new ClientMessage.Unknown(type.asText());
    };
  }

  private static final String PROPOSE_PREFIX = "{\"type\":\"propose\",\"bpm\":";

  /** The most digits {@link #canonicalProposal} reads itself: any such number fits a long. */
  private static final int FAST_DIGITS = 18;

  /**
   * The proposal that {@code line} is, if it is exactly {@code {"type":"propose","bpm":N}} with N a
   * JSON integer of at most {@value #FAST_DIGITS} digits ({@code 0} or no leading zero); else null,
   * and the full parse decides. The message every validator sends every round: the same result as
   * the full parse (tested), without a parser and a tree per line.
   */
  private static ClientMessage canonicalProposal(String line) {
    int end = line.length() - 1;
    int start = PROPOSE_PREFIX.length();
    int digits = end - start;
    if (digits < 1
        || digits > FAST_DIGITS
        || line.charAt(end) != '}'
        || !line.startsWith(PROPOSE_PREFIX)
        || (digits > 1 && line.charAt(start) == '0')) {
      return null;
    }
    for (int i = start; i < end; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return ClientMessage.Propose.ofText(line.substring(start, end));
  }

  /**
   * Whether anything but whitespace follows the first value: a second value, or text that is not
   * JSON at all (both are "more than one value" to a client, not a token error deep in Jackson).
   */
  private static boolean hasMore(JsonParser parser) {
    try {
      return parser.nextToken() != null;
    } catch (IOException e) {
      return true;
    }
  }

  private static boolean isLong(JsonNode value) {
    return value != null && value.isIntegralNumber() && value.canConvertToLong();
  }

  private static String numberText(JsonNode value) {
    if (value == null) {
      return "null";
    }
    return value.isNumber() ? value.asText() : value.toString();
  }

  /**
   * Encodes a message for a connection in {@code mode}: the exact text to write, possibly empty
   * when the mode does not show this message.
   */
  public static String encode(ServerMessage message, WireMode mode) {
    Objects.requireNonNull(message, "message");
    return switch (mode) {
      case TEXT -> encodeText(message);
      case JSON -> encodeJson(message);
      case JSON_FIRST -> "\n" + encodeJson(message);
    };
  }

  private static String encodeText(ServerMessage message) {
    return message.accept(TEXT);
  }

  private static String encodeJson(ServerMessage message) {
    return message.accept(JSON);
  }

  /** The text mode: the tutorial's bytes; nothing for a message it does not show. */
  private static final ServerMessage.Visitor<String> TEXT =
      new ServerMessage.Visitor<>() {
        @Override
        public String welcome(ServerMessage.Welcome m) {
          return "";
        }

        @Override
        public String stakePrompt(ServerMessage.StakePrompt m) {
          return STAKE_PROMPT;
        }

        @Override
        public String bpmPrompt(ServerMessage.BpmPrompt m) {
          return BPM_PROMPT;
        }

        @Override
        public String registered(ServerMessage.Registered m) {
          return "\nYour validator address: " + m.address().hex() + "\n";
        }

        @Override
        public String proposalAccepted(ServerMessage.ProposalAccepted m) {
          return "";
        }

        @Override
        public String roundResult(ServerMessage.RoundResult m) {
          return m.winner().map(w -> "\nwinning validator: " + w.hex() + "\n").orElse("");
        }

        @Override
        public String chainUpdate(ServerMessage.ChainUpdate m) {
          return chainJson(m) + "\n";
        }

        @Override
        public String blockAdded(ServerMessage.BlockAdded m) {
          return "";
        }

        @Override
        public String blocks(ServerMessage.Blocks m) {
          return "";
        }

        @Override
        public String slashed(ServerMessage.Slashed m) {
          return "\nslashed: " + m.reason() + "\n";
        }

        @Override
        public String error(ServerMessage.Error m) {
          return "\nerror: " + m.message() + "\n";
        }

        @Override
        public String closing(ServerMessage.Closing m) {
          return "\nclosing: " + m.reason() + "\n";
        }
      };

  /** The JSON mode: one object per line; nothing for the text mode's prompts. */
  private static final ServerMessage.Visitor<String> JSON =
      new ServerMessage.Visitor<>() {
        @Override
        public String welcome(ServerMessage.Welcome m) {
          return "{\"type\":\"welcome\",\"version\":"
              + m.version()
              + (m.version() >= 2 ? ",\"height\":" + m.height() : "")
              + "}\n";
        }

        @Override
        public String stakePrompt(ServerMessage.StakePrompt m) {
          return "";
        }

        @Override
        public String bpmPrompt(ServerMessage.BpmPrompt m) {
          return "";
        }

        @Override
        public String registered(ServerMessage.Registered m) {
          return "{\"type\":\"registered\",\"address\":\""
              + m.address().hex()
              + "\",\"stake\":"
              + m.stake()
              + "}\n";
        }

        @Override
        public String proposalAccepted(ServerMessage.ProposalAccepted m) {
          return "{\"type\":\"proposal-accepted\",\"index\":" + m.index() + "}\n";
        }

        @Override
        public String roundResult(ServerMessage.RoundResult m) {
          return "{\"type\":\"round-result\",\"round\":"
              + m.round()
              + ",\"winner\":"
              + m.winner().map(w -> "\"" + w.hex() + "\"").orElse("null")
              + ",\"height\":"
              + m.height()
              + ",\"outcome\":\""
              + (m.forged() ? "forged" : "skipped")
              + "\",\"reason\":"
              + m.reason().map(r -> quote(ReasonText.skipReason(r))).orElse("null")
              + "}\n";
        }

        @Override
        public String chainUpdate(ServerMessage.ChainUpdate m) {
          return "{\"type\":\"chain\",\"blocks\":" + chainJson(m) + "}\n";
        }

        @Override
        public String blockAdded(ServerMessage.BlockAdded m) {
          return "{\"type\":\"block\",\"block\":" + ChainJson.write(m.block()) + "}\n";
        }

        @Override
        public String blocks(ServerMessage.Blocks m) {
          return "{\"type\":\"blocks\",\"from\":"
              + m.from()
              + ",\"blocks\":"
              + ChainJson.write(m.blocks())
              + "}\n";
        }

        @Override
        public String slashed(ServerMessage.Slashed m) {
          return "{\"type\":\"slashed\",\"reason\":" + quote(m.reason()) + "}\n";
        }

        @Override
        public String error(ServerMessage.Error m) {
          return "{\"type\":\"error\",\"message\":" + quote(m.message()) + "}\n";
        }

        @Override
        public String closing(ServerMessage.Closing m) {
          return "{\"type\":\"closing\",\"reason\":" + quote(m.reason()) + "}\n";
        }
      };

  /**
   * The chain's JSON array. A server does not come here for its broadcasts: it sends {@link
   * SharedChainBytes}, the same bytes made once for every connection.
   */
  private static String chainJson(ServerMessage.ChainUpdate message) {
    return ChainJson.write(message.blocks());
  }

  /** Encodes a client's message as a JSON line, with its {@code \n}. */
  public static String encodeJson(ClientMessage message) {
    Objects.requireNonNull(message, "message");
    if (message instanceof ClientMessage.Hello m) {
      return "{\"type\":\"hello\",\"version\":" + m.version() + "}\n";
    } else if (message instanceof ClientMessage.Stake m) {
      return "{\"type\":\"stake\",\"amount\":" + m.text() + "}\n";
    } else if (message instanceof ClientMessage.Propose m) {
      return "{\"type\":\"propose\",\"bpm\":" + m.text() + "}\n";
    } else if (message instanceof ClientMessage.Line m) {
      return m.text() + "\n";
    }
    throw new IllegalArgumentException("a client does not send " + message);
  }

  /** The hello a JSON client starts with: the newest version. */
  public static String hello() {
    return encodeJson(new ClientMessage.Hello(ProtocolLimits.VERSION));
  }

  /** A client's request for {@code count} blocks from Index {@code from}, with its {@code \n}. */
  public static String getBlocks(long from, long count) {
    return "{\"type\":\"get-blocks\",\"from\":" + from + ",\"count\":" + count + "}\n";
  }

  /**
   * Decodes a server's JSON line (as a client sees it); empty for a line that is not a message this
   * version knows (the client ignores it, e.g. the text prompt every connection starts with).
   */
  public static Optional<ServerMessage> decodeServerJson(String line) {
    if (!line.startsWith("{")) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject() || !node.path("type").isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(decodeServerNode(node));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static ServerMessage decodeServerNode(JsonNode node) {
    return switch (node.get("type").asText()) {
      case "welcome" ->
          new ServerMessage.Welcome(node.path("version").asInt(), node.path("height").asLong());
      case "block" -> {
        ParsedChain parsed = ChainJson.parseBlock(node.path("block").toString());
        yield parsed instanceof ParsedChain.Parsed p && p.blocks().size() == 1
            ? new ServerMessage.BlockAdded(p.blocks().get(0))
            : null;
      }
      case "blocks" -> {
        ParsedChain parsed = ChainJson.parse(node.path("blocks").toString());
        yield parsed instanceof ParsedChain.Parsed p
            ? new ServerMessage.Blocks(node.path("from").asLong(), p.blocks())
            : null;
      }
      case "registered" ->
          new ServerMessage.Registered(
              ValidatorId.fromHex(node.path("address").asText()), node.path("stake").asLong());
      case "proposal-accepted" -> new ServerMessage.ProposalAccepted(node.path("index").asLong());
      case "round-result" ->
          new ServerMessage.RoundResult(
              node.path("round").asLong(),
              textOrEmpty(node.get("winner")).map(ValidatorId::fromHex),
              node.path("height").asLong(),
              textOrEmpty(node.get("reason")).map(ReasonText::parseSkipReason));
      case "chain" -> {
        String json = node.path("blocks").toString();
        ParsedChain parsed = ChainJson.parse(json);
        yield parsed instanceof ParsedChain.Parsed p
            ? new ServerMessage.ChainUpdate(p.blocks())
            : null;
      }
      case "slashed" -> new ServerMessage.Slashed(node.path("reason").asText());
      case "error" -> new ServerMessage.Error(node.path("message").asText());
      case "closing" -> new ServerMessage.Closing(node.path("reason").asText());
      default -> null;
    };
  }

  private static Optional<String> textOrEmpty(JsonNode node) {
    return node == null || !node.isTextual() ? Optional.empty() : Optional.of(node.asText());
  }

  private static String quote(String text) {
    return "\"" + new String(QUOTER.quoteAsString(text)) + "\"";
  }
}
