package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.PosProcess;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.client.ClientInbox;
import io.github.posj.net.client.ValidatorClient;
import io.github.posj.net.protocol.ServerMessage;
import io.github.posj.net.store.FileChainStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pos server} as a real process: what it prints where, and how it stops. */
final class ServerProcessIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void server_byDefault_printsEveryEventOnceAndTheStartInOrder() throws Exception {
    try (PosProcess server =
        PosProcess.start(
            dir, Map.of(), "server", "--port", "0", "--round-seconds", "0.3", "--in-memory")) {
      int port = port(server);
      ValidatorId address;
      try (ValidatorClient client = ValidatorClient.connect("127.0.0.1", port, WAIT, event -> {})) {
        address = client.register(10);
        client.propose(70);
        server.awaitOut("round \\d+: winner " + address.hex(), WAIT);
      }
      server.awaitOut(address.hex() + " left", WAIT);

      List<String> lines = server.out().lines().toList();
      assertThat(lines.subList(0, 4))
          .satisfiesExactly(
              line -> assertThat(line).isEqualTo("storage: in memory (lost on exit)"),
              line ->
                  assertThat(line)
                      .startsWith("chain: new, posj hash scheme; genesis block: {\"Index\":0,"),
              line ->
                  assertThat(line)
                      .isEqualTo(
                          "listening on port "
                              + port
                              + " (address 127.0.0.1), a round every 300 ms"),
              line -> assertThat(line).isEqualTo("stop with Ctrl-C"));
      assertThat(server.out())
          .containsOnlyOnce("validator " + address + " joined with stake 10 (1 validator)")
          .containsPattern("\\d\\d:\\d\\d:\\d\\d validator " + address + " left; its stake of 10")
          .containsOnlyOnce(address.hex() + " left");
      // The same events are logged at info level, which is off unless --verbose.
      assertThat(server.err()).doesNotContain("INFO").doesNotContain(address.hex());
    }
  }

  @Test
  void server_sigterm_closesConnectionsKeepsTheChainAndExitsZero() throws Exception {
    List<Block> announced = List.of();
    // Version 1: it is sent the whole chain, whose announced blocks this test keeps.
    ClientInbox inbox = new ClientInbox();
    try (PosProcess server = PosProcess.start(dir, Map.of(), PosProcess.fastServer("data"));
        ValidatorClient client =
            ValidatorClient.connect("127.0.0.1", port(server), WAIT, inbox, 1)) {
      client.register(10);
      client.propose(60);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (announced.size() < 3 && System.nanoTime() < deadline) {
        ServerMessage message = inbox.await(ServerMessage.class, WAIT);
        if (message instanceof ServerMessage.RoundResult) {
          client.propose(61);
        } else if (message instanceof ServerMessage.ChainUpdate update) {
          announced = update.blocks();
        }
      }
      assertThat(announced).hasSizeGreaterThanOrEqualTo(3);

      assertThat(server.terminate(WAIT)).as(server.err()).isZero();

      assertThat(server.out())
          .endsWith(
              String.join(System.lineSeparator(), "stopping: closing connections", "stopped", ""));
      assertThat(inbox.awaitClosed(WAIT)).contains("the server is shutting down");
    }
    try (FileChainStore store = new FileChainStore(dir.resolve("data"))) {
      Chain stored = store.open(HashScheme.posj(), announced.get(0)).chain();
      assertThat(stored.blocks()).startsWith(announced.toArray(Block[]::new));
    }
  }

  @Test
  void validator_sigterm_printsTheSummaryAndExitsZero() throws Exception {
    try (PosProcess server =
            PosProcess.start(
                dir, Map.of(), "server", "--port", "0", "--round-seconds", "0.2", "--in-memory");
        PosProcess validator =
            PosProcess.start(dir, Map.of(), "validator", "--port", String.valueOf(port(server)))) {
      validator.awaitOut("round \\d+: you won!", WAIT);

      assertThat(validator.terminate(WAIT)).as(validator.err()).isZero();

      assertThat(validator.out())
          .contains("stopping (Ctrl-C)")
          .containsPattern("done: \\d+ rounds?");
    }
  }

  private static int port(PosProcess server) {
    return Integer.parseInt(server.awaitOut("listening on port (\\d+)", WAIT).group(1));
  }
}
