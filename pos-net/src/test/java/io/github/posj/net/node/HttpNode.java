package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.crypto.Login;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.server.ApiClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A network node with the HTTP API on 127.0.0.1, a clock the test moves, and the test network's
 * validators, which log in and send their slots' blocks: the network-mode API's test bed.
 *
 * <p>Not thread-safe; confine to the test thread.
 */
final class HttpNode implements AutoCloseable {
  final TestNetwork network;
  final Genesis genesis;
  final ManualClock clock;

  /** The chain the node should hold: every block {@link #forge} made. */
  final SignedChainState shadow;

  final List<SignedBlock> blocks = new ArrayList<>();
  final List<SignedBlock[]> evidence = new CopyOnWriteArrayList<>();
  final NetworkServer server;
  final ApiClient api;
  private final Map<ValidatorId, LineClient> validators = new HashMap<>();

  /** A node of {@code network} in slot 1, on an in-memory store. */
  HttpNode(TestNetwork network) {
    this(network, new InMemorySignedChainStore());
  }

  /** A node of {@code network} in slot 1, on {@code store}. */
  HttpNode(TestNetwork network, SignedChainStore store) {
    this.network = network;
    this.genesis = network.genesis();
    this.shadow = network.start();
    this.clock = new ManualClock(genesis.slotStart(1).plusMillis(100));
    NetworkServerConfig config =
        NetworkServerConfig.defaults(genesis)
            .withAddress("127.0.0.1", 0)
            .withClock(clock, false)
            .withHttp(HttpSettings.onPort(0));
    server =
        NetworkServer.start(
            config,
            store.open(genesis),
            store,
            (first, second) -> evidence.add(new SignedBlock[] {first, second}),
            new NetworkServerListener() {});
    api = new ApiClient(server.httpPort().orElseThrow());
  }

  /** Moves the clock 100 ms into {@code slot} and ticks: the slot begins. */
  void enter(long slot) {
    clock.set(genesis.slotStart(slot).plusMillis(100));
    server.tick().join();
  }

  /** Enters {@code slot}; its leader (logged in once) sends its block, which is accepted. */
  SignedBlock forge(long slot) {
    enter(slot);
    SignedBlock block = network.forge(shadow, slot, 60 + slot);
    LineClient leader = loggedIn(block.block().validator());
    leader.send(new NodeMessage.Propose(block));
    assertThat(leader.next(NodeMessage.Accepted.class).hash()).isEqualTo(block.hash());
    assertThat(shadow.append(block)).isEmpty();
    blocks.add(block);
    return block;
  }

  /**
   * The leader of {@code block} signs a second, different block for its slot and sends it: the node
   * refuses it as equivocation and keeps the pair as evidence.
   */
  SignedBlock equivocate(SignedBlock block) {
    SignedBlock second =
        SignedBlock.sign(
            network.keyOf(block.block().validator()),
            genesis.hash(),
            block.index(),
            block.slot(),
            block.block().prevHash(),
            block.reveal(),
            block.block().bpm() + 1,
            block.block().timestamp());
    LineClient leader = loggedIn(block.block().validator());
    leader.send(new NodeMessage.Propose(second));
    assertThat(leader.next(NodeMessage.Refused.class).code()).isEqualTo("equivocation");
    return second;
  }

  /** {@code validator}'s connection, logged in (the first call logs it in). */
  LineClient loggedIn(ValidatorId validator) {
    return validators.computeIfAbsent(
        validator,
        v -> {
          LineClient client = new LineClient(server.port());
          NodeMessage.Welcome welcome = client.next(NodeMessage.Welcome.class);
          SigningKey key = network.keyOf(v);
          client.send(
              new NodeMessage.Auth(
                  key.publicKey(), Login.sign(key, genesis.hash(), welcome.nonce())));
          client.next(NodeMessage.LoggedIn.class);
          return client;
        });
  }

  @Override
  public void close() {
    validators.values().forEach(LineClient::close);
    server.close();
  }
}
