package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many validators on one server: bounded in count (1,000) and in time. */
final class ConcurrentValidatorsIT {
  private static final int VALIDATORS = 1_000;
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void thousandValidators_oneRound_allReceiveTheResult() throws Exception {
    List<TestClient> clients = new ArrayList<>();
    ExecutorService connectors = Executors.newFixedThreadPool(8);
    try (ValidatorServer server = TestServers.start(TestServers.config())) {
      List<Future<TestClient>> connected = new ArrayList<>();
      for (int i = 0; i < VALIDATORS; i++) {
        long stake = 1 + i;
        connected.add(
            connectors.submit(
                () -> {
                  TestClient client = TestClient.connect(server.port(), WAIT);
                  client.register(stake);
                  client.propose(60 + stake % 40);
                  client.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
                  return client;
                }));
      }
      for (Future<TestClient> future : connected) {
        clients.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      }
      assertThat(server.validatorCount()).isEqualTo(VALIDATORS);

      RoundOutcome outcome = server.runRoundNow().get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(outcome.tally().proposals()).isEqualTo(VALIDATORS);
      assertThat(outcome.tally().eligibleValidators()).isEqualTo(VALIDATORS);
      ValidatorId winner = ((RoundOutcome.Forged) outcome).winner();
      for (TestClient client : clients) {
        ServerMessage.RoundResult result = client.awaitEvent(ServerMessage.RoundResult.class, WAIT);
        assertThat(result.round()).isEqualTo(1);
        assertThat(result.winner()).contains(winner);
        assertThat(client.awaitEvent(ServerMessage.ChainUpdate.class, WAIT).blocks()).hasSize(2);
      }
    } finally {
      connectors.shutdownNow();
      for (TestClient client : clients) {
        client.close();
      }
    }
  }
}
