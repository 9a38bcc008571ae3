package io.github.posj.core;

import static io.github.posj.core.testing.Vectors.cases;
import static io.github.posj.core.testing.Vectors.int64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.crypto.Ed25519;
import io.github.posj.core.crypto.Login;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.crypto.Signature;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisJson;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.schedule.LeaderSchedule;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestNetwork;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays the network-mode known-answer vectors ({@code vectors/network-*.json}), made by the
 * independent Python generator from {@code docs/network.md} alone.
 */
final class NetworkVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void ed25519() {
    for (JsonNode c : cases("network-ed25519.json")) {
      SigningKey key = SigningKey.fromSeed(HEX.parseHex(c.get("seed").asText()));
      byte[] message = HEX.parseHex(c.get("message").asText());
      assertThat(key.publicKey().hex())
          .as(c.get("name").asText())
          .isEqualTo(c.get("pubkey").asText());
      assertThat(key.publicKey().address().hex()).isEqualTo(c.get("address").asText());
      assertThat(key.sign(message).hex()).isEqualTo(c.get("signature").asText());
      assertThat(
              Ed25519.verify(
                  key.publicKey(), message, Signature.fromHex(c.get("signature").asText())))
          .isTrue();
    }
  }

  @Test
  void genesis() {
    for (JsonNode c : cases("network-genesis.json")) {
      String name = c.get("name").asText();
      Genesis fromTree = GenesisJson.parse(c.get("genesis"));
      Genesis fromText = GenesisJson.parse(c.get("genesisText").asText());
      assertThat(HEX.formatHex(fromTree.encoding())).as(name).isEqualTo(c.get("encoding").asText());
      assertThat(fromTree.hash().hex()).as(name).isEqualTo(c.get("genesisHash").asText());
      assertThat(fromText.hash()).isEqualTo(fromTree.hash());
      assertThat(fromTree.validators())
          .extracting(v -> v.address().hex())
          .containsExactlyElementsOf(
              () -> c.get("addressOrder").valueStream().map(JsonNode::asText).iterator());
      JsonNode b = c.get("block0");
      assertThat(fromTree.block0())
          .isEqualTo(
              new Block(
                  int64(b.get("Index")),
                  b.get("Timestamp").asText(),
                  int64(b.get("BPM")),
                  Hash.fromHex(b.get("Hash").asText()),
                  Hash.fromHex(b.get("PrevHash").asText()),
                  ValidatorId.fromHex(b.get("Validator").asText())));
      assertThat(GenesisJson.parse(GenesisJson.write(fromTree)).hash()).isEqualTo(fromTree.hash());
      assertThat(GenesisJson.parse(GenesisJson.writePretty(fromTree)).hash())
          .isEqualTo(fromTree.hash());
    }
  }

  @Test
  void signedBlocks() {
    for (JsonNode c : cases("network-block.json")) {
      String name = c.get("name").asText();
      SigningKey key = SigningKey.fromSeed(HEX.parseHex(c.get("seed").asText()));
      Hash genesisHash = Hash.fromHex(c.get("genesisHash").asText());
      SignedBlock block =
          SignedBlock.sign(
              key,
              genesisHash,
              int64(c.get("Index")),
              int64(c.get("Slot")),
              Hash.fromHex(c.get("PrevHash").asText()),
              Hash.fromHex(c.get("Reveal").asText()),
              int64(c.get("BPM")),
              c.get("Timestamp").asText());
      assertThat(key.publicKey().hex()).isEqualTo(c.get("PubKey").asText());
      assertThat(HEX.formatHex(block.preimage(genesisHash)))
          .as(name)
          .isEqualTo(c.get("preimage").asText());
      assertThat(block.hash().hex()).as(name).isEqualTo(c.get("Hash").asText());
      assertThat(block.block().validator().hex()).isEqualTo(c.get("Validator").asText());
      assertThat(block.signature().hex()).as(name).isEqualTo(c.get("Signature").asText());
      assertThat(block.signatureValid(genesisHash)).isTrue();
      assertThat(block.signatureValid(Hash.fromHex("00".repeat(32)))).isFalse();
    }
  }

  @Test
  void onions() {
    for (JsonNode c : cases("network-onion.json")) {
      String name = c.get("name").asText();
      HashOnion onion =
          HashOnion.of(Hash.fromHex(c.get("secret").asText()), (int) int64(c.get("N")));
      assertThat(onion.commitment().hex()).as(name).isEqualTo(c.get("commitment").asText());
      if (c.has("chain")) {
        for (int i = 0; i < c.get("chain").size(); i++) {
          assertThat(onion.valueAt(i).hex()).isEqualTo(c.get("chain").get(i).asText());
        }
      }
      Hash last = onion.commitment();
      for (JsonNode reveal : c.get("reveals")) {
        Hash next = onion.revealAfter(last).orElseThrow();
        assertThat(next.hex()).as(name).isEqualTo(reveal.asText());
        assertThat(HashOnion.chains(next, last)).isTrue();
        last = next;
      }
    }
  }

  @Test
  void logins() {
    for (JsonNode c : cases("network-login.json")) {
      SigningKey key = SigningKey.fromSeed(HEX.parseHex(c.get("seed").asText()));
      Hash genesisHash = Hash.fromHex(c.get("genesisHash").asText());
      Hash nonce = Hash.fromHex(c.get("nonce").asText());
      assertThat(key.publicKey().hex()).isEqualTo(c.get("pubkey").asText());
      assertThat(HEX.formatHex(Login.preimage(genesisHash, nonce, key.publicKey())))
          .isEqualTo(c.get("preimage").asText());
      Signature signature = Login.sign(key, genesisHash, nonce);
      assertThat(signature.hex()).isEqualTo(c.get("signature").asText());
      assertThat(Login.verify(key.publicKey(), genesisHash, nonce, signature)).isTrue();
      assertThat(Login.verify(key.publicKey(), genesisHash, genesisHash, signature)).isFalse();
    }
  }

  @Test
  void timestamps() {
    JsonNode c = cases("network-timestamp.json").get(0);
    for (JsonNode valid : c.get("valid")) {
      Instant instant =
          Instant.ofEpochSecond(int64(valid.get("epochSecond")), int64(valid.get("nanos")));
      String text = valid.get("text").asText();
      assertThat(GoTimestamp.format(instant)).isEqualTo(text);
      assertThat(GoTimestamp.parseCanonical(text)).contains(instant);
    }
    for (JsonNode invalid : c.get("invalid")) {
      assertThat(GoTimestamp.parseCanonical(invalid.get("text").asText()))
          .as(invalid.get("reason").asText())
          .isEmpty();
    }
  }

  /**
   * Rebuilds each vector chain with real signed blocks (test key i signs, its onion reveals) and
   * checks every seed, leader seed and leader, and every block against every rule.
   */
  @Test
  void schedules() {
    for (JsonNode c : cases("network-schedule.json")) {
      String name = c.get("name").asText();
      Genesis genesis = GenesisJson.parse(c.get("genesis"));
      assertThat(genesis.hash().hex()).as(name).isEqualTo(c.get("genesisHash").asText());
      Map<ValidatorId, SigningKey> keys = new HashMap<>();
      for (int i = 0; i < 16; i++) {
        keys.put(TestNetwork.key(i).publicKey().address(), TestNetwork.key(i));
      }
      SignedChainState state = SignedChainState.start(genesis);
      LeaderSchedule schedule = state.schedule();
      assertThat(schedule.initialMix().hex()).as(name).isEqualTo(c.get("mix0").asText());
      Map<Long, JsonNode> blocksBySlot = new HashMap<>();
      c.get("blocks").forEach(b -> blocksBySlot.put(int64(b.get("Slot")), b));
      Map<Long, String> seeds = new HashMap<>();
      c.get("seeds").forEach(s -> seeds.put(int64(s.get("epoch")), s.get("seed").asText()));
      Map<String, List<Long>> tickets = new HashMap<>();
      c.get("validators")
          .forEach(
              v ->
                  tickets.put(
                      v.get("address").asText(),
                      List.of(int64(v.get("tickets").get(0)), int64(v.get("tickets").get(1)))));
      for (JsonNode leader : c.get("leaders")) {
        long slot = int64(leader.get("slot"));
        long epoch = genesis.epochOf(slot);
        LeaderSchedule.Draw draw = schedule.draw(slot, state.seedOf(epoch));
        assertThat(draw.ticket())
            .as(name + " ticket(" + slot + ")")
            .isEqualTo(int64(leader.get("ticket")));
        assertThat((long) draw.valuesDrawn())
            .as(name + " draws(" + slot + ")")
            .isEqualTo(int64(leader.get("draws")));
        assertThat(draw.leader().hex()).isEqualTo(leader.get("leader").asText());
        assertThat(draw.leaderSeed().hex()).isEqualTo(leader.get("leaderSeed").asText());
        assertThat(draw.totalStake()).isEqualTo(int64(c.get("totalStake")));
        assertThat(List.of(draw.ticketsFrom(), draw.ticketsTo()))
            .as(name + " the leader's tickets")
            .isEqualTo(tickets.get(draw.leader().hex()));
        assertThat(state.seedOf(epoch).hex())
            .as(name + " seed(" + epoch + ")")
            .isEqualTo(seeds.get(epoch));
        assertThat(LeaderSchedule.leaderSeed(state.seedOf(epoch), slot).hex())
            .as(name + " leaderSeed(" + slot + ")")
            .isEqualTo(leader.get("leaderSeed").asText());
        assertThat(state.leaderOf(slot).hex())
            .as(name + " leader(" + slot + ")")
            .isEqualTo(leader.get("leader").asText());
        JsonNode b = blocksBySlot.get(slot);
        if (b != null) {
          ValidatorId validator = ValidatorId.fromHex(b.get("Validator").asText());
          SignedBlock block =
              SignedBlock.sign(
                  keys.get(validator),
                  genesis.hash(),
                  state.head().index() + 1,
                  slot,
                  state.head().hash(),
                  Hash.fromHex(b.get("Reveal").asText()),
                  70,
                  GoTimestamp.format(genesis.slotStart(slot).plusMillis(250)));
          assertThat(state.append(block)).as(name + " block at slot " + slot).isEmpty();
          assertThat(state.mix().hex()).isEqualTo(b.get("mixAfter").asText());
        }
      }
    }
  }

  @Test
  void theGenesisKeysOfTheScheduleVectorsAreValid() {
    for (JsonNode c : cases("network-schedule.json")) {
      for (GenesisValidator v : GenesisJson.parse(c.get("genesis")).validators()) {
        assertThat(v.publicKey().isValid()).isTrue();
        assertThat(PublicKey.fromHex(v.publicKey().hex())).isEqualTo(v.publicKey());
      }
    }
    assertThat(ChainJson.KEYS).hasSize(6);
  }
}
