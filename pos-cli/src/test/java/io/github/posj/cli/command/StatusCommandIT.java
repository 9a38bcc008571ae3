package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import io.github.posj.net.client.ClientInbox;
import io.github.posj.net.client.ValidatorClient;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.node.EvidenceLog;
import io.github.posj.net.node.NetworkServer;
import io.github.posj.net.node.NetworkServerConfig;
import io.github.posj.net.node.NetworkServerListener;
import io.github.posj.net.protocol.ServerMessage;
import io.github.posj.net.server.ServerConfig;
import io.github.posj.net.server.ServerListener;
import io.github.posj.net.server.ValidatorServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pos status} against a running node's HTTP API on 127.0.0.1. */
final class StatusCommandIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void status_runningNode_printsChainValidatorsAndRounds() throws Exception {
    ServerConfig config =
        ServerConfig.builder()
            .port(0)
            .roundDuration(Duration.ofHours(1))
            .randomness(() -> RandomnessSource.seeded(7))
            .http(HttpSettings.onPort(0))
            .build();
    try (ValidatorServer server = ValidatorServer.start(config, ServerListener.NONE)) {
      ClientInbox inbox = new ClientInbox();
      try (ValidatorClient client =
          ValidatorClient.connect("127.0.0.1", server.port(), WAIT, inbox)) {
        String address = client.register(250).hex();
        client.propose(72);
        inbox.await(ServerMessage.ProposalAccepted.class, WAIT);
        server.runRoundNow().get(10, TimeUnit.SECONDS);
        server.runRoundNow().get(10, TimeUnit.SECONDS);
        CliRun run = new CliRun(dir);

        int exit = run.run("status", "--node", "http://127.0.0.1:" + server.httpPort().getAsInt());

        assertThat(exit).as(run.err()).isZero();
        assertThat(run.out())
            .contains(": posj/", ", ready\n")
            .contains("chain: height 1, head " + server.chain().head().hash().hex())
            .contains("rounds: 2 ended, one every 3600 s")
            .contains("connections: 1 validator connection (0 text, 1 JSON)")
            .contains("validators: 1, total stake 250")
            .containsPattern(address + " +250 +100.0% +1 +1.00")
            .contains("  round 2: no block (no-proposals), 0 proposers, 0 proposals")
            .contains("  round 1: block 1 by " + address + ", 1 proposer, 1 proposal");
      }
    }
  }

  @Test
  void status_networkNode_printsSlotsLeadersAndBlocksMade() throws Exception {
    TestNetwork network = TestNetwork.withStakes(10, 30);
    Genesis genesis = network.genesis();
    SignedChainState shadow = network.start();
    List<SignedBlock> blocks = network.forgeSlots(shadow, 1, 4);
    InMemorySignedChainStore store = new InMemorySignedChainStore();
    store.open(genesis);
    blocks.forEach(store::append);
    NetworkServerConfig config =
        NetworkServerConfig.defaults(genesis)
            .withAddress("127.0.0.1", 0)
            .withClock(InstantSource.fixed(genesis.slotStart(6).plusMillis(10)), false)
            .withHttp(HttpSettings.onPort(0));
    try (NetworkServer server =
        NetworkServer.start(
            config, store.open(genesis), store, EvidenceLog.NONE, new NetworkServerListener() {})) {
      server.tick().get(10, TimeUnit.SECONDS);
      CliRun run = new CliRun(dir);

      int exit = run.run("status", "--node", "http://127.0.0.1:" + server.httpPort().getAsInt());

      SignedBlock head = blocks.get(3);
      assertThat(exit).as(run.err()).isZero();
      assertThat(run.out())
          .contains(": posj/", ", ready, network mode\n")
          .contains("chain: posj-test, genesis " + genesis.hash().hex() + "\n")
          .contains("head: height 4, slot 4, hash " + head.hash().hex() + "\n")
          .contains(
              "slot: 6 (epoch 0), leader "
                  + shadow.leaderOf(6).hex()
                  + "; slots of 30 s, 8 an epoch\n")
          .contains("connections: 0 connections (0 validators logged in)")
          .contains("validators: 2, total stake 40\n")
          .containsPattern(
              genesis.validators().stream()
                      .filter(v -> v.stake() == 30)
                      .findFirst()
                      .orElseThrow()
                      .address()
                      .hex()
                  + " +30 +75.0% +\\d+ +3.00 no")
          .contains("last slots:\n  slot 6: open, leader " + shadow.leaderOf(6).hex() + "\n");
    }
  }

  @Test
  void status_nobodyListening_failsSayingHow() {
    CliRun run = new CliRun(dir);

    int exit = run.run("status", "--node", "http://127.0.0.1:1");

    assertThat(exit).isEqualTo(1);
    assertThat(run.err())
        .startsWith("pos status: cannot reach the node at http://127.0.0.1:1: nothing answers")
        .contains("--http-port");
  }

  @Test
  void status_notAnHttpAddress_isAUsageError() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("status", "--node", "localhost:8080")).isEqualTo(2);
    assertThat(run.err()).contains("is not an http://HOST:PORT address");
  }
}
