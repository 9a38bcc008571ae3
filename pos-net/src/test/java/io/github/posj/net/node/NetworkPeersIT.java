package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.crypto.Login;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.node.ChainSync;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import io.github.posj.net.server.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes that talk to each other over the peer protocol on loopback: they connect, learn each other,
 * pass blocks on, catch up, and drop peers that lie, flood or send garbage.
 */
final class NetworkPeersIT {
  private final TestNetwork network = TestNetwork.withStakes(10, 20, 30, 40);
  private final Genesis genesis = network.genesis();
  private final AtomicReference<Instant> now = new AtomicReference<>();
  private final List<NetworkServer> servers = new ArrayList<>();
  private final SignedChainState shadow = network.start();

  @AfterEach
  void stop() {
    servers.forEach(NetworkServer::close);
  }

  private PeerSettings peers(List<String> dial) {
    return peers(dial, 8);
  }

  private PeerSettings peers(List<String> dial, int maxPeers) {
    return new PeerSettings(
        OptionalInt.of(0),
        dial,
        maxPeers,
        64 * 1024,
        20,
        5,
        false,
        new ChainSync.Limits(64, 4, Duration.ofSeconds(10)),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1));
  }

  private NetworkServer node(List<SignedBlock> chain, List<String> dial) {
    return node(chain, peers(dial));
  }

  private NetworkServer node(List<SignedBlock> chain, PeerSettings settings) {
    InMemorySignedChainStore store = new InMemorySignedChainStore();
    store.open(genesis);
    for (SignedBlock block : chain) {
      store.append(block);
    }
    NetworkServerConfig config =
        NetworkServerConfig.defaults(genesis)
            .withAddress("127.0.0.1", 0)
            .withClock(() -> now.get(), false)
            .withPeers(settings);
    NetworkServer server =
        NetworkServer.start(
            config, store.open(genesis), store, EvidenceLog.NONE, new NetworkServerListener() {});
    servers.add(server);
    return server;
  }

  private static String peerAddress(NetworkServer server) {
    return "127.0.0.1:" + server.peerPort().getAsInt();
  }

  private LineClient loggedIn(NetworkServer server, ValidatorId validator) {
    LineClient client = new LineClient(server.port());
    NodeMessage.Welcome welcome = (NodeMessage.Welcome) client.next();
    SigningKey key = network.keyOf(validator);
    client.send(
        new NodeMessage.Auth(key.publicKey(), Login.sign(key, genesis.hash(), welcome.nonce())));
    client.next(NodeMessage.LoggedIn.class);
    return client;
  }

  @Test
  void nodesLearnEachOtherAndAValidatorsBlockReachesEveryNode() {
    now.set(genesis.slotStart(1).plusMillis(100));
    NetworkServer a = node(List.of(), List.of());
    NetworkServer b = node(List.of(), List.of(peerAddress(a)));
    NetworkServer c = node(List.of(), List.of(peerAddress(a)));
    // b and c learn each other from a (peer exchange).
    Await.until(
        "every node has two peers", () -> servers.stream().allMatch(s -> s.peerCount() == 2));

    for (long slot = 1; slot <= 3; slot++) {
      now.set(genesis.slotStart(slot).plusMillis(100));
      SignedBlock block = network.forge(shadow, slot, 70);
      shadow.append(block);
      NetworkServer to = servers.get((int) slot % 3);
      try (LineClient leader = loggedIn(to, block.block().validator())) {
        leader.send(new NodeMessage.Propose(block));
        assertThat(leader.next(NodeMessage.Accepted.class).hash()).isEqualTo(block.hash());
      }
      Await.until(
          "block " + slot + " on every node",
          () -> servers.stream().allMatch(s -> s.headNow().equals(block.block())));
    }
    assertThat(b.headNow()).isEqualTo(c.headNow());
  }

  @Test
  void aNodeThatIsFarBehindCatchesUpInBoundedRanges() {
    List<SignedBlock> chain = network.forgeSlots(shadow, 1, 300);
    now.set(genesis.slotStart(301).plusMillis(100));
    NetworkServer a = node(chain, List.of());
    NetworkServer b = node(List.of(), List.of(peerAddress(a)));

    Await.until("b caught up", () -> b.headNow().equals(chain.get(299).block()));
    try (LineClient watcher = new LineClient(b.port())) {
      watcher.next(NodeMessage.Welcome.class);
      watcher.send(new NodeMessage.GetBlocks(100, 32));
      assertThat(watcher.next(NodeMessage.Blocks.class).blocks()).isEqualTo(chain.subList(99, 131));
    }
  }

  @Test
  void aPeerOfAnotherGenesisIsRefusedWithTheReason() {
    now.set(genesis.slotStart(1).plusMillis(100));
    NetworkServer a = node(List.of(), List.of());
    Genesis other = TestNetwork.withStakes(5, 6).genesis();
    try (PeerLine peer = new PeerLine(a.peerPort().getAsInt())) {
      assertThat(peer.next()).isInstanceOf(PeerMessage.Hello.class);
      peer.send(
          new PeerMessage.Hello(other.hash(), "00000000000000aa", java.util.Optional.empty()));
      assertThat(peer.closing()).contains("another genesis").contains(genesis.hash().hex());
    }
    assertThat(a.peerCount()).isZero();
  }

  @Test
  void garbageAHugeLineFloodsAndUnaskedAnswersEachCloseThePeer() {
    now.set(genesis.slotStart(1).plusMillis(100));
    NetworkServer a = node(List.of(), List.of());
    int port = a.peerPort().getAsInt();
    try (PeerLine peer = PeerLine.helloed(port, genesis)) {
      peer.send("this is not JSON");
      assertThat(peer.closing()).contains("not a peer message");
    }
    try (PeerLine peer = PeerLine.helloed(port, genesis)) {
      peer.send("{\"type\":\"status\",\"x\":\"" + "a".repeat(70 * 1024) + "\"}");
      assertThat(peer.closing()).contains("longer than");
    }
    try (PeerLine peer = PeerLine.helloed(port, genesis)) {
      for (int i = 0; i < 100; i++) {
        peer.send(new PeerMessage.GetBlocks(1, 64));
      }
      assertThat(peer.closing()).contains("more than 20 get-blocks a second");
    }
    try (PeerLine peer = PeerLine.helloed(port, genesis)) {
      peer.send(new PeerMessage.Blocks(1, List.of()));
      assertThat(peer.closing()).contains("a blocks answer to no get-blocks");
    }
    try (PeerLine peer = PeerLine.helloed(port, genesis)) {
      SignedBlock old = network.forge(network.start(), 1, 70);
      for (int i = 0; i < 50; i++) {
        peer.send(new PeerMessage.NewBlock(old));
      }
      assertThat(peer.closing()).contains("more than 5 new-block and evidence messages a second");
    }
    Await.until("no peer left", () -> a.peerCount() == 0);
  }

  @Test
  void aForgedBlockOrABlockOfAnotherChainDropsThePeerAndChangesNothing() {
    now.set(genesis.slotStart(1).plusMillis(100));
    NetworkServer a = node(List.of(), List.of());
    int port = a.peerPort().getAsInt();
    SignedBlock honest = network.forge(shadow, 1, 70);
    SignedBlock forged =
        SignedBlock.sign(
            TestNetwork.key(3),
            genesis.hash(),
            1,
            1,
            genesis.hash(),
            honest.reveal(),
            71,
            honest.block().timestamp());
    try (PeerLine peer = PeerLine.helloed(port, genesis)) {
      peer.send(new PeerMessage.NewBlock(forged));
      assertThat(peer.closing()).contains("invalid block");
    }
    TestNetwork otherNetwork = TestNetwork.withStakes(10, 20, 30, 40, 50);
    SignedBlock foreign = otherNetwork.forge(otherNetwork.start(), 1, 70);
    try (PeerLine peer = PeerLine.helloed(port, genesis)) {
      peer.send(new PeerMessage.NewBlock(foreign));
      assertThat(peer.closing()).contains("invalid block");
    }
    assertThat(a.headNow()).isEqualTo(genesis.block0());
  }

  @Test
  void aSilentConnectionIsClosedAndIncomingOnesNeverCrowdOutTheDialledPeers() {
    now.set(genesis.slotStart(1).plusMillis(100));
    NetworkServer b = node(List.of(), List.of());
    NetworkServer a = node(List.of(), peers(List.of(peerAddress(b)), 1));
    Await.until("a dialled b", () -> a.peerCount() == 1);
    int port = a.peerPort().getAsInt();
    try (PeerLine silent = new PeerLine(port)) {
      assertThat(silent.next()).isInstanceOf(PeerMessage.Hello.class);
      assertThat(silent.closing()).isEqualTo("no hello within 1000 ms");
    }
    try (PeerLine first = PeerLine.helloed(port, genesis);
        PeerLine second = new PeerLine(port)) {
      Await.until("a took one incoming peer", () -> a.peerCount() == 2);
      assertThat(second.closing()).isEqualTo("the node has its most incoming peer connections (1)");
      assertThat(first.next()).isInstanceOf(PeerMessage.Status.class);
    }
    assertThat(a.peerCount()).isGreaterThanOrEqualTo(1);
  }
}
