package io.github.posj.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * A devnet's layout, {@code DIR/devnet.json}: its nodes with their ports, data directories, peers
 * and validators' key files. {@code pos devnet init} writes it, {@code pos devnet up} reads it and
 * starts what it lists. Paths in it are relative to DIR. Immutable; thread-safe.
 *
 * @param nodes the nodes, 1 to {@value #MAX_NODES}, in the order they are started
 */
record DevnetManifest(List<Node> nodes) {
  /** The manifest's name in DIR. */
  static final String FILE = "devnet.json";

  /** The value of the {@code format} member. */
  static final String FORMAT = "posj-devnet";

  /** The version this code reads and writes. */
  static final int VERSION = 1;

  /** The most nodes a devnet has. */
  static final int MAX_NODES = 16;

  /** Node i's peer port is its port plus this. */
  static final int PEER_PORT_OFFSET = 100;

  /** Node i's HTTP port is its port plus this. */
  static final int HTTP_PORT_OFFSET = 200;

  /** The address every node listens on and is reached at: a devnet is one machine. */
  static final String HOST = "127.0.0.1";

  private static final Set<String> MEMBERS = Set.of("format", "version", "nodes");
  private static final Set<String> NODE_MEMBERS =
      Set.of("name", "port", "peerPort", "httpPort", "dataDir", "peers", "validators");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");
  private static final Pattern PEER = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:([1-9][0-9]{0,4})");
  private static final Pattern KEY_FILE = Pattern.compile("[A-Za-z0-9._-]{1,255}");

  /** Strict reading: no member twice, nothing after the object. */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * One node and what runs with it.
   *
   * @param name its name in the table and in its log file's name, e.g. {@code node-1}
   * @param port its {@code --port}, where validators log in
   * @param peerPort its {@code --peer-port}, where the other nodes connect
   * @param httpPort its {@code --http-port}, read for the status table
   * @param dataDir its {@code --data-dir}, relative to DIR
   * @param peers the other nodes' peer addresses ({@code HOST:PORT}), one {@code --peer} each
   * @param validators the key files (in DIR) of the validators that log in to it
   */
  record Node(
      String name,
      int port,
      int peerPort,
      int httpPort,
      String dataDir,
      List<String> peers,
      List<String> validators) {
    /** Checks nothing but presence and copies the lists; {@link #parse} checks the rest. */
    Node {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dataDir, "dataDir");
      peers = List.copyOf(peers);
      validators = List.copyOf(validators);
    }

    /** Its peer address: {@code 127.0.0.1:peerPort}. */
    String peerAddress() {
      return HOST + ":" + peerPort;
    }

    /** The arguments of {@code pos} that run this node of the devnet in {@code dir}. */
    List<String> nodeArguments(Path dir) {
      List<String> arguments = new ArrayList<>();
      arguments.addAll(
          List.of(
              "node",
              "--genesis",
              dir.resolve(DevnetInitCommand.GENESIS_FILE).toString(),
              "--port",
              Integer.toString(port),
              "--peer-port",
              Integer.toString(peerPort),
              "--http-port",
              Integer.toString(httpPort),
              "--data-dir",
              dir.resolve(dataDir).toString()));
      for (String peer : peers) {
        arguments.add("--peer");
        arguments.add(peer);
      }
      return arguments;
    }

    /** The arguments of {@code pos} that run the validator of {@code keyFile} against this node. */
    List<String> validatorArguments(Path dir, String keyFile) {
      return List.of(
          "validator", "--key", dir.resolve(keyFile).toString(), "--node", HOST + ":" + port);
    }
  }

  /** Checks the nodes and copies the list. */
  DevnetManifest {
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty() || nodes.size() > MAX_NODES) {
      throw new IllegalArgumentException(
          "a devnet has 1 to " + MAX_NODES + " nodes, got " + nodes.size());
    }
  }

  /**
   * The layout {@code pos devnet init} writes: node i (from 1) listens on {@code basePort + i - 1},
   * its peer port {@value #PEER_PORT_OFFSET} above, its HTTP port {@value #HTTP_PORT_OFFSET} above;
   * every node has every other as a peer; validator k (from 1) goes to node {@code ((k - 1) mod
   * nodes) + 1}.
   *
   * @param keyFileName the key file of validator k, from 0
   * @throws IllegalArgumentException for a node count outside 1 to {@value #MAX_NODES}, or ports
   *     outside 1 to 65535
   */
  static DevnetManifest layout(
      int nodeCount, int validatorCount, int basePort, IntFunction<String> keyFileName) {
    if (nodeCount < 1 || nodeCount > MAX_NODES) {
      throw new IllegalArgumentException("--nodes is 1 to " + MAX_NODES + ", got " + nodeCount);
    }
    int last = basePort + HTTP_PORT_OFFSET + nodeCount - 1;
    if (basePort < 1 || last > 65535) {
      throw new IllegalArgumentException(
          "--base-port: the ports of "
              + nodeCount
              + (nodeCount == 1 ? " node are " : " nodes are ")
              + "--base-port to --base-port + "
              + (HTTP_PORT_OFFSET + nodeCount - 1)
              + ", so --base-port is 1 to "
              + (65535 - HTTP_PORT_OFFSET - nodeCount + 1)
              + ", got "
              + basePort);
    }
    List<List<String>> keys = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      keys.add(new ArrayList<>());
    }
    for (int k = 0; k < validatorCount; k++) {
      keys.get(k % nodeCount).add(keyFileName.apply(k));
    }
    List<Node> nodes = new ArrayList<>(nodeCount);
    for (int i = 0; i < nodeCount; i++) {
      List<String> peers = new ArrayList<>();
      for (int j = 0; j < nodeCount; j++) {
        if (j != i) {
          peers.add(HOST + ":" + (basePort + PEER_PORT_OFFSET + j));
        }
      }
      nodes.add(
          new Node(
              "node-" + (i + 1),
              basePort + i,
              basePort + PEER_PORT_OFFSET + i,
              basePort + HTTP_PORT_OFFSET + i,
              "node-" + (i + 1),
              peers,
              keys.get(i)));
    }
    return new DevnetManifest(nodes);
  }

  /** The manifest as JSON, one node a line, ending with a newline. */
  String toJson() {
    StringBuilder out = new StringBuilder();
    out.append("{\"format\":\"")
        .append(FORMAT)
        .append("\",\"version\":")
        .append(VERSION)
        .append(",\"nodes\":[");
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      out.append(i == 0 ? "\n  " : ",\n  ");
      out.append("{\"name\":").append(quoted(node.name()));
      out.append(",\"port\":\"").append(node.port());
      out.append("\",\"peerPort\":\"").append(node.peerPort());
      out.append("\",\"httpPort\":\"").append(node.httpPort());
      out.append("\",\"dataDir\":").append(quoted(node.dataDir()));
      out.append(",\"peers\":").append(array(node.peers()));
      out.append(",\"validators\":").append(array(node.validators())).append('}');
    }
    return out.append("]}\n").toString();
  }

  private static String array(List<String> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ",").append(quoted(values.get(i)));
    }
    return out.append(']').toString();
  }

  /** {@code value} in double quotes, as JSON writes it (control characters escaped). */
  private static String quoted(String value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string is always JSON", e);
    }
  }

  /**
   * Reads and checks a manifest: the format and version, every member of every node and nothing
   * else; names, data directories, ports and key files each used once; data directories and key
   * files inside DIR.
   *
   * @throws IllegalArgumentException naming the member ({@code nodes[1].port}) and what is wrong
   */
  static DevnetManifest parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "expected a JSON object {\"format\":\"" + FORMAT + "\",…}");
    }
    requireMembers(root, MEMBERS, "the manifest");
    JsonNode format = root.get("format");
    if (!format.isTextual() || !format.asText().equals(FORMAT)) {
      throw new IllegalArgumentException(
          "format: expected \"" + FORMAT + "\", got " + format + " (not a devnet manifest)");
    }
    JsonNode version = root.get("version");
    if (!version.isIntegralNumber() || version.asLong() != VERSION) {
      throw new IllegalArgumentException(
          "version: this pos reads version " + VERSION + ", got " + version);
    }
    JsonNode list = root.get("nodes");
    if (!list.isArray() || list.isEmpty() || list.size() > MAX_NODES) {
      throw new IllegalArgumentException(
          "nodes: expected an array of 1 to "
              + MAX_NODES
              + " nodes, got "
              + (list.isArray() ? list.size() + " nodes" : list.getNodeType().toString()));
    }
    Map<String, String> names = new HashMap<>();
    Map<String, String> dataDirs = new HashMap<>();
    Map<Integer, String> ports = new HashMap<>();
    Map<String, String> keyFiles = new HashMap<>();
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "nodes[" + i + "]";
      JsonNode node = list.get(i);
      requireMembers(node, NODE_MEMBERS, at);
      String name = text(node, "name", at);
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            at + ".name: 1 to 64 of A-Z a-z 0-9 . _ -, got " + quoted(name));
      }
      once(names, name, at + ".name");
      int port = port(node, "port", at, ports);
      int peerPort = port(node, "peerPort", at, ports);
      int httpPort = port(node, "httpPort", at, ports);
      String dataDir = text(node, "dataDir", at);
      checkInside(dataDir, at + ".dataDir");
      once(dataDirs, Path.of(dataDir).normalize().toString(), at + ".dataDir");
      List<String> peers = new ArrayList<>();
      JsonNode peerList = array(node, "peers", at);
      for (int j = 0; j < peerList.size(); j++) {
        String where = at + ".peers[" + j + "]";
        String peer = element(peerList, j, where);
        var matcher = PEER.matcher(peer);
        if (!matcher.matches() || Integer.parseInt(matcher.group(1)) > 65535) {
          throw new IllegalArgumentException(
              where + ": expected HOST:PORT such as 127.0.0.1:9101, got " + quoted(peer));
        }
        peers.add(peer);
      }
      List<String> validators = new ArrayList<>();
      JsonNode keyList = array(node, "validators", at);
      for (int j = 0; j < keyList.size(); j++) {
        String where = at + ".validators[" + j + "]";
        String keyFile = element(keyList, j, where);
        if (!KEY_FILE.matcher(keyFile).matches() || keyFile.equals(".") || keyFile.equals("..")) {
          throw new IllegalArgumentException(
              where
                  + ": expected the name of a key file in DIR such as validator-1.key, got "
                  + quoted(keyFile));
        }
        once(keyFiles, keyFile, where);
        validators.add(keyFile);
      }
      nodes.add(new Node(name, port, peerPort, httpPort, dataDir, peers, validators));
    }
    return new DevnetManifest(nodes);
  }

  private static void requireMembers(JsonNode node, Set<String> members, String what) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(what + ": expected a JSON object, got " + node);
    }
    Set<String> seen = new HashSet<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!members.contains(name)) {
        throw new IllegalArgumentException(
            what + ": unknown member " + quoted(name) + "; expected " + sorted(members));
      }
      seen.add(name);
    }
    for (String member : sorted(members)) {
      if (!seen.contains(member)) {
        throw new IllegalArgumentException(what + ": missing member \"" + member + "\"");
      }
    }
  }

  private static List<String> sorted(Set<String> members) {
    return members.stream().sorted().toList();
  }

  private static String text(JsonNode node, String member, String at) {
    JsonNode value = node.get(member);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(at + "." + member + ": expected a string, got " + value);
    }
    return value.asText();
  }

  private static JsonNode array(JsonNode node, String member, String at) {
    JsonNode value = node.get(member);
    if (!value.isArray()) {
      throw new IllegalArgumentException(
          at + "." + member + ": expected an array of strings, got " + value);
    }
    return value;
  }

  private static String element(JsonNode list, int j, String where) {
    JsonNode value = list.get(j);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(where + ": expected a string, got " + value);
    }
    return value.asText();
  }

  /** A port written as a decimal string, 1 to 65535, used by no other member. */
  private static int port(JsonNode node, String member, String at, Map<Integer, String> used) {
    String where = at + "." + member;
    String text = text(node, member, at);
    if (!PORT.matcher(text).matches() || Integer.parseInt(text) > 65535) {
      throw new IllegalArgumentException(
          where + ": expected a port \"1\" to \"65535\", got " + quoted(text));
    }
    int port = Integer.parseInt(text);
    String other = used.putIfAbsent(port, where);
    if (other != null) {
      throw new IllegalArgumentException(where + ": port " + port + " is also " + other);
    }
    return port;
  }

  private static void once(Map<String, String> used, String value, String where) {
    String other = used.putIfAbsent(value, where);
    if (other != null) {
      throw new IllegalArgumentException(where + ": " + quoted(value) + " is also " + other);
    }
  }

  /** A relative path that stays inside DIR: no root, no {@code ..}, not DIR itself. */
  private static void checkInside(String path, String where) {
    Path parsed;
    try {
      parsed = Path.of(path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(where + ": not a path: " + quoted(path));
    }
    Path normal = parsed.normalize();
    if (path.isEmpty()
        || parsed.isAbsolute()
        || normal.toString().isEmpty()
        || normal.startsWith("..")
        || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(
          where + ": expected a directory inside DIR such as node-1, got " + quoted(path));
    }
  }
}
