package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.net.client.ClientInbox;
import io.github.posj.net.client.ValidatorClient;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.protocol.ServerMessage;
import io.github.posj.net.server.ServerConfig;
import io.github.posj.net.server.ServerListener;
import io.github.posj.net.server.ValidatorServer;
import java.nio.file.Path;
import java.time.Duration;
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
