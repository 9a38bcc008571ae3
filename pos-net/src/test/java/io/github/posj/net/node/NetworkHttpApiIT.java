package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.schedule.LeaderSchedule;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import io.github.posj.net.server.ApiClient;
import io.github.posj.net.server.Await;
import io.github.posj.net.server.RawPeer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API of a network node (docs/api.md, "Network mode"): every endpoint's shape, strings for
 * 64-bit values, errors for bad ids, paging, against a real {@link NetworkServer} on 127.0.0.1
 * whose clock the test moves.
 */
final class NetworkHttpApiIT {
  private static final String V1 = "/posj/v1";

  /** Four validators, 30-second slots, 4-slot epochs: a dozen slots span three epochs. */
  private final HttpNode node = new HttpNode(TestNetwork.withSlots(30, 4, 10, 20, 30, 40));

  private final ApiClient api = node.api;
  private final Genesis genesis = node.genesis;

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void status_afterBlocksAndAnEmptySlot_describesTheNetworkNode() {
    node.forge(1);
    SignedBlock head = node.forge(2);
    node.enter(3);
    node.enter(4);

    JsonNode status = api.data(V1 + "/node/status");

    assertThat(status.get("mode").asText()).isEqualTo("network");
    assertThat(status.get("version").asText()).matches("posj/\\S+ \\(java \\S+\\)");
    assertThat(status.get("status").asText()).isEqualTo("ready");
    assertThat(status.get("chain_id").asText()).isEqualTo("posj-test");
    assertThat(status.get("genesis_hash").asText()).isEqualTo(genesis.hash().hex());
    assertThat(status.get("genesis_time").asText()).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(status.get("slot_seconds").asText()).isEqualTo("30");
    assertThat(status.get("epoch_slots").asText()).isEqualTo("4");
    assertThat(status.get("height").asText()).isEqualTo("2");
    assertThat(status.get("head").get("hash").asText()).isEqualTo(head.hash().hex());
    assertThat(status.get("head_slot").asText()).isEqualTo("2");
    assertThat(status.get("slot").asText()).isEqualTo("4");
    assertThat(status.get("epoch").asText()).isEqualTo("1");
    assertThat(status.get("leader").asText()).isEqualTo(node.shadow.leaderOf(4).hex());
    assertThat(status.get("validators").asText()).isEqualTo("4");
    assertThat(status.get("total_stake").asText()).isEqualTo("100");
    assertThat(status.get("connections").get("validators").asText())
        .isEqualTo(Integer.toString(node.server.validatorCount()));
    assertEveryNumberIsAString(status);
  }

  @Test
  void versionAndHealth_readyNode_areTheCommonAnswers() {
    assertThat(api.data(V1 + "/node/version").get("version").asText()).startsWith("posj/");
    ApiClient.Answer health = api.get(V1 + "/node/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"data\":{\"status\":\"ready\",\"detail\":null}}");
  }

  @Test
  void block_byIndexHashHeadOrGenesis_hasTheSignedBlocksFields() {
    node.forge(1);
    SignedBlock head = node.forge(2);

    JsonNode byHead = api.data(V1 + "/blocks/head");

    assertThat(byHead.get("index").asText()).isEqualTo("2");
    assertThat(byHead.get("slot").asText()).isEqualTo("2");
    assertThat(byHead.get("bpm").asText()).isEqualTo("62");
    assertThat(byHead.get("timestamp").asText()).isEqualTo(head.block().timestamp());
    assertThat(byHead.get("hash").asText()).isEqualTo(head.hash().hex());
    assertThat(byHead.get("prev_hash").asText()).isEqualTo(head.block().prevHash().hex());
    assertThat(byHead.get("validator").asText()).isEqualTo(head.block().validator().hex());
    assertThat(byHead.get("pubkey").asText()).isEqualTo(head.publicKey().hex());
    assertThat(byHead.get("reveal").asText()).isEqualTo(head.reveal().hex());
    assertThat(byHead.get("signature").asText()).isEqualTo(head.signature().hex());
    assertThat(api.data(V1 + "/blocks/2")).isEqualTo(byHead);
    assertThat(api.data(V1 + "/blocks/" + head.hash().hex())).isEqualTo(byHead);
    assertThat(api.data(V1 + "/blocks/0x" + head.hash().hex())).isEqualTo(byHead);
    assertThat(api.get(V1 + "/blocks/head").json().get("finalized").asBoolean()).isTrue();
    JsonNode block0 = api.data(V1 + "/blocks/genesis");
    assertThat(block0).isEqualTo(api.data(V1 + "/blocks/0"));
    assertThat(block0.get("hash").asText()).isEqualTo(genesis.hash().hex());
    assertThat(block0.get("slot").asText()).isEqualTo("0");
    assertThat(block0.get("pubkey").isNull()).isTrue();
    assertThat(block0.get("signature").isNull()).isTrue();
    assertEveryNumberIsAString(byHead);
  }

