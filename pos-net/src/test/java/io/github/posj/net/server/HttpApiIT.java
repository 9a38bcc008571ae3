package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.protocol.ServerMessage;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP API's contract (docs/api.md): shapes, strings for 64-bit values, errors, paging. */
final class HttpApiIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String V1 = "/posj/v1";

  @RegisterExtension final ServerResources servers = new ServerResources();

  private ValidatorServer server(ServerConfig.Builder config) {
    return servers.start(config.http(HttpSettings.onPort(0)));
  }

  /** A server with two validators (stakes 100 and 300) that forged {@code rounds} blocks. */
  private ValidatorServer forged(int rounds) throws Exception {
    ValidatorServer server = server(TestServers.config());
    TestClient small = servers.client(server, WAIT);
    TestClient large = servers.client(server, WAIT);
    small.register(100);
    large.register(300);
    for (int i = 0; i < rounds; i++) {
      small.propose(70);
      small.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
      large.propose(80);
      large.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
      server.runRoundNow().get(10, TimeUnit.SECONDS);
    }
    return server;
  }

  @Test
  void version_get_namesPosjAndJava() {
    ApiClient api = new ApiClient(server(TestServers.config()));

    ApiClient.Answer answer = api.get(V1 + "/node/version");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json");
    assertThat(answer.json().get("data").get("version").asText())
        .matches("posj/\\S+ \\(java \\S+\\)");
  }

  @Test
  void health_forgingNode_is200Ready() {
    ApiClient api = new ApiClient(server(TestServers.config()));

    ApiClient.Answer answer = api.get(V1 + "/node/health");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"data\":{\"status\":\"ready\",\"detail\":null}}");
  }

  @Test
  void health_brokenStore_is503ForgingStoppedWithTheCause() throws Exception {
    ValidatorServer server = server(TestServers.config().chainStore(BrokenStore::new));
    TestClient client = servers.client(server, WAIT);
    client.registerAndPropose(10, 72, WAIT);
    server.runRoundNow().exceptionally(failure -> null).get(10, TimeUnit.SECONDS);
    ApiClient api = new ApiClient(server);

    ApiClient.Answer answer = api.get(V1 + "/node/health");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.json().get("data").get("status").asText()).isEqualTo("forging-stopped");
    assertThat(answer.json().get("data").get("detail").asText()).isEqualTo("disk gone");
    assertThat(api.data(V1 + "/rounds").get(0).get("reason").asText()).isEqualTo("store-failed");
  }

  @Test
  void status_afterRounds_countsAsDecimalStrings() throws Exception {
    ValidatorServer server = forged(3);
    ApiClient api = new ApiClient(server);

    JsonNode status = api.data(V1 + "/node/status");

    assertThat(status.get("status").asText()).isEqualTo("ready");
    assertThat(status.get("hash_scheme").asText()).isEqualTo("posj");
    assertThat(status.get("height").isTextual()).isTrue();
    assertThat(status.get("height").asText()).isEqualTo("3");
    assertThat(status.get("rounds").asText()).isEqualTo("3");
    assertThat(status.get("round_millis").asText()).isEqualTo("3600000");
    assertThat(status.get("validators").asText()).isEqualTo("2");
    assertThat(status.get("total_stake").asText()).isEqualTo("400");
    assertThat(status.get("head").get("hash").asText())
        .isEqualTo(server.chain().head().hash().hex());
    assertThat(status.get("connections").get("total").asText()).isEqualTo("2");
    assertThat(status.get("connections").get("json").asText()).isEqualTo("2");
    assertThat(status.get("connections").get("text").asText()).isEqualTo("0");
    assertEveryNumberIsAString(status);
  }

  @Test
  void block_byIndexHashHeadOrGenesis_isTheSameBlockWithStrings() throws Exception {
    ValidatorServer server = forged(2);
    ApiClient api = new ApiClient(server);
    Block head = server.chain().head();

    JsonNode byHead = api.data(V1 + "/blocks/head");

    assertThat(byHead.get("index").asText()).isEqualTo("2");
    assertThat(byHead.get("bpm").asText()).isIn("70", "80");
    assertThat(byHead.get("hash").asText()).isEqualTo(head.hash().hex());
    assertThat(byHead.get("prev_hash").asText()).isEqualTo(head.prevHash().hex());
    assertThat(byHead.get("validator").asText()).isEqualTo(head.validator().hex());
    assertThat(byHead.get("timestamp").asText()).isEqualTo(TestServers.NOW_TEXT);
    assertThat(api.data(V1 + "/blocks/2")).isEqualTo(byHead);
    assertThat(api.data(V1 + "/blocks/" + head.hash().hex())).isEqualTo(byHead);
    assertThat(api.data(V1 + "/blocks/0x" + head.hash().hex())).isEqualTo(byHead);
    assertThat(api.get(V1 + "/blocks/head").json().get("finalized").asBoolean()).isTrue();
    JsonNode genesis = api.data(V1 + "/blocks/genesis");
    assertThat(genesis).isEqualTo(api.data(V1 + "/blocks/0"));
    assertThat(genesis.get("validator").asText()).isEmpty();
    assertThat(genesis.get("prev_hash").asText()).isEmpty();
    assertEveryNumberIsAString(byHead);
  }

  @Test
  void block_badOrUnknownIds_areJsonErrorsWithTheirCode() throws Exception {
    ApiClient api = new ApiClient(forged(1));
    Map<String, Integer> expected =
        Map.of(
            "-1",
            400,
            "99999999999999999999",
            400,
            "9223372036854775807",
            404,
            "2",
            404,
            "0x" + "ab".repeat(31),
            400,
            "0x" + "zz".repeat(32),
            400,
            "ab".repeat(32),
            404,
            "%1b%5b31m",
            400,
            "1.5",
            400,
            "head/extra",
            404);

    for (Map.Entry<String, Integer> id : expected.entrySet()) {
      ApiClient.Answer answer = api.get(V1 + "/blocks/" + id.getKey());
      assertThat(answer.status()).as(id.getKey()).isEqualTo(id.getValue());
      assertThat(answer.contentType()).as(id.getKey()).isEqualTo("application/json");
      assertThat(answer.json().get("code").asInt()).as(id.getKey()).isEqualTo(id.getValue());
      assertThat(answer.json().get("message").asText()).as(id.getKey()).isNotBlank();
    }
    assertThat(api.get(V1 + "/blocks/%1b%5b31m").json().get("message").asText())
        .contains("\\u001b[31m")
        .doesNotContain("\u001b");
    assertThat(api.get(V1 + "/blocks/2").json().get("message").asText())
        .isEqualTo("no block at Index 2: the head is at Index 1");
    // 19 digits, above Long.MAX_VALUE: refused, not a 500.
    assertThat(api.get(V1 + "/blocks/9999999999999999999").status()).isEqualTo(400);
    assertThat(api.get(V1 + "/blocks?from=9999999999999999999").status()).isEqualTo(400);
  }

  @Test
  void blockRange_pages_areBoundedAndLinked() throws Exception {
    ApiClient api = new ApiClient(forged(4));

    ApiClient.Answer first = api.get(V1 + "/blocks?from=0&count=2");
    ApiClient.Answer last = api.get(V1 + "/blocks?from=4&count=2");
    ApiClient.Answer past = api.get(V1 + "/blocks?from=99999");

    assertThat(first.json().get("data"))
        .extracting(b -> b.get("index").asText())
        .containsExactly("0", "1");
    assertThat(first.json().get("next_from").asText()).isEqualTo("2");
    assertThat(first.json().get("height").asText()).isEqualTo("4");
    assertThat(last.json().get("data"))
        .extracting(b -> b.get("index").asText())
        .containsExactly("4");
    assertThat(last.json().get("next_from").isNull()).isTrue();
    assertThat(past.json().get("data")).isEmpty();
    assertThat(api.data(V1 + "/blocks")).hasSize(5);
    for (String bad : List.of("count=0", "count=1001", "count=-1", "from=-1", "from=x", "count=")) {
      ApiClient.Answer answer = api.get(V1 + "/blocks?" + bad);
      assertThat(answer.status()).as(bad).isEqualTo(400);
      assertThat(answer.json().get("code").asInt()).isEqualTo(400);
    }
    assertThat(api.get(V1 + "/blocks?count=1001").json().get("message").asText())
        .isEqualTo("count is a whole number from 1 to 1000; got \"1001\"");
  }

  @Test
  void validators_afterForgedRounds_reportWinsAgainstExpectedWins() throws Exception {
    ValidatorServer server = forged(8);
    ApiClient api = new ApiClient(server);

    ApiClient.Answer answer = api.get(V1 + "/validators");

    JsonNode data = answer.json().get("data");
    assertThat(data).hasSize(2);
    assertThat(data.get(0).get("stake").asText()).isEqualTo("300");
    assertThat(data.get(1).get("stake").asText()).isEqualTo("100");
    assertThat(data.get(0).get("share").asDouble()).isEqualTo(0.75);
    assertThat(data.get(0).get("rounds_entered").asText()).isEqualTo("8");
    assertThat(data.get(0).get("expected_wins").asDouble()).isEqualTo(6.0);
    assertThat(data.get(1).get("expected_wins").asDouble()).isEqualTo(2.0);
    assertThat(data.get(0).get("joined_round").asText()).isEqualTo("1");
    long wins = data.get(0).get("wins").asLong() + data.get(1).get("wins").asLong();
    assertThat(wins).as("every forged round has one winner").isEqualTo(8);
    assertThat(answer.json().get("total").asText()).isEqualTo("2");
    assertThat(answer.json().get("total_stake").asText()).isEqualTo("400");
    assertThat(answer.json().get("next_from").isNull()).isTrue();
    assertThat(api.get(V1 + "/validators?from=1&count=1").json().get("data").get(0))
        .isEqualTo(data.get(1));
    List<String> addresses = new ArrayList<>();
    data.forEach(v -> addresses.add(v.get("address").asText()));
    assertThat(addresses).allMatch(a -> ValidatorId.parseHex(a).isPresent());
  }

  @Test
  void rounds_forgedAndSkipped_sayOutcomeReasonAndCounts() throws Exception {
    ValidatorServer server = forged(1);
    server.runRoundNow().get(10, TimeUnit.SECONDS);
    ApiClient api = new ApiClient(server);

    JsonNode rounds = api.data(V1 + "/rounds");

    assertThat(rounds).hasSize(2);
    JsonNode skipped = rounds.get(0);
    assertThat(skipped.get("round").asText()).isEqualTo("2");
    assertThat(skipped.get("outcome").asText()).isEqualTo("skipped");
    assertThat(skipped.get("reason").asText()).isEqualTo("no-proposals");
    assertThat(skipped.get("winner").isNull()).isTrue();
    JsonNode forged = rounds.get(1);
    assertThat(forged.get("outcome").asText()).isEqualTo("forged");
    assertThat(forged.get("reason").isNull()).isTrue();
    assertThat(forged.get("winner").asText()).isEqualTo(server.chain().head().validator().hex());
    assertThat(forged.get("index").asText()).isEqualTo("1");
    assertThat(forged.get("proposals").asText()).isEqualTo("2");
    assertThat(forged.get("proposers").asText()).isEqualTo("2");
    assertThat(forged.get("eligible_stake").asText()).isEqualTo("400");
    assertThat(forged.get("time").asText()).isEqualTo(TestServers.NOW.toString());
    assertThat(api.data(V1 + "/rounds?count=1")).hasSize(1);
    assertThat(api.get(V1 + "/rounds?count=0").status()).isEqualTo(400);
  }

  @Test
  void slashings_malformedBpm_isListedWithTheBpmEscaped() throws Exception {
    ValidatorServer server = server(TestServers.config());
    RawPeer nc = servers.raw(server);
    nc.send("50\n");
    String address =
        nc.readUntil("\n\nEnter a new BPM:").replaceAll("(?s).*address: (\\w+).*", "$1");
    nc.send("7\u001b[2J\n");
    nc.drainToEnd();
    ApiClient api = new ApiClient(server);
    Await.until("the slashing is published", () -> api.data(V1 + "/slashings").size() == 1);

    JsonNode slashing = api.data(V1 + "/slashings").get(0);

    assertThat(slashing.get("validator").asText()).isEqualTo(address);
    assertThat(slashing.get("forfeited").asText()).isEqualTo("50");
    assertThat(slashing.get("reason").asText()).isEqualTo("malformed-bpm");
    assertThat(slashing.get("bpm").asText()).isEqualTo("7\\u001b[2J");
    Await.until("the validator is gone", () -> api.data(V1 + "/validators").isEmpty());
  }

  @Test
  void requests_unknownPathOrMethod_areJsonErrors() {
    ApiClient api = new ApiClient(server(TestServers.config()));

    ApiClient.Answer unknown = api.get("/posj/v2/node/version");
    ApiClient.Answer post =
        api.send(
            HttpRequest.newBuilder(api.uri(V1 + "/blocks/head"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("code").asInt()).isEqualTo(404);
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.json().get("message").asText()).startsWith("the API is read-only");
    assertThat(api.get("/").contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(api.get("/page.js").contentType()).startsWith("text/javascript");
  }

  @Test
  void events_resumedWithLastEventId_sendWhatWasMissedThenLiveEvents() throws Exception {
    ValidatorServer server = forged(1);
    int port = server.httpPort().orElseThrow();
    String request = "GET /posj/v1/events?topics=head,round HTTP/1.1\r\nHost: t\r\n";
    String lastId;
    try (RawPeer stream = RawPeer.connect(port)) {
      stream.send(request + "\r\n");
      String head = stream.readUntil("retry: 3000\n\n");
      assertThat(head).startsWith("HTTP/1.1 200 OK").contains("text/event-stream");
      server.runRoundNow().get(10, TimeUnit.SECONDS);
      String events = stream.readUntil("event: round\n");
      lastId = events.replaceAll("(?s).*id: (\\d+)\nevent: round\n$", "$1");
    }
    // Missed while disconnected: round 3 (skipped: nobody proposed).
    server.runRoundNow().get(10, TimeUnit.SECONDS);

    try (RawPeer stream = RawPeer.connect(port)) {
      stream.send(request + "Last-Event-ID: " + lastId + "\r\n\r\n");
      String replayed = stream.readUntil("no-proposals");
      assertThat(replayed).doesNotContain("\"round\":\"2\"").contains("\"round\":\"3\"");
      server.runRoundNow().get(10, TimeUnit.SECONDS);
      assertThat(stream.readUntil("\"round\":\"4\"")).contains("event: round");
    }
  }

  @Test
  void httpOff_byDefault_noPort() {
    ValidatorServer server = servers.start(TestServers.config());

    assertThat(server.httpPort()).isEmpty();
  }

  /** Every number in {@code node}, at any depth, is a JSON string (the beacon API's rule). */
  private static void assertEveryNumberIsAString(JsonNode node) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        assertThat(field.getValue().isIntegralNumber()).as(field.getKey()).isFalse();
        assertEveryNumberIsAString(field.getValue());
      }
    } else if (node.isArray()) {
      node.forEach(HttpApiIT::assertEveryNumberIsAString);
    }
  }

  /** A store that refuses every block and says it is broken. */
  private static final class BrokenStore implements ChainStore {
    @Override
    public Opened open(HashScheme scheme, Block genesis) {
      return new Opened(Chain.genesis(scheme, genesis.timestamp()), List.of());
    }

    @Override
    public void append(Block block) {
      throw new ChainStoreException("disk gone", null, ChainStoreException.State.BROKEN);
    }

    @Override
    public void close() {}
  }
}
