package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.Block;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.InMemoryChainStore;
import io.github.posj.net.protocol.ServerMessage;
import io.github.posj.net.store.FileChainStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server and its chain store: durable before announced, kept across restarts (issue #6). */
final class PersistenceIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dataDir;

  private ServerConfig.Builder onDisk() {
    return TestServers.config().chainStore(() -> new FileChainStore(dataDir));
  }

  @Test
  void restart_keepsEveryForgedBlock() throws Exception {
    Chain before;
    try (ValidatorServer server = TestServers.start(onDisk());
        TestClient client = TestClient.connect(server.port(), WAIT)) {
      client.register(10);
      for (int bpm = 70; bpm < 73; bpm++) {
        client.propose(bpm);
        client.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
        assertThat(server.runRoundNow().get(10, TimeUnit.SECONDS))
            .isInstanceOf(RoundOutcome.Forged.class);
      }
      before = server.chain();
    }

    try (ValidatorServer restarted = TestServers.start(onDisk())) {
      assertThat(restarted.chain().blocks()).isEqualTo(before.blocks());
      assertThat(restarted.chain().height()).isEqualTo(3);
    }
  }

  @Test
  void secondServerOnTheSameDataDirectory_failsToStart() {
    try (ValidatorServer first = TestServers.start(onDisk())) {
      assertThatThrownBy(() -> TestServers.start(onDisk()))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("in use by another posj server");
      assertThat(first.chain().size()).isEqualTo(1);
    }
  }

  @Test
  void tamperedStore_stopsTheStartNamingTheBlock() throws Exception {
    try (ValidatorServer server = TestServers.start(onDisk());
        TestClient client = TestClient.connect(server.port(), WAIT)) {
      client.registerAndPropose(10, 72, WAIT);
      server.runRoundNow().get(10, TimeUnit.SECONDS);
    }
    Path file = dataDir.resolve(FileChainStore.CHAIN_FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(2, lines.get(2).replace("\"BPM\":72", "\"BPM\":180"));
    Files.write(file, lines);

    assertThatThrownBy(() -> TestServers.start(onDisk()))
        .isInstanceOf(ChainStoreException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("Index 1");
  }

  @Test
  void blockThatCannotBeStored_isNeitherForgedNorAnnounced() throws Exception {
    List<String> failures = new ArrayList<>();
    List<Long> rounds = new ArrayList<>();
    ServerListener listener =
        new ServerListener() {
          @Override
          public void onEvent(Instant time, NodeEvent event) {
            if (event instanceof NodeEvent.BlockNotStored failed) {
              failures.add(failed.round() + ":" + failed.block().index() + ":" + failed.message());
            } else if (event instanceof NodeEvent.RoundEnded ended
                && ended.outcome() instanceof RoundOutcome.Forged) {
              rounds.add(ended.round());
            }
          }
        };
    ServerConfig config = TestServers.config().chainStore(FailingStore::new).build();
    try (ValidatorServer server = ValidatorServer.start(config, listener);
        TestClient client = TestClient.connect(server.port(), WAIT)) {
      client.registerAndPropose(10, 72, WAIT);

      assertThatThrownBy(() -> server.runRoundNow().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseInstanceOf(ChainStoreException.class)
          .hasRootCauseMessage("No space left on device");
      assertThat(server.chain().size()).as("not forged").isEqualTo(1);
      assertThat(failures).containsExactly("1:1:No space left on device");
      // Every connection is told the round had no winner, and why.
      assertThat(client.awaitEvent(ServerMessage.RoundResult.class, WAIT))
          .isEqualTo(
              new ServerMessage.RoundResult(
                  1, Optional.empty(), 0, Optional.of(RoundOutcome.SkipReason.STORE_FAILED)));

      // The next round works, and nothing it reports claims the block that was not stored.
      client.propose(73);
      client.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
      FailingStore.full = false;
      server.runRoundNow().get(10, TimeUnit.SECONDS);
      ServerMessage.RoundResult result = client.awaitEvent(ServerMessage.RoundResult.class, WAIT);
      assertThat(result.round()).isEqualTo(2);
      assertThat(result.height()).isEqualTo(1);
      assertThat(server.chain().head().bpm()).isEqualTo(73);
      List<Block> pushed = client.awaitEvent(ServerMessage.ChainUpdate.class, WAIT).blocks();
      assertThat(pushed).isEqualTo(server.chain().blocks());
      assertThat(pushed).extracting(Block::bpm).doesNotContain(72L);
      assertThat(rounds).as("rounds reported as forged or skipped").containsExactly(2L);
    } finally {
      FailingStore.full = true;
    }
  }

  @Test
  void storeThatNoLongerMatchesTheChain_stopsForgingAndSaysSo() throws Exception {
    ServerConfig config = TestServers.config().chainStore(DivergedStore::new).build();
    try (ValidatorServer server = ValidatorServer.start(config, ServerListener.NONE);
        TestClient client = TestClient.connect(server.port(), WAIT)) {
      client.registerAndPropose(10, 72, WAIT);

      assertThatThrownBy(() -> server.runRoundNow().get(10, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(ChainStoreException.class)
          .hasRootCauseMessage(
              "the chain store no longer matches this node's chain: block 1 does not follow the"
                  + " stored chain");

      assertThat(client.awaitEvent(ServerMessage.RoundResult.class, WAIT).reason())
          .contains(RoundOutcome.SkipReason.STORE_FAILED);
      assertThat(client.awaitEvent(ServerMessage.Error.class, WAIT).message())
          .startsWith("the server has stopped forging: the chain store no longer matches")
          .endsWith("no more rounds until the server is restarted");
      client.propose(73);
      assertThat(client.awaitEvent(ServerMessage.Error.class, WAIT).message())
          .startsWith("the server has stopped forging");
      assertThatThrownBy(() -> server.runRoundNow().get(10, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage(
              "the server has stopped forging: the chain store no longer matches this node's"
                  + " chain: block 1 does not follow the stored chain; no more rounds until the"
                  + " server is restarted");
      assertThat(server.chain().size()).isEqualTo(1);
      // It still serves the chain it holds (a store that reports itself BROKEN takes the same
      // path: NodeTest.endRound_storeBroken_stopsForgingOnceAndKeepsTheChain).
      server.broadcastChainNow().get(10, TimeUnit.SECONDS);
      assertThat(client.awaitEvent(ServerMessage.ChainUpdate.class, WAIT).blocks())
          .isEqualTo(server.chain().blocks());
    }
  }

  /** An in-memory store whose appends a subclass may fail. */
  abstract static class DelegatingStore implements ChainStore {
    final InMemoryChainStore delegate = new InMemoryChainStore();

    @Override
    public Opened open(io.github.posj.core.block.HashScheme scheme, Block genesis) {
      return delegate.open(scheme, genesis);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** An in-memory store whose device is full until a test says otherwise. */
  static final class FailingStore extends DelegatingStore {
    static volatile boolean full = true;

    @Override
    public void append(Block block) {
      if (full) {
        throw new ChainStoreException("No space left on device");
      }
      delegate.append(block);
    }
  }

  /** A store that holds a block this node does not know of, so it refuses the next one. */
  static final class DivergedStore extends DelegatingStore {
    @Override
    public void append(Block block) {
      throw new IllegalArgumentException(
          "block " + block.index() + " does not follow the stored chain");
    }
  }
}