  @Test
  void block_badOrUnknownIds_areJsonErrorsWithTheirCode() {
    node.forge(1);
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("-1", 400);
    expected.put("99999999999999999999", 400);
    expected.put("9999999999999999999", 400);
    expected.put("9223372036854775807", 404);
    expected.put("2", 404);
    expected.put("0x" + "ab".repeat(31), 400);
    expected.put("0x" + "zz".repeat(32), 400);
    expected.put("ab".repeat(32), 404);
    expected.put("%1b%5b31m", 400);
    expected.put("1.5", 400);
    expected.put("head/extra", 404);
    expected.put("head/proof/x", 404);
    expected.put("-1/proof", 400);
    expected.put("0/proof", 400);
    expected.put("7/proof", 404);

    assertErrors(V1 + "/blocks/", expected);
    assertThat(api.get(V1 + "/blocks/2").json().get("message").asText())
        .isEqualTo("no block at Index 2: the head is at Index 1");
    assertThat(api.get(V1 + "/blocks/0/proof").json().get("message").asText())
        .startsWith("block 0 is made from the genesis");
  }

  @Test
  void blockRange_pages_areBoundedLinkedAndSigned() {
    node.forge(1);
    node.forge(2);
    node.forge(3);

    ApiClient.Answer first = api.get(V1 + "/blocks?from=0&count=2");
    ApiClient.Answer last = api.get(V1 + "/blocks?from=2&count=5");

    assertThat(first.json().get("data"))
        .extracting(b -> b.get("slot").asText())
        .containsExactly("0", "1");
    assertThat(first.json().get("next_from").asText()).isEqualTo("2");
    assertThat(first.json().get("height").asText()).isEqualTo("3");
    assertThat(last.json().get("data"))
        .extracting(b -> b.get("pubkey").asText())
        .containsExactly(
            node.blocks.get(1).publicKey().hex(), node.blocks.get(2).publicKey().hex());
    assertThat(last.json().get("next_from").isNull()).isTrue();
    for (String bad :
        List.of("count=0", "count=1001", "from=-1", "from=x", "from=9999999999999999999")) {
      assertThat(api.get(V1 + "/blocks?" + bad).status()).as(bad).isEqualTo(400);
    }
  }

