package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.protocol.ServerMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The text mode over real sockets, byte for byte, as an {@code nc} user sees it. */
final class TextProtocolIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String STAKE_PROMPT = "Enter token balance:";
  private static final String BPM_PROMPT = "\nEnter a new BPM:";

  @RegisterExtension final ServerResources servers = new ServerResources();

  private RawPeer connect(ValidatorServer server) throws IOException {
    return servers.raw(server);
  }

  /** Connects, stakes and returns the address the server announced. */
  private static String register(RawPeer peer, long stake) throws IOException {
    peer.expect(STAKE_PROMPT);
    peer.send(stake + "\n");
    peer.expect("\nYour validator address: ");
    String address = peer.read(64);
    assertThat(address).matches("[0-9a-f]{64}");
    peer.expect("\n" + BPM_PROMPT);
    return address;
  }

  private static RoundOutcome round(ValidatorServer server) throws Exception {
    return server.runRoundNow().get(10, TimeUnit.SECONDS);
  }

  @Test
  void halfClosedClient_afterStakeAndBpm_stillGetsItsAddressTheRoundAndALastLine()
      throws Exception {
    // printf '100\n72\n' | nc -N: the server closed the connection on the client's FIN, so the
    // client never saw its address nor a closing line.
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer other = connect(server);
    String winner = register(other, 5);
    other.send("60\n");
    other.expect(BPM_PROMPT);
    RawPeer peer = connect(server);
    peer.send("100\n72\n");
    peer.shutdownOutput();

    peer.expect(STAKE_PROMPT + "\nYour validator address: ");
    peer.read(64);
    peer.expect("\n" + BPM_PROMPT + BPM_PROMPT);
    // It may be gone for good (a full close looks the same): out of the lottery at once.
    Await.until("its stake released", () -> server.validatorCount() == 1);
    round(server);
    peer.expect("\nwinning validator: " + winner + "\n");
    peer.expect("\nclosing: the client closed its side of the connection\n");
    peer.expectEndOfStream();
    assertThat(server.chain().head().bpm()).isEqualTo(60);
  }

  @Test
  void halfClosedClient_registeredWithoutAProposal_isClosedAtOnce() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);
    register(peer, 100);
    peer.shutdownOutput();

    peer.expect("\nclosing: the client closed its side of the connection\n");
    peer.expectEndOfStream();
    Await.until("its stake released", () -> server.validatorCount() == 0);
  }

  @Test
  void halfClosedClient_beforeAnyStake_isClosedWithALine() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);
    peer.shutdownOutput();

    peer.expect(
        STAKE_PROMPT
            + "\nclosing: the client closed its side of the connection before sending a stake\n");
    peer.expectEndOfStream();
  }

  @Test
  void fullServer_idleRegisteredValidator_givesItsPlaceToANewConnection() throws Exception {
    // 500 stake-1 validators that never propose held all 500 slots: nobody else could connect.
    ValidatorServer server =
        servers.start(TestServers.config().maxConnections(2).evictIdleAfterRounds(1));
    RawPeer active = connect(server);
    register(active, 10);
    RawPeer idle = connect(server);
    register(idle, 1);
    active.send("72\n");
    active.expect(BPM_PROMPT);
    round(server);

    RawPeer newcomer = connect(server);

    newcomer.expect(STAKE_PROMPT);
    idle.readUntil(
        "\nclosing: the server is full and this validator made no proposal in the last 1 round;"
            + " its place goes to a new connection; reconnect to validate again\n");
    idle.expectEndOfStream();
    assertThat(server.validatorCount()).isEqualTo(1);
  }

  @Test
  void textSession_stakeThenBpm_isTheTutorialDialogue() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);

    String address = register(peer, 100);
    peer.send("72\r\n");
    peer.expect(BPM_PROMPT);
    RoundOutcome outcome = round(server);

    peer.expect("\nwinning validator: " + address + "\n");
    peer.expect(ChainJson.write(server.chain().blocks()) + "\n");
    assertThat(outcome).isInstanceOf(RoundOutcome.Forged.class);
    Block forged = server.chain().head();
    assertThat(forged.index()).isEqualTo(1);
    assertThat(forged.bpm()).isEqualTo(72);
    assertThat(forged.validator()).isEqualTo(ValidatorId.fromHex(address));
    assertThat(forged.timestamp()).isEqualTo(TestServers.NOW_TEXT);
  }

  @Test
  void stakeAndBpmInOneWrite_bothAreRead() throws Exception {
    // B8: the original read the stake with one scanner and the BPMs with a second one, so a BPM
    // that arrived in the same packet as the stake was lost.
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);
    peer.expect(STAKE_PROMPT);

    peer.send("100\n72\n");

    peer.expect("\nYour validator address: ");
    String address = peer.read(64);
    peer.expect("\n" + BPM_PROMPT);
    peer.expect(BPM_PROMPT);
    assertThat(round(server)).isInstanceOf(RoundOutcome.Forged.class);
    assertThat(server.chain().head().bpm()).isEqualTo(72);
    assertThat(server.chain().head().validator()).isEqualTo(ValidatorId.fromHex(address));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-5", "99999999999999999999", " 100", "100 ", "1e3", ""})
  void stake_invalid_errorLineThenThePromptAgain(String stake) throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);
    peer.expect(STAKE_PROMPT);

    peer.send(stake + "\n");

    String answer = peer.readUntil(STAKE_PROMPT);
    assertThat(answer).startsWith("\nerror: a stake is ").endsWith("\n" + STAKE_PROMPT);
    assertThat(answer.split("\n", -1)).hasSize(3);
    assertThat(server.validatorCount()).isZero();
  }

  @Test
  void stake_aboveTheMaximum_errorLineThenThePromptAgain() throws Exception {
    ValidatorServer server = servers.start(TestServers.config().maxStake(1000));
    RawPeer peer = connect(server);
    peer.expect(STAKE_PROMPT);

    peer.send("1001\n");

    peer.expect("\nerror: a stake is at most 1000 tokens; got 1001\n" + STAKE_PROMPT);
  }

  @Test
  void stake_invalidThreeTimes_closesTheConnection() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);
    peer.expect(STAKE_PROMPT);

    peer.send("x\ny\n");
    peer.readUntil(STAKE_PROMPT);
    peer.readUntil(STAKE_PROMPT);
    peer.send("z\n");

    peer.expect(
        "\nerror: a stake is a whole number of tokens, such as 100; got \"z\"\n"
            + "\nclosing: too many invalid stakes (3)\n");
    peer.expectEndOfStream();
    Await.until("the connection is released", () -> server.connectionCount() == 0);
  }

  @Test
  void bpm_nonInteger_slashesClosesAndNeverProposes() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer cheat = connect(server);
    RawPeer honest = connect(server);
    String cheatAddress = register(cheat, 100);
    String honestAddress = register(honest, 5);

    cheat.send("seventy\n");
    cheat.expect(
        "\nslashed: BPM \"seventy\" is not an integer: validator "
            + cheatAddress
            + " is removed and its stake of 100 tokens is forfeited\n");
    cheat.expectEndOfStream();
    Await.until("the cheat is out of the stake table", () -> server.validatorCount() == 1);

    honest.send("80\n");
    honest.expect(BPM_PROMPT);
    RoundOutcome outcome = round(server);

    assertThat(outcome).isInstanceOf(RoundOutcome.Forged.class);
    assertThat(outcome.tally().proposals()).as("the slashed line proposed nothing").isEqualTo(1);
    assertThat(((RoundOutcome.Forged) outcome).winner().hex()).isEqualTo(honestAddress);
    honest.expect("\nwinning validator: " + honestAddress + "\n");
  }

  @Test
  void bpm_emptyLine_promptsAgainWithoutSlashing() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);
    register(peer, 100);

    peer.send("\n");

    peer.expect(BPM_PROMPT);
    assertThat(server.validatorCount()).isEqualTo(1);
  }

  @Test
  void bpm_emptyLinesInARowPastTheLimit_closesWithAMessage() throws Exception {
    // A stray Enter is forgiven, but a stream of them is not free: each costs a prompt.
    ValidatorServer server = servers.start(TestServers.config().maxBlankLines(2));
    RawPeer peer = connect(server);
    register(peer, 100);

    peer.send("\n\n\n");

    peer.expect(
        BPM_PROMPT
            + BPM_PROMPT
            + "\nclosing: too many empty lines in a row (3); send a BPM such as 72, or disconnect\n");
    peer.expectEndOfStream();
    Await.until("the validator has left", () -> server.validatorCount() == 0);
  }

  @Test
  void bpm_overTheRoundLimit_errorLineNotSlashing() throws Exception {
    ValidatorServer server = servers.start(TestServers.config().maxProposalsPerRound(1));
    RawPeer peer = connect(server);
    register(peer, 100);
    peer.send("70\n");
    peer.expect(BPM_PROMPT);

    peer.send("71\n");

    peer.expect("\nerror: at most 1 proposals per round; wait for the next round\n" + BPM_PROMPT);
    assertThat(server.validatorCount()).isEqualTo(1);
  }

  @Test
  void line_overTheLimit_closesWithAMessage() throws Exception {
    ValidatorServer server = servers.start(TestServers.config().maxLineLength(64));
    RawPeer peer = connect(server);
    peer.expect(STAKE_PROMPT);

    peer.send("1".repeat(100));

    peer.expect("\nclosing: line longer than 64 bytes; closing the connection\n");
    peer.expectEndOfStream();
  }

  @Test
  void idle_silentClient_isTimedOut() throws Exception {
    ValidatorServer server =
        servers.start(TestServers.config().idleTimeout(Duration.ofMillis(200)));
    RawPeer peer = connect(server);

    peer.expect(STAKE_PROMPT);

    peer.expect("\nclosing: no stake received within 200 ms; closing\n");
    peer.expectEndOfStream();
  }

  @Test
  void connections_beyondTheMaximum_areRefusedPolitely() throws Exception {
    ValidatorServer server = servers.start(TestServers.config().maxConnections(2));
    connect(server).expect(STAKE_PROMPT);
    connect(server).expect(STAKE_PROMPT);

    RawPeer third = connect(server);

    third.expect("\nclosing: the server is full; try again later\n");
    third.expectEndOfStream();
    assertThat(server.connectionCount()).isEqualTo(2);
  }

  @Test
  void announcement_afterClientsCameAndWent_reachesEveryConnectionExactlyOnce() throws Exception {
    // Defect B1: the original pushed len(validators) announcements into one shared channel, read
    // by one goroutine per connection ever made. After three idle clients had come and gone, the
    // validators got only 2 of 3 announcements: the readers of departed clients swallowed them.
    ValidatorServer server = servers.start(TestServers.config());
    for (int i = 0; i < 3; i++) {
      try (RawPeer idle = RawPeer.connect(server.port())) {
        idle.expect(STAKE_PROMPT);
      }
    }
    try (RawPeer registeredThenGone = RawPeer.connect(server.port())) {
      register(registeredThenGone, 50);
    }
    try (TestClient jsonThenGone = TestClient.connect(server.port(), WAIT)) {
      jsonThenGone.register(5);
    }
    Await.until(
        "every departed client is released",
        () -> server.connectionCount() == 0 && server.validatorCount() == 0);

    List<RawPeer> validators = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RawPeer peer = connect(server);
      register(peer, 10 + i);
      validators.add(peer);
    }
    RawPeer watcher = connect(server);
    watcher.expect(STAKE_PROMPT);
    TestClient json = TestClient.connect(server.port(), WAIT);
    servers.add(json);
    json.register(1);
    for (RawPeer peer : validators) {
      peer.send("60\n");
      peer.expect(BPM_PROMPT);
    }

    RoundOutcome first = round(server);
    String firstPart =
        "\nwinning validator: "
            + ((RoundOutcome.Forged) first).winner().hex()
            + "\n"
            + ChainJson.write(server.chain().blocks())
            + "\n";
    RoundOutcome second = round(server);
    for (RawPeer peer : validators) {
      peer.expect(firstPart);
    }
    watcher.expect(firstPart);
    validators.get(0).send("61\n");
    validators.get(0).expect(BPM_PROMPT);
    RoundOutcome third = round(server);

    // Nothing for the skipped round, nothing repeated: the next bytes are round 3's.
    assertThat(second).isInstanceOf(RoundOutcome.Skipped.class);
    String thirdPart =
        "\nwinning validator: "
            + ((RoundOutcome.Forged) third).winner().hex()
            + "\n"
            + ChainJson.write(server.chain().blocks())
            + "\n";
    for (RawPeer peer : validators) {
      peer.expect(thirdPart);
    }
    watcher.expect(thirdPart);
    List<Long> rounds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rounds.add(json.awaitEvent(ServerMessage.RoundResult.class, WAIT).round());
    }
    assertThat(rounds).containsExactly(1L, 2L, 3L);
  }

  @Test
  void round_forged_pushesTheChainRightAway() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);
    String address = register(peer, 100);
    peer.send("72\n");
    peer.expect(BPM_PROMPT);

    round(server);

    peer.expect("\nwinning validator: " + address + "\n");
    String chainLine = peer.readLine();
    assertThat(chainLine).isEqualTo(ChainJson.write(server.chain().blocks()) + "\n");
    assertThat(chainLine).contains("\"BPM\":72");
  }

  @Test
  void chain_everyBroadcastInterval_reachesEveryConnection() throws Exception {
    ValidatorServer server =
        servers.start(TestServers.config().broadcastInterval(Duration.ofMillis(100)));
    RawPeer registered = connect(server);
    register(registered, 100);
    RawPeer watcher = connect(server);
    watcher.expect(STAKE_PROMPT);

    String chainLine = ChainJson.write(server.chain().blocks()) + "\n";

    registered.expect(chainLine);
    watcher.expect(chainLine);
  }

  @Test
  void round_noProposals_isSkippedQuietly() throws Exception {
    // Defect B2: the original panicked on an empty lottery pool.
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);
    register(peer, 100);

    RoundOutcome outcome = round(server);

    assertThat(outcome)
        .isEqualTo(
            new RoundOutcome.Skipped(
                RoundOutcome.SkipReason.NO_PROPOSALS, new RoundOutcome.Tally(0, 0, 0, 0, 0)));
    assertThat(server.chain().height()).isZero();
  }

  @Test
  void round_onlyProposerLeft_isSkippedAndTheServerGoesOn() throws Exception {
    // Defect B2(b): a candidate whose validator is gone left the original with an empty pool.
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer leaver = connect(server);
    register(leaver, 100);
    leaver.send("72\n");
    leaver.expect(BPM_PROMPT);
    leaver.close();
    Await.until("the leaver's stake is released", () -> server.validatorCount() == 0);

    RoundOutcome skipped = round(server);

    assertThat(skipped).isInstanceOf(RoundOutcome.Skipped.class);
    assertThat(((RoundOutcome.Skipped) skipped).reason())
        .isEqualTo(RoundOutcome.SkipReason.NO_ELIGIBLE_VALIDATOR);
    assertThat(skipped.tally().ineligible()).isEqualTo(1);
    RawPeer next = connect(server);
    register(next, 1);
    next.send("65\n");
    next.expect(BPM_PROMPT);
    assertThat(round(server)).isInstanceOf(RoundOutcome.Forged.class);
  }

  @Test
  void disconnect_releasesTheConnectionAndTheStake() throws Exception {
    // Defects B4/B5: the original kept every closed socket and a spinning goroutine.
    ValidatorServer server = servers.start(TestServers.config());
    List<RawPeer> peers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      RawPeer peer = connect(server);
      register(peer, 1 + i);
      peers.add(peer);
    }
    assertThat(server.validatorCount()).isEqualTo(20);

    for (RawPeer peer : peers) {
      peer.close();
    }

    Await.until("every connection is released", () -> server.connectionCount() == 0);
    assertThat(server.validatorCount()).isZero();
  }

  @Test
  void slowConsumer_isDisconnectedWithoutHoldingUpOthers() throws Exception {
    ValidatorServer server = servers.start(TestServers.config().maxOutboundBufferBytes(16 * 1024));
    RawPeer slow = RawPeer.connect(server.port(), 4096);
    servers.add(slow);
    register(slow, 100);
    TestClient fast = TestClient.connect(server.port(), WAIT);
    servers.add(fast);
    fast.register(100);
    for (int i = 0; i < 30; i++) {
      fast.propose(60 + i);
      fast.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
      round(server);
    }

    // The slow peer reads nothing more: its buffers fill, it falls behind, the server drops it.
    // Each broadcast waits until the fast client has read it, so only the slow one lags.
    fast.inbox().clear();
    for (int i = 0; i < 5_000 && server.connectionCount() > 1; i++) {
      server.broadcastChainNow().get(10, TimeUnit.SECONDS);
      fast.awaitEvent(ServerMessage.ChainUpdate.class, WAIT);
    }

    assertThat(server.connectionCount()).isEqualTo(1);
    fast.inbox().clear();
    fast.propose(99);
    fast.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
    round(server);
    assertThat(fast.awaitEvent(ServerMessage.RoundResult.class, WAIT).forged()).isTrue();
    slow.drainToEnd();
  }

  @Test
  void slashed_peerThatDoesNotRead_isClosedWithinTheGracePeriod() throws Exception {
    // The server closed after writing the last line, and a client that does not read never takes
    // it: a slashed (idle, refused...) connection stayed open for good, holding a slot.
    ValidatorServer server =
        servers.start(
            TestServers.config()
                .maxOutboundBufferBytes(64 << 20)
                .closeGracePeriod(Duration.ofMillis(200)));
    RawPeer stuck = RawPeer.connect(server.port(), 4096);
    servers.add(stuck);
    register(stuck, 100);
    TestClient proposer = TestClient.connect(server.port(), WAIT);
    proposer.register(1);
    for (int i = 0; i < 30; i++) {
      proposer.propose(60 + i);
      proposer.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
      round(server);
    }
    proposer.close();
    Await.until("only the stuck peer is left", () -> server.connectionCount() == 1);
    // Far more than the peer's receive buffer and the server's socket buffer can hold; with a
    // 64 MiB bound the connection never counts as behind, so the server still reads from it.
    int chainBytes = ChainJson.write(server.chain().blocks()).length() + 1;
    for (long sent = 0; sent < 8 << 20; sent += chainBytes) {
      server.broadcastChainNow().get(10, TimeUnit.SECONDS);
    }

    stuck.send("abc\n");

    Await.until("the slashed peer is closed", () -> server.connectionCount() == 0);
    assertThat(server.validatorCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "60\n"})
  void flood_clientNeverReadsWhileTheOwnerIsBusy_readingStopsAndRoundsStayPrompt(String line)
      throws Exception {
    // The server read every line and queued it on the owner thread, which also runs the rounds;
    // reading only stopped once the replies passed the outbound bound. While the owner was busy
    // (so no replies), a client could queue its whole flood: the heap grew towards a gigabyte
    // and the next round waited seconds. Now at most maxPendingLines lines wait for the owner.
    CountDownLatch ownerBusy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ServerListener busyOnStake7 =
        new ServerListener() {
          @Override
          public void onEvent(Instant time, NodeEvent event) {
            if (event instanceof NodeEvent.Registered registered && registered.stake() == 7) {
              ownerBusy.countDown();
              ServerResources.awaitQuietly(release);
            }
          }
        };
    ValidatorServer server = ValidatorServer.start(TestServers.config().build(), busyOnStake7);
    servers.addLast(server);
    SocketChannel flooder = SocketChannel.open();
    servers.add(flooder);
    flooder.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
    flooder.connect(new InetSocketAddress("127.0.0.1", server.port()));
    flooder.write(ByteBuffer.wrap("100\n".getBytes(StandardCharsets.UTF_8)));
    readUntil(flooder, BPM_PROMPT);
    RawPeer proposer = connect(server);
    proposer.expect(STAKE_PROMPT);
    proposer.send("7\n");
    assertThat(ownerBusy.await(10, TimeUnit.SECONDS)).isTrue();

    long flood = 32L << 20;
    long written;
    try {
      written = writeUntilTheServerStopsReading(flooder, line, flood);
    } finally {
      release.countDown();
    }

    assertThat(written).as("bytes the server took while its owner was busy").isLessThan(flood);
    // The owner has at most maxPendingLines of the flooder's lines to handle before this round.
    assertThat(server.runRoundNow().get(2, TimeUnit.SECONDS)).isNotNull();
    proposer.readUntil(BPM_PROMPT);
    proposer.send("70\n");
    proposer.readUntil(BPM_PROMPT);
    assertThat(server.runRoundNow().get(2, TimeUnit.SECONDS))
        .isInstanceOf(RoundOutcome.Forged.class);
  }

  /**
   * Writes {@code line} over and over without reading, until {@code limit} bytes are out or the
   * socket has not taken a byte for a second (the server stopped reading); returns the bytes out.
   */
  private static long writeUntilTheServerStopsReading(
      SocketChannel channel, String line, long limit) throws IOException {
    byte[] bytes = line.repeat(65_536 / line.length()).getBytes(StandardCharsets.UTF_8);
    ByteBuffer chunk = ByteBuffer.wrap(bytes);
    channel.configureBlocking(false);
    long written = 0;
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_WRITE);
      for (int i = 0; i < 10_000_000 && written < limit && selector.select(1000) > 0; i++) {
        selector.selectedKeys().clear();
        if (!chunk.hasRemaining()) {
          chunk.rewind();
        }
        written += channel.write(chunk);
      }
    }
    return written;
  }

  private static void readUntil(SocketChannel channel, String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(256);
    StringBuilder seen = new StringBuilder();
    while (!seen.toString().endsWith(text)) {
      buffer.clear();
      if (channel.read(buffer) < 0) {
        throw new IOException("stream ended before \"" + text + "\"; read: " + seen);
      }
      seen.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void start_portTaken_failsWithAClearMessage() {
    ValidatorServer first = servers.start(TestServers.config());

    assertThatThrownBy(() -> servers.start(TestServers.config().port(first.port())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
  }

  @Test
  void close_tellsEveryConnectionAndIsIdempotent() throws Exception {
    ValidatorServer server = servers.start(TestServers.config());
    RawPeer peer = connect(server);
    register(peer, 100);

    server.close();
    server.close();

    peer.expect("\nclosing: the server is shutting down\n");
    peer.expectEndOfStream();
  }
}
