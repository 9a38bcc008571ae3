package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.server.ServerListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code pos server} prints, from events made by hand. */
final class ServerConsoleTest {
  private static final Instant AT = Instant.parse("2026-11-30T08:42:20Z");
  private static final ValidatorId ALICE = ValidatorId.derive(new byte[] {1});
  private static final Chain CHAIN =
      Chain.genesis(HashScheme.posj(), "2026-11-24 05:37:39 +0000 UTC");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final ServerConsole console =
      new ServerConsole(
          new PrintStream(bytes, true, StandardCharsets.UTF_8), "/data", ZoneOffset.UTC);

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void onStarted_restartedChain_saysItsHeightHeadSchemeAddressAndRoundLength() {
    Block head = CHAIN.nextBlock(72, "t", ALICE);
    console.onStarted(
        new ServerListener.Started(
            "0.0.0.0", 9000, "posj", 42, head, Duration.ofSeconds(30), List.of("torn line moved")));

    assertThat(lines())
        .containsExactly(
            "storage: /data",
            "chain: height 42 loaded, head " + head.hash().hex() + ", posj hash scheme",
            "repaired: torn line moved",
            "listening on port 9000 (address 0.0.0.0), a round every 30 s",
            "stop with Ctrl-C");
  }

  @Test
  void onStarted_newChain_showsTheGenesisBlock() {
    console.onStarted(
        new ServerListener.Started(
            "127.0.0.1", 1, "go-tutorial", 0, CHAIN.head(), Duration.ofMillis(500), List.of()));

    assertThat(lines().get(1)).startsWith("chain: new, go-tutorial hash scheme; genesis block: {");
    assertThat(lines().get(2)).endsWith("a round every 500 ms");
  }

  @Test
  void onEvent_eachLineHasTheTimeAndSingularsAreSingular() {
    console.onEvent(AT, new NodeEvent.Registered(ALICE, 1, 1));
    console.onEvent(
        AT,
        new NodeEvent.RoundEnded(
            7,
            new RoundOutcome.Forged(
                CHAIN, CHAIN.head(), ALICE, new RoundOutcome.Tally(1, 0, 0, 1, 1)),
            3));
    console.onEvent(
        AT,
        new NodeEvent.RoundEnded(
            8,
            new RoundOutcome.Skipped(
                RoundOutcome.SkipReason.NO_PROPOSALS, new RoundOutcome.Tally(0, 0, 0, 0, 0)),
            3));
    console.onEvent(AT, new NodeEvent.Left(ALICE, 1, 0));

    assertThat(lines())
        .containsExactly(
            "08:42:20 validator " + ALICE.hex() + " joined with stake 1 (1 validator)",
            "08:42:20 round 7: winner "
                + ALICE.hex()
                + " (BPM 0) of 1 validator, 1 proposal; height 3",
            "08:42:20 round 8: no block (no proposals), 0 proposals",
            "08:42:20 validator "
                + ALICE.hex()
                + " left; its stake of 1 token is released (0 validators)");
  }

  @Test
  void onEvent_slashing_namesTheValidatorOnceAndEscapesItsText() {
    console.onEvent(AT, new NodeEvent.Slashed(ALICE, 50, "a\u001b[2Jb"));

    assertThat(lines())
        .containsExactly(
            "08:42:20 validator "
                + ALICE.hex()
                + " slashed: BPM \"a\\u001b[2Jb\" is not an integer; 50 tokens forfeited");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b");
  }

  @Test
  void onEvent_storeFailure_printsOneLineForTheRoundAndStopsOnce() {
    Block block = CHAIN.nextBlock(72, "t", ALICE);
    console.onEvent(AT, new NodeEvent.BlockNotStored(4, block, "disk full", true));
    console.onEvent(
        AT,
        new NodeEvent.RoundEnded(
            4,
            new RoundOutcome.Skipped(
                RoundOutcome.SkipReason.STORE_FAILED, new RoundOutcome.Tally(1, 0, 0, 1, 1)),
            0));
    console.onEvent(AT, new NodeEvent.ForgingStopped("disk full"));
    console.onEvent(
        AT,
        new NodeEvent.ProposalRefused(ALICE, NodeEvent.ProposalRefused.Reason.FORGING_STOPPED, 0));

    assertThat(lines())
        .containsExactly(
            "08:42:20 round 4: block 1 could NOT be stored, so it was not announced: disk full",
            "08:42:20 forging STOPPED: disk full; no more rounds until the server is restarted"
                + " (the chain is still served)");
  }
}
