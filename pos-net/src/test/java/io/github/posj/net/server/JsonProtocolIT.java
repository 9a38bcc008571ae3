package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.chain.ChainValidation;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.client.ClientEvent;
import io.github.posj.net.codec.WireFormat;
import io.github.posj.net.protocol.ServerMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON-lines mode over real sockets, through {@link TestClient} and byte for byte. */
final class JsonProtocolIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String WELCOME = "\n{\"type\":\"welcome\",\"version\":2,\"height\":0}\n";

  @RegisterExtension final ServerResources servers = new ServerResources();

  private TestClient client(ValidatorServer server) throws IOException {
    return servers.client(server, WAIT);
  }

  private RawPeer raw(ValidatorServer server) throws IOException {
    return servers.raw(server);
  }

  @Test
  void threeValidators_oneRound_everyoneGetsTheResultAndTheNewChain() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    Map<ValidatorId, Long> bpmOf = new HashMap<>();
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TestClient client = client(server);
      ValidatorId address = client.register(10 * (i + 1));
      client.propose(70 + i);
      assertThat(client.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT).index())
          .isEqualTo(1);
      bpmOf.put(address, 70L + i);
      clients.add(client);
    }

    RoundOutcome outcome = server.runRoundNow().get(10, TimeUnit.SECONDS);

    ValidatorId winner = ((RoundOutcome.Forged) outcome).winner();
    for (TestClient client : clients) {
      ServerMessage.RoundResult result = client.awaitEvent(ServerMessage.RoundResult.class, WAIT);
      assertThat(result.round()).isEqualTo(1);
      assertThat(result.winner()).contains(winner);
      assertThat(result.height()).isEqualTo(1);
      List<Block> blocks = client.awaitEvent(ServerMessage.ChainUpdate.class, WAIT).blocks();
      assertThat(blocks).isEqualTo(server.chain().blocks());
      assertThat(Chain.validate(blocks, server.chain().scheme()))
          .isInstanceOf(ChainValidation.Valid.class);
      Block head = blocks.get(blocks.size() - 1);
      assertThat(head.validator()).isEqualTo(winner);
      assertThat(head.bpm()).isEqualTo(bpmOf.get(winner));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"hello\",\"version\":9}",
        "{\"type\":\"hello\",\"version\":1.0}",
        "{\"type\":\"stake\",\"amount\":5}"
      })
  void refusedFirstJsonLine_closingStartsALineOfItsOwn(String first) throws Exception {
    // The closing was glued to the greeting ("Enter token balance:{...}"), so a client reading
    // lines could not parse it; and "version":1.0 was taken for 1 while "amount":100.0 is refused.
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = raw(server);
    peer.send(first + "\n");

    peer.expect("Enter token balance:\n{\"type\":\"closing\",\"reason\":");
    assertThat(peer.readLine()).endsWith("}\n");
    peer.expectEndOfStream();
  }

  /**
   * A raw peer that said hello in {@code version} (expecting {@code welcome}), staked, proposed and
   * won a round: its round result is read, what the forged block brings is next.
   */
  private RawPeer proposedAndForged(ValidatorServer server, int version, String welcome)
      throws Exception {
    RawPeer peer = raw(server);
    peer.send("{\"type\":\"hello\",\"version\":" + version + "}\n");
    peer.expect("Enter token balance:\n" + welcome + "\n");
    peer.send("{\"type\":\"stake\",\"amount\":5}\n{\"type\":\"propose\",\"bpm\":72}\n");
    assertThat(peer.readLine()).startsWith("{\"type\":\"registered\"");
    assertThat(peer.readLine()).startsWith("{\"type\":\"proposal-accepted\"");
    server.runRoundNow().get(10, TimeUnit.SECONDS);
    assertThat(peer.readLine()).startsWith("{\"type\":\"round-result\"");
    return peer;
  }

  @Test
  void version2_newBlocksInsteadOfTheChainAndRangesOnRequest() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer =
        proposedAndForged(server, 2, "{\"type\":\"welcome\",\"version\":2,\"height\":0}");
    Block head = server.chain().head();
    assertThat(peer.readLine())
        .isEqualTo("{\"type\":\"block\",\"block\":" + ChainJson.write(head) + "}\n");
    server.broadcastChainNow().get(10, TimeUnit.SECONDS);
    peer.send("{\"type\":\"get-blocks\",\"from\":1,\"count\":1000}\n");
    // The periodic chain broadcast is not for version 2: the next line is the answer.
    assertThat(peer.readLine())
        .isEqualTo(
            "{\"type\":\"blocks\",\"from\":1,\"blocks\":" + ChainJson.write(List.of(head)) + "}\n");
    peer.send("{\"type\":\"get-blocks\",\"from\":9,\"count\":5}\n");
    assertThat(peer.readLine()).isEqualTo("{\"type\":\"blocks\",\"from\":9,\"blocks\":[]}\n");
    peer.send("{\"type\":\"get-blocks\",\"from\":0,\"count\":1001}\n");
    assertThat(peer.readLine())
        .isEqualTo(
            "{\"type\":\"error\",\"message\":\"get-blocks needs from >= 0 and count from 1 to"
                + " 1000; got from 0, count 1001\"}\n");
  }

  @Test
  void version1_keepsTheWholeChainAndHasNoRanges() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = proposedAndForged(server, 1, "{\"type\":\"welcome\",\"version\":1}");
    assertThat(peer.readLine())
        .isEqualTo(
            "{\"type\":\"chain\",\"blocks\":" + ChainJson.write(server.chain().blocks()) + "}\n");
    peer.send("{\"type\":\"get-blocks\",\"from\":0,\"count\":1}\n");
    assertThat(peer.readLine()).contains("get-blocks needs protocol version 2");
  }

  @Test
  void jsonSession_rawBytes_areOneObjectPerLine() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = raw(server);
    peer.expect("Enter token balance:");

    peer.send("{\"type\":\"hello\",\"version\":1}\n");
    peer.expect("\n{\"type\":\"welcome\",\"version\":1}\n");
    peer.send("{\"type\":\"stake\",\"amount\":100}\n");
    peer.expect("{\"type\":\"registered\",\"address\":\"");
    String address = peer.read(64);
    peer.expect("\",\"stake\":100}\n");
    peer.send("{\"type\":\"propose\",\"bpm\":72}\n");
    peer.expect("{\"type\":\"proposal-accepted\",\"index\":1}\n");
    server.runRoundNow().get(10, TimeUnit.SECONDS);

    peer.expect(
        "{\"type\":\"round-result\",\"round\":1,\"winner\":\""
            + address
            + "\",\"height\":1,\"outcome\":\"forged\",\"reason\":null}\n");
    peer.expect(
        "{\"type\":\"chain\",\"blocks\":" + ChainJson.write(server.chain().blocks()) + "}\n");
    server.runRoundNow().get(10, TimeUnit.SECONDS);
    peer.expect(
        "{\"type\":\"round-result\",\"round\":2,\"winner\":null,\"height\":1,"
            + "\"outcome\":\"skipped\",\"reason\":\"no-proposals\"}\n");
  }

  @Test
  void greeting_helloSentAtOnceWhileRoundsRun_welcomeIsTheFirstJsonLine() throws Exception {
    // The decoder used to switch a connection's writing to JSON as soon as it read the hello,
    // before the session had handled it: a round result could reach the client as JSON before
    // the welcome, and a greeting written after the switch came out as zero bytes.
    ValidatorServer server =
        servers.start(
            TestServers.config()
                .roundDuration(Duration.ofMillis(5))
                .broadcastInterval(Duration.ofMillis(50)));
    List<RawPeer> peers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      RawPeer peer = raw(server);
      peer.send(WireFormat.hello());
      peers.add(peer);
    }

    for (RawPeer peer : peers) {
      String stream = peer.readUntil(WELCOME);
      assertThat(stream).startsWith("Enter token balance:");
      String beforeWelcome = stream.substring(0, stream.length() - WELCOME.length());
      assertThat(beforeWelcome.split("\n", -1))
          .as("lines before the welcome")
          .noneMatch(line -> line.startsWith("{"));
    }
  }

  @Test
  void json_lineThatIsNotJson_closesWithAMessage() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = raw(server);
    peer.expect("Enter token balance:");
    peer.send("{\"type\":\"hello\",\"version\":1}\n");
    peer.expect("\n{\"type\":\"welcome\",\"version\":1}\n");

    peer.send("{oops\n");

    assertThat(peer.readLine()).startsWith("{\"type\":\"closing\",\"reason\":\"not valid JSON: ");
    peer.expectEndOfStream();
  }

  @Test
  void json_firstLineNotAHello_closesWithAMessage() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = raw(server);
    peer.expect("Enter token balance:");

    peer.send("{\"type\":\"stake\",\"amount\":100}\n");

    peer.expect(
        "\n{\"type\":\"closing\",\"reason\":"
            + "\"the first JSON line must be {\\\"type\\\":\\\"hello\\\",\\\"version\\\":1}\"}\n");
    peer.expectEndOfStream();
  }

  @Test
  void json_unknownType_errorAndTheConnectionStaysOpen() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    TestClient client = client(server);

    client.sendLine("{\"type\":\"dance\"}");

    assertThat(client.awaitEvent(ServerMessage.Error.class, WAIT).message())
        .isEqualTo("unknown message type \"dance\"; see docs/protocol.md");
    assertThat(client.register(5)).isNotNull();
  }

  @Test
  void json_unregisteredClientAnsweredWithErrors_isClosedAtTheLimit() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    TestClient client = client(server);

    client.sendLine("{\"type\":\"dance\"}");
    client.sendLine("{\"type\":\"propose\",\"bpm\":72}");
    client.sendLine(WireFormat.hello().strip());

    assertThat(client.awaitClosed(WAIT)).startsWith("too many refused requests before a stake (3)");
    Await.until("the connection is released", () -> server.connectionCount() == 0);
  }

  @Test
  void json_proposeNonInteger_slashesAndCloses() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    TestClient client = client(server);
    ValidatorId address = client.register(100);

    client.sendLine("{\"type\":\"propose\",\"bpm\":\"seventy\"}");

    assertThat(client.awaitEvent(ServerMessage.Slashed.class, WAIT).reason())
        .isEqualTo(
            "BPM \"seventy\" is not an integer: validator "
                + address.hex()
                + " is removed and its stake of 100 tokens is forfeited");
    assertThat(client.awaitClosed(WAIT)).startsWith("slashed: ");
    Await.until("the validator is out", () -> server.validatorCount() == 0);
    RoundOutcome outcome = server.runRoundNow().get(10, TimeUnit.SECONDS);
    assertThat(outcome.tally().proposals()).isZero();
  }

  @Test
  void clientClose_closedIsTheLastEventAndTheServerReleasesTheValidator() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    TestClient client = client(server);
    client.register(3);

    client.close();
    client.close();

    assertThat(client.awaitClosed(WAIT)).isEqualTo("closed by the client");
    Await.until("the validator is released", () -> server.validatorCount() == 0);
    assertThatThrownBy(() -> client.propose(1)).isInstanceOf(IOException.class);
  }

  @Test
  void serverClose_clientSeesTheClosingReason() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    TestClient client = client(server);
    client.register(3);

    server.close();

    assertThat(client.awaitClosed(WAIT)).isEqualTo("the server is shutting down");
  }

  @Test
  void listener_hearsStartRegistrationSlashingAndRounds() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    ValidatorServer server =
        ValidatorServer.start(
            TestServers.config().build(),
            new ServerListener() {
              @Override
              public void onStarted(Started started) {
                heard.add("started " + started.port() + " " + started.height());
              }

              @Override
              public void onEvent(Instant time, NodeEvent event) {
                if (event instanceof NodeEvent.Registered registered) {
                  heard.add("registered " + registered.validator() + " " + registered.stake());
                } else if (event instanceof NodeEvent.Slashed slashed) {
                  heard.add("slashed " + slashed.validator());
                } else if (event instanceof NodeEvent.RoundEnded ended) {
                  heard.add(
                      "round " + ended.round() + " " + ended.outcome().getClass().getSimpleName());
                }
              }
            });
    servers.addLast(server);
    TestClient client = client(server);
    ValidatorId address = client.register(9);
    client.propose(70);
    client.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
    server.runRoundNow().get(10, TimeUnit.SECONDS);
    client.sendLine("{\"type\":\"propose\",\"bpm\":7.5}");
    client.awaitEvent(ServerMessage.Slashed.class, WAIT);

    assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("started " + server.port() + " 0");
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("registered " + address + " 9");
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("round 1 Forged");
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo("slashed " + address);
  }

  @Test
  void close_whileARoundRuns_noRoundStartsAfterCloseBegins() throws Exception {
    // The round schedule ran on while close() drained the connections (a round was forged after
    // "stopping: closing connections"), and at a fixed rate it caught up missed rounds back to
    // back as soon as the owner thread was free.
    CountDownLatch inFirstRound = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger rounds = new AtomicInteger();
    ServerListener blockFirstRound =
        new ServerListener() {
          @Override
          public void onEvent(Instant time, NodeEvent event) {
            if (event instanceof NodeEvent.RoundEnded && rounds.incrementAndGet() == 1) {
              inFirstRound.countDown();
              ServerResources.awaitQuietly(release);
            }
          }
        };
    ValidatorServer server =
        ValidatorServer.start(
            TestServers.config().roundDuration(Duration.ofMillis(1)).build(), blockFirstRound);
    servers.addLast(server);
    CompletableFuture<Void> closing;
    try {
      assertThat(inFirstRound.await(10, TimeUnit.SECONDS)).isTrue();
      // The owner thread is inside round 1 while, at 1 ms a round, more rounds fall due.
      closing = CompletableFuture.runAsync(server::close);
      Await.until("close() has begun", () -> refusesConnections(server.port()));
    } finally {
      release.countDown();
    }

    closing.get(10, TimeUnit.SECONDS);

    assertThat(rounds.get()).as("rounds that reached the listener").isEqualTo(1);
    assertThatThrownBy(server::runRoundNow).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void periodicBroadcast_rightAfterAForgedBlocksPush_isSkipped() throws Exception {
    // When the push after a forged block and the periodic broadcast fell together, every
    // connection got the same chain twice in a row (counting twice against a slow consumer).
    ValidatorServer server = servers.start(TestServers.config());
    TestClient client = client(server);
    client.registerAndPropose(5, 72, WAIT);
    server.runRoundNow().get(10, TimeUnit.SECONDS);
    client.awaitEvent(ServerMessage.RoundResult.class, WAIT);
    client.awaitEvent(ServerMessage.ChainUpdate.class, WAIT);

    server.runPeriodicBroadcastNow().get(10, TimeUnit.SECONDS);
    server.runRoundNow().get(10, TimeUnit.SECONDS);

    assertThat(client.inbox().poll(WAIT))
        .as("the next event after the pushed chain")
        .hasValueSatisfying(
            event ->
                assertThat(((ClientEvent.Received) event).message())
                    .isInstanceOf(ServerMessage.RoundResult.class));
  }

  @Test
  void periodicBroadcast_noForgedBlockWithinTheInterval_sendsTheChain() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    TestClient client = client(server);
    client.register(5);

    server.runPeriodicBroadcastNow().get(10, TimeUnit.SECONDS);

    assertThat(client.awaitEvent(ServerMessage.ChainUpdate.class, WAIT).blocks())
        .isEqualTo(server.chain().blocks());
  }

  private static boolean refusesConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void register_invalidStake_throwsTheServersMessage() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    TestClient client = client(server);

    assertThatThrownBy(() -> client.register(0))
        .isInstanceOf(IOException.class)
        .hasMessage("a stake is at least 1 token(s); got 0");
    assertThat(client.register(7)).isEqualTo(client.address().orElseThrow());
  }

  @Test
  void register_stakeOverflowingTheTotal_isRefused() throws Exception {
    ValidatorServer server = servers.start(TestServers.config().maxStake(Long.MAX_VALUE));
    client(server).register(Long.MAX_VALUE - 10);
    TestClient second = client(server);

    assertThatThrownBy(() -> second.register(11))
        .hasMessage("the network's total stake cannot take 11 more tokens; at most 10");
    assertThat(second.register(10)).isNotNull();
  }

  @Test
  void round_scheduled_runsWithoutTheTestHook() throws Exception {
    ValidatorServer server =
        servers.start(TestServers.config().roundDuration(Duration.ofMillis(200)));
    TestClient client = client(server);
    ValidatorId address = client.register(5);
    client.propose(66);

    ServerMessage.RoundResult result;
    do {
      result = client.awaitEvent(ServerMessage.RoundResult.class, WAIT);
    } while (!result.forged());

    assertThat(result.winner()).contains(address);
    assertThat(server.chain().head().bpm()).isEqualTo(66);
  }

  @Test
  void rounds_racingWithProposals_neverForgeAStaleBlock() throws Exception {
    // Defect B9: the original appended blocks built on an old tip.
    ValidatorServer server = servers.start(TestServers.config().maxProposalsPerRound(1_000));
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      TestClient client = client(server);
      client.register(1 + i);
      clients.add(client);
    }
    ExecutorService proposers = Executors.newFixedThreadPool(clients.size());
    int forged = 0;
    try {
      List<Future<?>> proposing = new ArrayList<>();
      for (TestClient client : clients) {
        proposing.add(
            proposers.submit(
                () -> {
                  for (int bpm = 0; bpm < 300; bpm++) {
                    client.propose(bpm);
                  }
                  return null;
                }));
      }

      for (int round = 0; round < 40; round++) {
        RoundOutcome outcome = server.runRoundNow().get(10, TimeUnit.SECONDS);
        if (outcome instanceof RoundOutcome.Forged f) {
          forged++;
          assertThat(f.chain().height()).isEqualTo(forged);
        }
      }
      // A proposer that failed fails the test here (it used to die unseen in its own thread).
      for (Future<?> proposer : proposing) {
        proposer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      proposers.shutdownNow();
    }

    Chain chain = server.chain();
    assertThat(chain.size()).isEqualTo(forged + 1);
    assertThat(Chain.validate(chain.blocks(), chain.scheme()))
        .isInstanceOf(ChainValidation.Valid.class);
  }
}