  /**
   * For every block of three epochs, the proof lets a reader re-check the draw with nothing but
   * docs/network.md section 6 and the genesis: the mix is the running hash of every reveal before
   * the epoch before last, the seeds hash down from it, the ticket falls in the leader's tickets
   * and the reveal chains to the validator's previous one.
   */
  @Test
  void proof_everyBlockOfThreeEpochs_reChecksByHand() {
    List<Long> emptySlots = List.of(3L, 6L, 7L, 10L);
    for (long slot = 1; slot <= 13; slot++) {
      if (emptySlots.contains(slot)) {
        node.enter(slot);
      } else {
        node.forge(slot);
      }
    }
    LeaderSchedule schedule = LeaderSchedule.of(genesis);
    List<Hash> mixAfter = new ArrayList<>(List.of(schedule.initialMix()));
    for (SignedBlock block : node.blocks) {
      mixAfter.add(LeaderSchedule.mix(mixAfter.get(mixAfter.size() - 1), block.reveal()));
    }
    Map<ValidatorId, Long> lastBlockBy = new HashMap<>();

    for (SignedBlock block : node.blocks) {
      JsonNode proof = api.data(V1 + "/blocks/" + block.index() + "/proof");

      long slot = block.slot();
      long epoch = genesis.epochOf(slot);
      // mixAtEnd(epoch - 2): after the last block whose slot is in epoch - 2 or before.
      int mixIndex = 0;
      for (SignedBlock earlier : node.blocks) {
        if (epoch >= 2 && genesis.epochOf(earlier.slot()) <= epoch - 2) {
          mixIndex = (int) earlier.index();
        }
      }
      Hash epochSeed = schedule.seed(epoch, mixAfter.get(mixIndex));
      Hash leaderSeed = LeaderSchedule.leaderSeed(epochSeed, slot);
      GenesisValidator validator = genesis.validator(block.block().validator()).orElseThrow();
      Long previous = lastBlockBy.put(validator.address(), block.index());
      Hash previousReveal =
          previous == null
              ? validator.commitment()
              : node.blocks.get(previous.intValue() - 1).reveal();
      long ticket = Long.parseLong(proof.get("ticket").asText());
      long from = Long.parseLong(proof.get("leader_tickets").get("from").asText());
      long to = Long.parseLong(proof.get("leader_tickets").get("to").asText());

      String at = "block " + block.index();
      assertThat(proof.get("slot").asText()).as(at).isEqualTo(Long.toString(slot));
      assertThat(proof.get("epoch").asText()).as(at).isEqualTo(Long.toString(epoch));
      assertThat(proof.get("mix_after_index").asText())
          .as(at)
          .isEqualTo(Integer.toString(mixIndex));
      assertThat(proof.get("mix").asText()).as(at).isEqualTo(mixAfter.get(mixIndex).hex());
      assertThat(proof.get("epoch_seed").asText()).as(at).isEqualTo(epochSeed.hex());
      assertThat(proof.get("leader_seed").asText()).as(at).isEqualTo(leaderSeed.hex());
      assertThat(proof.get("total_stake").asText()).isEqualTo("100");
      assertThat(ticket).as(at).isBetween(from, to - 1);
      assertThat(to - from).as(at).isEqualTo(validator.stake());
      assertThat(proof.get("leader").asText()).as(at).isEqualTo(validator.address().hex());
      assertThat(proof.get("previous_reveal").asText()).as(at).isEqualTo(previousReveal.hex());
      assertThat(HashOnion.chains(block.reveal(), previousReveal)).as(at).isTrue();
      assertThat(proof.get("previous_block").isNull()).as(at).isEqualTo(previous == null);
      assertThat(proof.get("leader_matches").asBoolean()).as(at).isTrue();
      assertThat(proof.get("reveal_chains").asBoolean()).as(at).isTrue();
      assertEveryNumberIsAString(proof);
    }
    assertThat(api.data(V1 + "/blocks/head/proof").get("mix_epoch").asText()).isEqualTo("1");
  }

