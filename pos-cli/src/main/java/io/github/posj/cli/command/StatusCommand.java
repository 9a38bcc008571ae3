package io.github.posj.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.convert.DurationConverter;
import io.github.posj.cli.report.Quantity;
import io.github.posj.core.text.UntrustedText;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pos status}: a running node's state, read from its HTTP API (docs/api.md). */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a running node's state: its health, height and head, rounds, connections, the"
          + " validators with the largest stakes (wins against expected wins) and the last"
          + " rounds, read from its HTTP API (start it with pos server --http-port 8080).",
      "A network node (pos node --http-port 8080) is shown in its own terms: the current slot,"
          + " epoch and leader, the blocks each validator made against its share, and the last"
          + " slots.",
      "Exit code 0 when the node is ready, 1 when it is unreachable or not forging."
    })
public final class StatusCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V1 = "/posj/v1";

  private final CliEnvironment environment;

  @Option(
      names = "--node",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8080",
      description = "The node's HTTP API (default ${DEFAULT-VALUE}).")
  String node;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "10",
      description = "Validators shown, the largest stakes (default ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--last",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "Rounds (or a network node's slots) shown, the newest (default ${DEFAULT-VALUE}).")
  int last;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How long to wait for each answer (default 5s).")
  Duration timeout;

  StatusCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    URI base = base();
    if (top < 1 || top > 1000 || last < 1 || last > 100) {
      throw new CommandFailure(
          "--top is 1 to 1000 and --last 1 to 100; got " + top + " and " + last, PosCommand.USAGE);
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    JsonNode status = get(http, base, V1 + "/node/status").get("data");
    JsonNode validators = get(http, base, V1 + "/validators?count=" + top);
    if (text(status, "mode").equals("network")) {
      JsonNode slots = get(http, base, V1 + "/slots?count=" + last).get("data");
      printNetwork(environment.out(), base, status, validators, slots);
    } else {
      JsonNode rounds = get(http, base, V1 + "/rounds?count=" + last).get("data");
      print(environment.out(), base, status, validators, rounds);
    }
    return text(status, "status").equals("ready") ? PosCommand.OK : PosCommand.FAILURE;
  }

  private URI base() {
    String url = node.endsWith("/") ? node.substring(0, node.length() - 1) : node;
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) && uri.getHost() != null)) {
        throw new URISyntaxException(url, "not an http://HOST:PORT address");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CommandFailure(
          "--node: '" + UntrustedText.escape(node) + "' is not an http://HOST:PORT address",
          PosCommand.USAGE);
    }
  }

  private JsonNode get(HttpClient http, URI base, String path) throws InterruptedException {
    URI uri = URI.create(base + path);
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CommandFailure(
          "cannot reach the node at "
              + base
              + ": "
              + (e instanceof ConnectException ? "nothing answers there" : e.getMessage())
              + " (is pos server or pos node running with --http-port? see docs/api.md)");
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CommandFailure(
          base + " answered " + path + " with something that is not JSON: is it a posj node?");
    }
    if (response.statusCode() != 200 && response.statusCode() != 503 || !body.has("data")) {
      throw new CommandFailure(
          base + path + " answered " + response.statusCode() + ": " + text(body, "message"));
    }
    return body;
  }

  private static void print(
      PrintStream out, URI base, JsonNode status, JsonNode validators, JsonNode rounds) {
    JsonNode head = status.get("head");
    JsonNode connections = status.get("connections");
    out.println("node " + base + ": " + text(status, "version") + ", " + text(status, "status"));
    out.println(
        "chain: height "
            + text(status, "height")
            + ", head "
            + text(head, "hash")
            + ", "
            + text(status, "hash_scheme")
            + " hash scheme");
    long rounds0 = status.path("rounds").asLong();
    out.println(
        "rounds: "
            + rounds0
            + " ended, one every "
            + seconds(status.path("round_millis").asLong())
            + " s");
    out.println(
        "connections: "
            + Quantity.of(connections.path("total").asLong(), "validator connection")
            + " ("
            + text(connections, "text")
            + " text, "
            + text(connections, "json")
            + " JSON), "
            + Quantity.of(status.path("event_subscribers").asLong(), "event-stream subscriber")
            + ", "
            + Quantity.of(status.path("peers").path("connected").asLong(), "peer"));
    validatorsLine(out, status, validators);
    if (validators.get("data").size() > 0) {
      out.printf(
          Locale.ROOT,
          "  %-64s %15s %8s %6s %9s%n",
          "address",
          "stake",
          "share",
          "wins",
          "expected");
      for (JsonNode v : validators.get("data")) {
        out.printf(
            Locale.ROOT,
            "  %-64s %15s %7.1f%% %6s %9.2f%n",
            text(v, "address"),
            text(v, "stake"),
            v.path("share").asDouble() * 100,
            text(v, "wins"),
            v.path("expected_wins").asDouble());
      }
    }
    out.println("last rounds:" + (rounds.size() == 0 ? " none yet" : ""));
    for (JsonNode round : rounds) {
      String what =
          text(round, "outcome").equals("forged")
              ? "block " + text(round, "index") + " by " + text(round, "winner")
              : "no block (" + text(round, "reason") + ")";
      out.println(
          "  round "
              + text(round, "round")
              + ": "
              + what
              + ", "
              + Quantity.of(round.path("proposers").asLong(), "proposer")
              + ", "
              + Quantity.of(round.path("proposals").asLong(), "proposal"));
    }
  }

  /** A network node: its chain, slot and leader, validators' blocks and the last slots. */
  private static void printNetwork(
      PrintStream out, URI base, JsonNode status, JsonNode validators, JsonNode slots) {
    JsonNode head = status.get("head");
    JsonNode connections = status.get("connections");
    out.println(
        "node "
            + base
            + ": "
            + text(status, "version")
            + ", "
            + text(status, "status")
            + ", network mode");
    out.println("chain: " + text(status, "chain_id") + ", genesis " + text(status, "genesis_hash"));
    out.println(
        "head: height "
            + text(status, "height")
            + ", slot "
            + text(status, "head_slot")
            + ", hash "
            + text(head, "hash"));
    out.println(
        "final: blocks up to height "
            + text(status, "finalized_height")
            + " (a fork choice switch never rolls them back)");
    out.println(
        "slot: "
            + text(status, "slot")
            + " (epoch "
            + text(status, "epoch")
            + "), leader "
            + text(status, "leader")
            + "; slots of "
            + text(status, "slot_seconds")
            + " s, "
            + text(status, "epoch_slots")
            + " an epoch");
    out.println(
        "connections: "
            + Quantity.of(connections.path("total").asLong(), "connection")
            + " ("
            + Quantity.of(connections.path("validators").asLong(), "validator")
            + " logged in), "
            + Quantity.of(status.path("event_subscribers").asLong(), "event-stream subscriber")
            + ", "
            + Quantity.of(status.path("peers").path("connected").asLong(), "peer"));
    validatorsLine(out, status, validators);
    out.printf(
        Locale.ROOT,
        "  %-64s %15s %8s %6s %9s %s%n",
        "address",
        "stake",
        "share",
        "blocks",
        "expected",
        "logged in");
    for (JsonNode v : validators.get("data")) {
      out.printf(
          Locale.ROOT,
          "  %-64s %15s %7.1f%% %6s %9.2f %s%n",
          text(v, "address"),
          text(v, "stake"),
          v.path("share").asDouble() * 100,
          text(v, "blocks"),
          v.path("expected_blocks").asDouble(),
          v.path("logged_in").asBoolean() ? "yes" : "no");
    }
    out.println("last slots:" + (slots.size() == 0 ? " none yet" : ""));
    for (JsonNode slot : slots) {
      String outcome = text(slot, "outcome");
      String what =
          switch (outcome) {
            case "block" -> "block " + text(slot, "index") + " by " + text(slot, "leader");
            case "empty" -> "empty, no block from its leader " + text(slot, "leader");
            default -> outcome + ", leader " + text(slot, "leader");
          };
      out.println("  slot " + text(slot, "slot") + ": " + what);
    }
  }

  /** {@code validators: 4, total stake 100}, and how many of the largest follow when not all. */
  private static void validatorsLine(PrintStream out, JsonNode status, JsonNode validators) {
    out.println(
        "validators: "
            + text(status, "validators")
            + ", total stake "
            + text(status, "total_stake")
            + (validators.path("next_from").isNull()
                ? ""
                : "; the " + validators.get("data").size() + " largest:"));
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0
        ? Long.toString(millis / 1000)
        : String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }

  /** A text field of the node's answer, escaped: it reaches a terminal. */
  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? "-" : UntrustedText.escape(value.asText());
  }
}
