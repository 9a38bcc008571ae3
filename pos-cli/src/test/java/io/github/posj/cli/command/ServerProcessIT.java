package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.PosProcess;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.client.ValidatorClient;
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
      int port = Integer.parseInt(server.awaitOut("listening on port (\\d+)", WAIT).group(1));
      ValidatorId address;
      try (ValidatorClient client = ValidatorClient.connect("127.0.0.1", port, WAIT)) {
        address = client.register(10);
        client.propose(70);
        server.awaitOut("round \\d+: winner " + address.hex(), WAIT);
      }

      List<String> lines = server.out().lines().toList();
      assertThat(lines.subList(0, 4))
          .satisfiesExactly(
              line -> assertThat(line).isEqualTo("storage: in memory (lost on exit)"),
              line -> assertThat(line).isEqualTo("listening on port " + port),
              line -> assertThat(line).startsWith("genesis block: {\"Index\":0,"),
              line -> assertThat(line).isEqualTo("stop with Ctrl-C"));
      assertThat(server.out()).containsOnlyOnce("validator " + address + " joined with stake 10");
      // The same events are logged at info level, which is off unless --verbose.
      assertThat(server.err()).doesNotContain("INFO").doesNotContain(address.hex());
    }
  }
}