  @Test
  void validators_afterBlocks_countBlocksAgainstTheirShare() {
    for (long slot = 1; slot <= 6; slot++) {
      node.forge(slot);
    }
    Await.until(
        "the logins are published",
        () -> {
          int loggedIn = 0;
          for (JsonNode v : api.data(V1 + "/validators")) {
            loggedIn += v.get("logged_in").asBoolean() ? 1 : 0;
          }
          return loggedIn == node.server.validatorCount();
        });

    ApiClient.Answer answer = api.get(V1 + "/validators");

    JsonNode data = answer.json().get("data");
    assertThat(data)
        .extracting(v -> v.get("stake").asText())
        .containsExactly("40", "30", "20", "10");
    long blocks = 0;
    for (JsonNode v : data) {
      long made = v.get("blocks").asLong();
      blocks += made;
      long expectedMade =
          node.blocks.stream()
              .filter(b -> b.block().validator().hex().equals(v.get("address").asText()))
              .count();
      assertThat(made).isEqualTo(expectedMade);
      assertThat(v.get("expected_blocks").asDouble())
          .isEqualTo(v.get("share").asDouble() * 6, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(ValidatorId.parseHex(v.get("address").asText())).isPresent();
      assertThat(v.get("pubkey").asText()).hasSize(64);
    }
    assertThat(blocks).isEqualTo(6);
    assertThat(data.get(0).get("share").asDouble()).isEqualTo(0.4);
    assertThat(answer.json().get("total").asText()).isEqualTo("4");
    assertThat(answer.json().get("total_stake").asText()).isEqualTo("100");
    assertThat(answer.json().get("height").asText()).isEqualTo("6");
    assertThat(api.get(V1 + "/validators?from=1&count=1").json().get("data").get(0))
        .isEqualTo(data.get(1));
    assertThat(api.get(V1 + "/validators?count=1").json().get("next_from").asText()).isEqualTo("1");
  }

  @Test
  void slots_recent_areNewestFirstWithTheirOutcome() {
    SignedBlock first = node.forge(1);
    node.enter(2);
    node.enter(3);

    JsonNode slots = api.data(V1 + "/slots");

    assertThat(slots).extracting(s -> s.get("slot").asText()).containsExactly("3", "2", "1");
    assertThat(slots)
        .extracting(s -> s.get("outcome").asText())
        .containsExactly("open", "empty", "block");
    assertThat(slots.get(2).get("index").asText()).isEqualTo("1");
    assertThat(slots.get(2).get("hash").asText()).isEqualTo(first.hash().hex());
    assertThat(slots.get(2).get("leader").asText()).isEqualTo(first.block().validator().hex());
    assertThat(slots.get(1).get("index").isNull()).isTrue();
    assertThat(slots.get(0).get("leader").asText()).isEqualTo(node.shadow.leaderOf(3).hex());
    assertThat(slots.get(0).get("epoch").asText()).isEqualTo("0");
    assertThat(slots.get(0).get("start").asText()).isEqualTo(genesis.slotStart(3).toString());
    assertThat(api.data(V1 + "/slots?count=1")).hasSize(1);
    assertThat(api.get(V1 + "/slots?count=0").status()).isEqualTo(400);
    assertEveryNumberIsAString(slots);
  }

  @Test
  void slot_byNumber_saysItsLeaderAndOutcomeUpToTheNextEpoch() {
    SignedBlock first = node.forge(1);
    node.enter(2);
    node.enter(3);

    assertThat(api.data(V1 + "/slots/1").get("outcome").asText()).isEqualTo("block");
    assertThat(api.data(V1 + "/slots/1").get("hash").asText()).isEqualTo(first.hash().hex());
    assertThat(api.data(V1 + "/slots/2").get("outcome").asText()).isEqualTo("empty");
    assertThat(api.data(V1 + "/slots/3").get("outcome").asText()).isEqualTo("open");
    JsonNode future = api.data(V1 + "/slots/7");
    assertThat(future.get("outcome").asText()).isEqualTo("future");
    assertThat(future.get("epoch").asText()).isEqualTo("1");
    assertThat(future.get("leader").asText()).isEqualTo(node.shadow.leaderOf(7).hex());
    assertThat(api.data(V1 + "/slots/2").get("leader").asText())
        .isEqualTo(api.data(V1 + "/schedule/0").get(1).get("leader").asText());

    Map<String, Integer> bad = new LinkedHashMap<>();
    bad.put("-1", 400);
    bad.put("0", 400);
    bad.put("x", 400);
    bad.put("99999999999999999999", 400);
    bad.put("9999999999999999999", 400);
    bad.put("9223372036854775807", 400);
    bad.put("8", 400);
    bad.put("1/extra", 404);
    assertErrors(V1 + "/slots/", bad);
    assertThat(api.get(V1 + "/slots/8").json().get("message").asText())
        .isEqualTo(
            "the leader of slot 8 is not fixed yet: it is in epoch 2, whose seed is fixed when"
                + " epoch 0 ends; the node is in epoch 0 and knows the leaders up to slot 7");
  }

  @Test
  void schedule_currentAndNextEpochs_areServedOthersAreClearErrors() {
    node.forge(1);
    LeaderSchedule schedule = LeaderSchedule.of(genesis);

    ApiClient.Answer current = api.get(V1 + "/schedule/current");
    ApiClient.Answer next = api.get(V1 + "/schedule/next");

    assertThat(current.json()).isEqualTo(api.get(V1 + "/schedule/0").json());
    assertThat(current.json().get("epoch").asText()).isEqualTo("0");
    assertThat(current.json().get("first_slot").asText()).isEqualTo("1");
    assertThat(current.json().get("slots").asText()).isEqualTo("3");
    assertThat(next.json().get("epoch").asText()).isEqualTo("1");
    assertThat(next.json().get("first_slot").asText()).isEqualTo("4");
    assertThat(next.json().get("epoch_seed").asText()).isEqualTo(node.shadow.seedOf(1).hex());
    for (JsonNode entry : next.json().get("data")) {
      long slot = Long.parseLong(entry.get("slot").asText());
      assertThat(entry.get("leader").asText())
          .isEqualTo(schedule.leader(slot, node.shadow.seedOf(1)).hex())
          .isEqualTo(node.shadow.leaderOf(slot).hex());
    }
    ApiClient.Answer page = api.get(V1 + "/schedule/next?count=3");
    assertThat(page.json().get("data")).hasSize(3);
    assertThat(page.json().get("next_from").asText()).isEqualTo("3");

    assertThat(api.get(V1 + "/schedule/2").status()).isEqualTo(400);
    assertThat(api.get(V1 + "/schedule/2").json().get("message").asText())
        .startsWith("the schedule of epoch 2 is not fixed yet");
    assertThat(api.get(V1 + "/schedule/soon").status()).isEqualTo(400);
    assertThat(api.get(V1 + "/schedule/-1").status()).isEqualTo(400);
    assertThat(api.get(V1 + "/schedule/99999999999999999999").status()).isEqualTo(400);
    node.enter(9);
    assertThat(api.get(V1 + "/schedule/current").json().get("epoch").asText()).isEqualTo("2");
    ApiClient.Answer over = api.get(V1 + "/schedule/1");
    assertThat(over.status()).isEqualTo(400);
    assertThat(over.json().get("message").asText()).startsWith("epoch 1 is over");
  }

  @Test
  void evidence_aSecondBlockForASlot_isListedWithBothBlocks() {
    SignedBlock first = node.forge(1);
    SignedBlock second = node.equivocate(first);

    JsonNode evidence = api.data(V1 + "/evidence");

    assertThat(evidence).hasSize(1);
    assertThat(evidence.get(0).get("validator").asText())
        .isEqualTo(first.block().validator().hex());
    assertThat(evidence.get(0).get("slot").asText()).isEqualTo("1");
    assertThat(evidence.get(0).get("stored").asBoolean()).isTrue();
    assertThat(evidence.get(0).get("first").get("hash").asText()).isEqualTo(first.hash().hex());
    assertThat(evidence.get(0).get("second").get("signature").asText())
        .isEqualTo(second.signature().hex());
    assertThat(node.evidence).hasSize(1);
  }

  @Test
  void health_brokenStore_is503ForgingStopped() {
    try (HttpNode broken = new HttpNode(TestNetwork.withStakes(10, 20), new BrokenStore())) {
      broken.enter(1);
      SignedBlock block = broken.network.forge(broken.shadow, 1, 70);
      LineClient leader = broken.loggedIn(block.block().validator());
      leader.send(new NodeMessage.Propose(block));
      assertThat(leader.next(NodeMessage.Refused.class).code()).isEqualTo("forging-stopped");

      ApiClient.Answer health = broken.api.get(V1 + "/node/health");

      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("data").get("status").asText()).isEqualTo("forging-stopped");
      assertThat(health.json().get("data").get("detail").asText()).isEqualTo("disk gone");
      assertThat(broken.api.get("/metrics").body()).contains("posj_forging_stopped 1.0");
    }
  }

