package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.crypto.Login;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class NetworkServerIT {
  private final TestNetwork network = TestNetwork.withStakes(10, 20, 30, 40);
  private final Genesis genesis = network.genesis();
  private final AtomicReference<Instant> now = new AtomicReference<>();
  private final List<SignedBlock[]> evidence = new ArrayList<>();
  private final SignedChainState shadow = network.start();
  private NetworkServer server;

  @BeforeEach
  void start() {
    now.set(genesis.slotStart(1).plusMillis(100));
    InMemorySignedChainStore store = new InMemorySignedChainStore();
    NetworkServerConfig config =
        NetworkServerConfig.defaults(genesis)
            .withAddress("127.0.0.1", 0)
            .withClock(InstantSource.fixed(Instant.EPOCH), false);
    config = config.withClock(() -> now.get(), false);
    server =
        NetworkServer.start(
            config,
            store.open(genesis),
            store,
            (first, second) -> evidence.add(new SignedBlock[] {first, second}),
            new NetworkServerListener() {});
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private LineClient loggedIn(ValidatorId validator) {
    LineClient client = new LineClient(server.port());
    NodeMessage.Welcome welcome = (NodeMessage.Welcome) client.next();
    SigningKey key = network.keyOf(validator);
    client.send(
        new NodeMessage.Auth(key.publicKey(), Login.sign(key, genesis.hash(), welcome.nonce())));
    NodeMessage.LoggedIn in = client.next(NodeMessage.LoggedIn.class);
    assertThat(in.validator()).isEqualTo(validator);
    return client;
  }

  @Test
  void welcomeTellsTheChainAndWhereItStands() {
    try (LineClient watcher = new LineClient(server.port())) {
      NodeMessage.Welcome welcome = (NodeMessage.Welcome) watcher.next();
      assertThat(welcome.genesisHash()).isEqualTo(genesis.hash());
      assertThat(welcome.height()).isZero();
      assertThat(welcome.head()).isEqualTo(genesis.hash());
      assertThat(welcome.slot()).isEqualTo(1);
      assertThat(welcome.slotSeconds()).isEqualTo(30);

      watcher.send("hello there");
      assertThat(watcher.next()).isInstanceOf(NodeMessage.Error.class);
      watcher.send("{\"type\":\"propose\",\"block\":{}}");
      assertThat(((NodeMessage.Error) watcher.next()).reason()).contains("missing key");
    }
  }

  @Test
  void theLeadersBlockIsAcceptedAndAnnouncedToEveryone() {
    SignedBlock block = network.forge(shadow, 1, 72);
    try (LineClient watcher = new LineClient(server.port());
        LineClient leader = loggedIn(block.block().validator())) {
      watcher.next(NodeMessage.Welcome.class);
      leader.send(new NodeMessage.Propose(block));

      assertThat(leader.next(NodeMessage.Accepted.class).hash()).isEqualTo(block.hash());
      assertThat(leader.next(NodeMessage.Announced.class).block()).isEqualTo(block);
      assertThat(watcher.next(NodeMessage.Announced.class).block()).isEqualTo(block);

      watcher.send(new NodeMessage.GetBlocks(1, 10));
      assertThat(watcher.next(NodeMessage.Blocks.class).blocks()).containsExactly(block);
    }
  }

  @Test
  void anotherValidatorsBlockIsRefusedNamingTheRule() {
    ValidatorId leader = shadow.leaderOf(1);
    ValidatorId other =
        genesis.validators().stream()
            .map(v -> v.address())
            .filter(a -> !a.equals(leader))
            .findFirst()
            .orElseThrow();
    SignedBlock block =
        SignedBlock.sign(
            network.keyOf(other),
            genesis.hash(),
            1,
            1,
            genesis.hash(),
            network
                .onionOf(other)
                .revealAfter(shadow.lastReveal(other).orElseThrow())
                .orElseThrow(),
            70,
            network.timestampIn(1, 50));
    try (LineClient client = loggedIn(other)) {
      client.send(new NodeMessage.Propose(block));
      NodeMessage.Refused refused = client.next(NodeMessage.Refused.class);
      assertThat(refused.code()).isEqualTo("breaks-rule");
      assertThat(refused.rule()).contains("LEADER_FOR_SLOT");
    }
  }

  @Test
  void loginsAreCheckedAndUsedOnce() {
    SigningKey key = TestNetwork.key(0);
    try (LineClient client = new LineClient(server.port())) {
      NodeMessage.Welcome welcome = (NodeMessage.Welcome) client.next();
      // Signed for another nonce: refused and closed.
      client.send(
          new NodeMessage.Auth(key.publicKey(), Login.sign(key, genesis.hash(), genesis.hash())));
      assertThat(client.next(NodeMessage.Closing.class).reason()).startsWith("login failed");
      assertThat(client.line()).isEmpty();
      assertThat(welcome.nonce()).isNotNull();
    }
    try (LineClient client = new LineClient(server.port())) {
      client.next(NodeMessage.Welcome.class);
      SigningKey stranger = TestNetwork.key(50);
      client.send(
          new NodeMessage.Auth(
              stranger.publicKey(), Login.sign(stranger, genesis.hash(), genesis.hash())));
      assertThat(client.next(NodeMessage.Closing.class).reason())
          .contains("not a validator of this chain");
    }
    try (LineClient client = new LineClient(server.port())) {
      client.next(NodeMessage.Welcome.class);
      client.send(new NodeMessage.Propose(network.forge(shadow, 1, 1)));
      assertThat(client.next(NodeMessage.Error.class).reason()).startsWith("log in first");
    }
  }

  @Test
  void lateBlocksAreRefusedAndASecondSignedBlockIsEvidence() {
    SignedBlock first = network.forge(shadow, 1, 72);
    try (LineClient leader = loggedIn(first.block().validator())) {
      leader.send(new NodeMessage.Propose(first));
      leader.next(NodeMessage.Accepted.class);
      SignedBlock second =
          SignedBlock.sign(
              network.keyOf(first.block().validator()),
              genesis.hash(),
              1,
              1,
              genesis.hash(),
              first.reveal(),
              99,
              first.block().timestamp());
      leader.send(new NodeMessage.Propose(second));
      assertThat(leader.next(NodeMessage.Refused.class).code()).isEqualTo("equivocation");
      server.headNow();
      assertThat(evidence).hasSize(1);

      shadow.append(first);
      SignedBlock late = network.forge(shadow, 2, 72);
      now.set(genesis.slotStart(3));
      try (LineClient lateLeader =
          late.block().validator().equals(first.block().validator())
              ? null
              : loggedIn(late.block().validator())) {
        LineClient sender = lateLeader == null ? leader : lateLeader;
        sender.send(new NodeMessage.Propose(late));
        assertThat(sender.next(NodeMessage.Refused.class).code()).isEqualTo("late");
      }
    }
  }

  @Test
  void aLoginCannotBeReplayedOnAnotherConnection() {
    SigningKey key = network.keyOf(shadow.leaderOf(1));
    String authLine;
    try (LineClient first = new LineClient(server.port())) {
      NodeMessage.Welcome welcome = (NodeMessage.Welcome) first.next();
      authLine =
          NodeWire.encode(
              new NodeMessage.Auth(
                  key.publicKey(), Login.sign(key, genesis.hash(), welcome.nonce())));
      first.send(authLine);
      first.next(NodeMessage.LoggedIn.class);
      first.send(authLine);
      assertThat(first.next(NodeMessage.Closing.class).reason())
          .contains("one login per connection");
    }
    try (LineClient replay = new LineClient(server.port())) {
      replay.next(NodeMessage.Welcome.class);
      replay.send(authLine);
      assertThat(replay.next(NodeMessage.Closing.class).reason()).startsWith("login failed");
    }
  }

  /** A client that asks and never reads is closed at its outbound limit; others go on. */
  @Test
  void aClientThatNeverReadsIsClosedAndStallsNoOne() throws Exception {
    SignedBlock block = network.forge(shadow, 1, 72);
    try (LineClient leader = loggedIn(block.block().validator())) {
      leader.send(new NodeMessage.Propose(block));
      leader.next(NodeMessage.Accepted.class);
    }
    try (java.net.Socket greedy = new java.net.Socket()) {
      greedy.setReceiveBufferSize(4096);
      greedy.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
      var out = greedy.getOutputStream();
      byte[] ask =
          (NodeWire.encode(new NodeMessage.GetBlocks(1, 32)) + "\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      // Asks until the node gives up on this connection. A count of asks is no bound: the kernel
      // may buffer megabytes of them before the node has read any, so the bound is time (60 s, a
      // safety net only: the node closes the socket after about 1 MiB plus the kernel buffers of
      // unread answers).
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      boolean closed = false;
      for (long asked = 1; !closed && System.nanoTime() < deadline; asked++) {
        try {
          out.write(ask);
        } catch (java.io.IOException e) {
          closed = true; // the node closed it
        }
        if (asked % 1000 == 0) {
          server.headNow();
          closed = closed || server.connectionCount() == 0;
        }
      }
      assertThat(closed).as("the node closed the connection that never read").isTrue();
    }
    try (LineClient watcher = new LineClient(server.port())) {
      assertThat(watcher.next(NodeMessage.Welcome.class).height()).isEqualTo(1);
    }
  }

  /** Sockets that never log in cannot hold every connection slot: a validator still gets in. */
  @Test
  void aFullNodeMakesRoomForAValidatorByClosingTheOldestWatcher() throws Exception {
    server.close();
    InMemorySignedChainStore store = new InMemorySignedChainStore();
    NetworkServerConfig small =
        new NetworkServerConfig(
            genesis,
            "127.0.0.1",
            0,
            3,
            NetworkServerConfig.DEFAULT_MAX_LINE_LENGTH,
            NetworkServerConfig.DEFAULT_MAX_OUTBOUND_BUFFER_BYTES,
            () -> now.get(),
            false);
    server =
        NetworkServer.start(
            small, store.open(genesis), store, EvidenceLog.NONE, new NetworkServerListener() {});
    List<LineClient> watchers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        LineClient watcher = new LineClient(server.port());
        watcher.next(NodeMessage.Welcome.class);
        watchers.add(watcher);
      }
      try (LineClient validator = loggedIn(shadow.leaderOf(1))) {
        assertThat(watchers.get(0).next(NodeMessage.Closing.class).reason()).contains("makes room");
        assertThat(server.connectionCount()).isEqualTo(3);
        validator.send(new NodeMessage.Propose(network.forge(shadow, 1, 72)));
        assertThat(validator.next(NodeMessage.Accepted.class).index()).isEqualTo(1);
      }
    } finally {
      watchers.forEach(LineClient::close);
    }
  }

  @Test
  void slotStartsAreBroadcast() {
    try (LineClient watcher = new LineClient(server.port())) {
      watcher.next(NodeMessage.Welcome.class);
      server.tick().join();
      NodeMessage.SlotStarted started = watcher.next(NodeMessage.SlotStarted.class);
      assertThat(started.slot()).isEqualTo(1);
      assertThat(started.leader()).isEqualTo(shadow.leaderOf(1));
    }
  }
}
