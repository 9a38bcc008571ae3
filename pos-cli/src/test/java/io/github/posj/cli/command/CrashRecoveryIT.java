package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.PosProcess;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.store.ChainStore;
import io.github.posj.net.client.ClientInbox;
import io.github.posj.net.client.ValidatorClient;
import io.github.posj.net.protocol.ServerMessage;
import io.github.posj.net.store.FileChainStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process is killed with SIGKILL while it forges a block every 200 ms; on restart
 * every block it announced is still there (issue #6).
 */
final class CrashRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static Path jar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("pos-cli-.*-all\\.jar"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("run after package: no pos-cli-*-all.jar"));
    }
  }

  @Test
  void sigkillWhileForging_restartHasEveryAnnouncedBlock() throws Exception {
    Path data = dir.resolve("data");
    Process server =
        new ProcessBuilder(
                Stream.concat(
                        Stream.of(
                            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-jar",
                            jar().toString(),
                            "--quiet"),
                        Stream.of(PosProcess.fastServer(data.toString())))
                    .toList())
            .redirectErrorStream(true)
            .start();
    List<Block> lastAnnounced = List.of();
    try {
      int port = awaitPort(server);
      // Version 1: it is sent the whole chain, whose announced blocks this test keeps.
      // Version 1: it is sent the whole chain, whose announced blocks this test keeps.
      ClientInbox inbox = new ClientInbox();
      try (ValidatorClient client = ValidatorClient.connect("127.0.0.1", port, WAIT, inbox, 1)) {
        client.register(10);
        client.propose(60);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (lastAnnounced.size() < 12 && System.nanoTime() < deadline) {
          ServerMessage message = inbox.await(ServerMessage.class, WAIT);
          if (message instanceof ServerMessage.RoundResult) {
            client.propose(60 + lastAnnounced.size());
          } else if (message instanceof ServerMessage.ChainUpdate update) {
            lastAnnounced = update.blocks();
          }
        }
        // Keep proposing so the kill lands while rounds forge; then SIGKILL.
        client.propose(99);
        server.destroyForcibly();
        assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      server.destroyForcibly();
    }
    assertThat(lastAnnounced).hasSizeGreaterThanOrEqualTo(12);

    try (FileChainStore store = new FileChainStore(data)) {
      ChainStore.Opened reopened =
          store.open(HashScheme.posj(), HashScheme.posj().genesis("unused: the store exists"));
      Chain recovered = reopened.chain();
      assertThat(recovered.size()).isGreaterThanOrEqualTo(lastAnnounced.size());
      assertThat(recovered.blocks().subList(0, lastAnnounced.size())).isEqualTo(lastAnnounced);
    }
  }

  private static int awaitPort(Process server) throws Exception {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listening on port (\\d+)");
    CompletableFuture<Integer> port =
        CompletableFuture.supplyAsync(
            () -> {
              List<String> seen = new ArrayList<>();
              try {
                String line;
                while ((line = reader.readLine()) != null) {
                  seen.add(line);
                  Matcher m = listening.matcher(line);
                  if (m.find()) {
                    drain(reader);
                    return Integer.parseInt(m.group(1));
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException("the server exited: " + seen);
            });
    return port.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Keeps reading the child's output so it never blocks on a full pipe. */
  private static void drain(BufferedReader reader) {
    Thread drainer =
        new Thread(
            () -> {
              try {
                while (reader.readLine() != null) {
                  // discard
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            "server-output");
    drainer.setDaemon(true);
    drainer.start();
  }
}