  @Test
  void metrics_afterSlotsAndBlocks_countThemWithoutPerValidatorLabels() {
    node.forge(1);
    node.enter(2);
    node.enter(3);

    String metrics = api.get("/metrics").body();

    assertThat(metrics)
        .contains("posj_blocks_accepted_total 1.0")
        .contains("posj_slots_started_total 3.0")
        .contains("posj_slots_missed_total 1.0")
        .contains("posj_chain_height 1.0")
        .contains("posj_head_slot 1.0")
        .contains("posj_slot 3.0")
        .contains("posj_blocks_refused_total{code=\"late\"} 0.0")
        .contains("posj_logins_total{result=\"ok\"} 1.0")
        .contains("posj_store_append_seconds_count 1")
        .contains("jvm_threads_current ");
    for (ValidatorId validator : List.of(node.blocks.get(0).block().validator())) {
      assertThat(metrics).doesNotContain(validator.hex());
    }
  }

  @Test
  void events_slotsAndHeads_resumeWithLastEventIdAfterADisconnect() throws Exception {
    int port = node.server.httpPort().orElseThrow();
    String request = "GET /posj/v1/events?topics=head,slot HTTP/1.1\r\nHost: t\r\n";
    String lastId;
    try (RawPeer stream = RawPeer.connect(port)) {
      stream.send(request + "\r\n");
      assertThat(stream.readUntil("retry: 3000\n\n"))
          .startsWith("HTTP/1.1 200 OK")
          .contains("text/event-stream");
      SignedBlock first = node.forge(1);
      String events = stream.readUntil("\"outcome\":\"block\"");
      assertThat(events)
          .contains("event: slot\ndata: {\"slot\":\"1\",\"epoch\":\"0\"")
          .contains("\"outcome\":\"open\"")
          .contains("event: head\ndata: {\"index\":\"1\"")
          .contains("\"signature\":\"" + first.signature().hex() + "\"");
      lastId = lastId(events);
    }
    // Missed while disconnected: slot 2 began and ended empty, slot 3 began.
    node.enter(2);
    node.enter(3);

    try (RawPeer stream = RawPeer.connect(port)) {
      stream.send(request + "Last-Event-ID: " + lastId + "\r\n\r\n");
      String replayed = stream.readUntil("{\"slot\":\"3\"");
      assertThat(replayed)
          .doesNotContain("event: head")
          .contains("{\"slot\":\"2\"")
          .contains("\"outcome\":\"empty\"");
      node.forge(3);
      assertThat(stream.readUntil("event: head\n")).endsWith("event: head\n");
    }
  }

