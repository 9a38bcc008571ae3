package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.ChainJson;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.chain.ChainValidation;
import io.github.posj.core.node.Node;
import io.github.posj.core.node.NodeCommand;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.store.InMemoryChainStore;
import io.github.posj.net.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server is a shell over core's {@link Node}: the commands it applied, replayed into a fresh
 * node with the same genesis, rules and randomness, give the same chain byte for byte.
 */
final class CommandLogIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void recordedCommands_replayedIntoAFreshNode_giveTheServersChainByteForByte() throws Exception {
    List<NodeCommand> log = new CopyOnWriteArrayList<>();
    ServerConfig config = TestServers.config().build();
    List<TestClient> clients = new ArrayList<>();
    String served;
    Chain genesis;
    try (ValidatorServer server = ValidatorServer.start(config, ServerListener.NONE, log::add)) {
      for (long stake : new long[] {10, 20, 30, 40}) {
        TestClient client = TestClient.connect(server.port(), WAIT);
        clients.add(client);
        client.register(stake);
      }
      for (int round = 0; round < 6; round++) {
        for (TestClient client : clients) {
          client.propose(60 + round);
          client.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
        }
        if (round == 2) {
          // One validator leaves, another is slashed: both change the stakes of later draws.
          clients.remove(0).close();
          TestClient cheat = clients.remove(0);
          cheat.sendLine("{\"type\":\"propose\",\"bpm\":7.5}");
          cheat.awaitEvent(ServerMessage.Slashed.class, WAIT);
          cheat.close();
        }
        server.runRoundNow().get(10, TimeUnit.SECONDS);
      }
      served = ChainJson.write(server.chain().blocks());
      genesis =
          ((ChainValidation.Valid)
                  Chain.validate(List.of(server.chain().genesisBlock()), config.hashScheme()))
              .chain();
    } finally {
      clients.forEach(TestClient::close);
    }

    Node replayed =
        new Node(
            genesis,
            new InMemoryChainStore(genesis),
            config.nodeRules(),
            RandomnessSource.seeded(42));
    for (NodeCommand command : log) {
      replayed.apply(command);
    }

    assertThat(log).hasAtLeastOneElementOfType(NodeCommand.ProposeMalformed.class);
    assertThat(log).hasAtLeastOneElementOfType(NodeCommand.Leave.class);
    assertThat(replayed.chain().height()).isEqualTo(6);
    assertThat(ChainJson.write(replayed.chain().blocks())).isEqualTo(served);
  }
}
