package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosProcess;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisJson;
import io.github.posj.core.hash.Hash;
import io.github.posj.net.keys.KeyFile;
import io.github.posj.net.store.FileSignedChainStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #12's "done when", with real processes: {@code pos devnet init --validators 4}, one {@code
 * pos node} and four {@code pos validator --key} make a chain in which every block is signed by its
 * slot's leader; {@code pos verify} accepts it and names the block and the rule of each kind of
 * tampering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class NetworkModeIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BLOCKS = 8;

  @TempDir static Path dir;
  private Path chain;
  private List<String> lines;
  private Genesis genesis;

  @BeforeAll
  void runADevnet() throws Exception {
    CliRun init = new CliRun(dir);
    assertThat(
            init.run(
                "devnet",
                "init",
                "--validators",
                "4",
                "--dir",
                "devnet",
                "--slot-seconds",
                "1",
                "--epoch-slots",
                "4"))
        .as(init.err())
        .isZero();
    genesis = GenesisJson.parse(Files.readString(dir.resolve("devnet/genesis.json")));
    List<PosProcess> validators = new ArrayList<>();
    try (PosProcess node =
        PosProcess.start(
            dir,
            Map.of(),
            "node",
            "--genesis",
            "devnet/genesis.json",
            "--data-dir",
            "devnet/node",
            "--port",
            "0")) {
      Matcher listening = node.awaitOut("listening on port (\\d+)", WAIT);
      String address = "127.0.0.1:" + listening.group(1);
      try {
        for (int i = 1; i <= 4; i++) {
          validators.add(
              PosProcess.start(
                  dir,
                  Map.of(),
                  "validator",
                  "--key",
                  "devnet/validator-" + i + ".key",
                  "--node",
                  address,
                  "--bpm",
                  Integer.toString(60 + i)));
        }
        node.awaitOut("block " + BLOCKS + " stored and announced", WAIT);
        // With 1 s slots, a validator's very first block (a cold JVM on a busy machine) may
        // reach the node after its slot: refused as late, as it must be. Nothing else may be.
        assertThat(node.out().lines().filter(line -> line.contains("refused")))
            .allSatisfy(line -> assertThat(line).contains("(late)"));
        assertThat(node.out()).doesNotContain("EVIDENCE");
      } finally {
        for (PosProcess validator : validators) {
          validator.close();
        }
      }
      assertThat(node.terminate(WAIT)).isZero();
    }
    chain = dir.resolve("devnet/node/chain.jsonl");
    lines = Files.readAllLines(chain);
  }

  private CliRun verify(List<String> content) throws Exception {
    Path file = Files.createTempFile(dir, "chain", ".jsonl");
    Files.write(file, content);
    CliRun run = new CliRun(dir);
    run.run("verify", file.toString());
    return run;
  }

  private SigningKey keyOf(SignedBlock block) throws Exception {
    for (int i = 1; i <= 4; i++) {
      KeyFile.Contents key = KeyFile.read(dir.resolve("devnet/validator-" + i + ".key"));
      if (key.key().publicKey().equals(block.publicKey())) {
        return key.key();
      }
    }
    throw new AssertionError("no key for " + block.publicKey());
  }

  private SigningKey someoneElse(SignedBlock block) throws Exception {
    for (int i = 1; i <= 4; i++) {
      KeyFile.Contents key = KeyFile.read(dir.resolve("devnet/validator-" + i + ".key"));
      if (!key.key().publicKey().equals(block.publicKey())) {
        return key.key();
      }
    }
    throw new AssertionError("a devnet has 4 validators");
  }

  /** The chain with line {@code n} (0-based) replaced by {@code block}. */
  private List<String> with(int n, SignedBlock block) {
    List<String> copy = new ArrayList<>(lines);
    copy.set(n, SignedBlockJson.write(block));
    return copy;
  }

  private SignedBlock resigned(
      SignedBlock b, SigningKey key, long slot, Hash reveal, String timestamp) {
    return SignedBlock.sign(
        key,
        genesis.hash(),
        b.index(),
        slot,
        b.block().prevHash(),
        reveal,
        b.block().bpm(),
        timestamp);
  }

  @Test
  void theChainOfTheDevnetVerifies() throws Exception {
    assertThat(lines.size()).isGreaterThanOrEqualTo(BLOCKS + 2);
    CliRun run = new CliRun(dir);
    assertThat(run.run("verify", chain.toString())).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("OK: ")
        .contains("network mode: chain posj-devnet")
        .contains("every block is signed by its slot's leader")
        .containsPattern("checked in [0-9.]+ s: [0-9,]+ blocks/s, signatures on \\d+ thread")
        .doesNotContain("interrupted");
  }

  @Test
  void aChainFileBesideAnInterruptedSwitchVerifiesWithANote() throws Exception {
    Path data = Files.createDirectories(dir.resolve("switching"));
    Files.write(data.resolve("chain.jsonl"), lines);
    Files.writeString(data.resolve(FileSignedChainStore.SWITCH_JOURNAL), "");
    CliRun run = new CliRun(dir);
    assertThat(run.run("verify", data.resolve("chain.jsonl").toString()))
        .as(run.out() + run.err())
        .isZero();
    assertThat(run.out())
        .contains("OK: ")
        .contains("a switch to a peer's chain was interrupted")
        .contains("the node completes the switch when it starts");
  }

  @Test
  void eachKindOfTamperingIsNamedWithItsBlockAndRule() throws Exception {
    int n = 4; // line 5: block 3
    SignedBlock b = SignedBlockJson.parse(lines.get(n));
    SigningKey key = keyOf(b);
    String ts = b.block().timestamp();

    ObjectNode bpm = (ObjectNode) JSON.readTree(lines.get(n));
    bpm.put("BPM", b.block().bpm() + 1);
    List<String> changedBpm = new ArrayList<>(lines);
    changedBpm.set(n, JSON.writeValueAsString(bpm));
    assertInvalid(verify(changedBpm), "line 5", "HASH_MATCHES");

    ObjectNode sig = (ObjectNode) JSON.readTree(lines.get(n));
    String s = sig.get("Signature").asText();
    sig.put("Signature", (s.charAt(0) == 'a' ? "b" : "a") + s.substring(1));
    List<String> forged = new ArrayList<>(lines);
    forged.set(n, JSON.writeValueAsString(sig));
    assertInvalid(verify(forged), "line 5", "SIGNATURE_VALID");

    SigningKey other = someoneElse(b);
    assertInvalid(
        verify(with(n, resigned(b, other, b.slot(), b.reveal(), ts))), "line 5", "LEADER_FOR_SLOT");
    assertInvalid(
        verify(with(n, resigned(b, key, b.slot(), Hash.fromHex("ab".repeat(32)), ts))),
        "line 5",
        "REVEAL_CHAINS");
    String outside = GoTimestamp.format(genesis.slotStart(b.slot() + 1));
    assertInvalid(
        verify(with(n, resigned(b, key, b.slot(), b.reveal(), outside))),
        "line 5",
        "TIMESTAMP_IN_SLOT");
    SignedBlock previous = SignedBlockJson.parse(lines.get(n - 1));
    assertInvalid(
        verify(
            with(
                n,
                resigned(
                    b,
                    key,
                    previous.slot(),
                    b.reveal(),
                    GoTimestamp.format(genesis.slotStart(previous.slot()))))),
        "line 5",
        "SLOT_ADVANCES");
    List<String> dropped = new ArrayList<>(lines);
    dropped.remove(n);
    assertInvalid(verify(dropped), "line 5", "INDEX_FOLLOWS");

    // Another genesis in the header: block 0 no longer matches it.
    ObjectNode header = (ObjectNode) JSON.readTree(lines.get(0));
    ((ObjectNode) header.get("genesis")).put("chainId", "another-chain");
    List<String> otherGenesis = new ArrayList<>(lines);
    otherGenesis.set(0, JSON.writeValueAsString(header));
    assertInvalid(verify(otherGenesis), "line 2", "GENESIS_MATCHES");
  }

  private static void assertInvalid(CliRun run, String line, String rule) {
    assertThat(run.out()).as(run.out() + run.err()).contains("INVALID (network mode)");
    assertThat(run.out()).contains(line + ":").contains("(" + rule + ")");
  }
}