  @Test
  void events_evidenceTopic_streamsEquivocation() throws Exception {
    SignedBlock first = node.forge(1);
    try (RawPeer stream = RawPeer.connect(node.server.httpPort().orElseThrow())) {
      stream.send("GET /posj/v1/events?topics=evidence HTTP/1.1\r\nHost: t\r\n\r\n");
      stream.readUntil("retry: 3000\n\n");
      node.equivocate(first);

      assertThat(stream.readUntil("\"stored\":true"))
          .contains("event: evidence\ndata: {\"time\":")
          .contains("\"validator\":\"" + first.block().validator().hex() + "\"");
    }
  }

  /** The id of the last event in {@code events}. */
  private static String lastId(String events) {
    Matcher ids = Pattern.compile("id: (\\d+)\n").matcher(events);
    String last = null;
    while (ids.find()) {
      last = ids.group(1);
    }
    assertThat(last).as(events).isNotNull();
    return last;
  }

  @Test
  void requests_unknownPathOrTopic_areJsonErrorsNamingWhatExists() {
    assertThat(api.get(V1 + "/rounds").status()).isEqualTo(404);
    assertThat(api.get(V1 + "/schedule").status()).isEqualTo(404);
    ApiClient.Answer topic = api.get(V1 + "/events?topics=head,round");
    assertThat(topic.status()).isEqualTo(400);
    assertThat(topic.json().get("message").asText())
        .isEqualTo("unknown topic \"round\"; the topics are head, slot and evidence");
    assertThat(api.get("/").contentType()).isEqualTo("text/html; charset=utf-8");
  }

  @Test
  void httpOff_byDefault_noPort() {
    InMemorySignedChainStore store = new InMemorySignedChainStore();
    try (NetworkServer plain =
        NetworkServer.start(
            NetworkServerConfig.defaults(genesis).withAddress("127.0.0.1", 0),
            store.open(genesis),
            store,
            EvidenceLog.NONE,
            new NetworkServerListener() {})) {
      assertThat(plain.httpPort()).isEmpty();
    }
  }

  /** Each path after {@code prefix} is answered with its status, as a JSON error of that code. */
  private void assertErrors(String prefix, Map<String, Integer> expected) {
    for (Map.Entry<String, Integer> id : expected.entrySet()) {
      ApiClient.Answer answer = api.get(prefix + id.getKey());
      assertThat(answer.status()).as(id.getKey()).isEqualTo(id.getValue());
      assertThat(answer.contentType()).as(id.getKey()).isEqualTo("application/json");
      assertThat(answer.json().get("code").asInt()).as(id.getKey()).isEqualTo(id.getValue());
      assertThat(answer.json().get("message").asText()).as(id.getKey()).isNotBlank();
    }
  }

  /** Every number in {@code node}, at any depth, is a JSON string (the beacon API's rule). */
  static void assertEveryNumberIsAString(JsonNode node) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        assertThat(field.getValue().isIntegralNumber()).as(field.getKey()).isFalse();
        assertEveryNumberIsAString(field.getValue());
      }
    } else if (node.isArray()) {
      node.forEach(NetworkHttpApiIT::assertEveryNumberIsAString);
    }
  }

  /** A store that holds block 0 and refuses every block, saying it is broken. */
  private static final class BrokenStore implements SignedChainStore {
    @Override
    public Opened open(Genesis genesis) {
      return new InMemorySignedChainStore().open(genesis);
    }

    @Override
    public void append(SignedBlock block) {
      throw new ChainStoreException("disk gone", null, ChainStoreException.State.BROKEN);
    }

    @Override
    public void close() {}
  }
}
