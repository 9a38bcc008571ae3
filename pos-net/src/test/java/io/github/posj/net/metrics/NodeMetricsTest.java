package io.github.posj.net.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.testing.TestBlocks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The /metrics text: a golden file of every posj_ line after a scripted run. */
final class NodeMetricsTest {
  private static final Instant T0 = Instant.parse("2026-11-24T05:37:40Z");
  private static final ValidatorId ALICE = ValidatorId.derive(new byte[] {1});
  private static final RoundOutcome.Tally TALLY = new RoundOutcome.Tally(1, 0, 0, 1, 100);

  private final AtomicLong nanos = new AtomicLong();
  private final NodeMetrics metrics = new NodeMetrics("9.9.9", () -> 2, nanos::get, false);

  private String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.registry().scrape(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void scrape_afterAScriptedRun_isTheGoldenText() throws IOException {
    Chain chain = TestBlocks.chain(HashScheme.posj(), 2);
    Block block = chain.head();
    ChainStore store = metrics.timed(new SlowStore(nanos));
    store.open(HashScheme.posj(), chain.genesisBlock());
    store.append(block);

    metrics.record(T0, new NodeEvent.Registered(ALICE, 100, 1));
    metrics.record(T0, new NodeEvent.ProposalAccepted(ALICE, block));
    metrics.record(
        T0,
        new NodeEvent.ProposalRefused(
            ALICE, NodeEvent.ProposalRefused.Reason.TOO_MANY_PROPOSALS, 10));
    metrics.record(
        T0.plusSeconds(30),
        new NodeEvent.RoundEnded(1, new RoundOutcome.Forged(chain, block, ALICE, TALLY), 1));
    metrics.record(
        T0.plusSeconds(60),
        new NodeEvent.RoundEnded(
            2, new RoundOutcome.Skipped(RoundOutcome.SkipReason.NO_PROPOSALS, TALLY), 1));
    metrics.record(T0.plusSeconds(61), new NodeEvent.Slashed(ALICE, 100, "abc"));
    metrics.chainAndStakes(1, 0, 0);
    metrics.connections(3, 1);

    String posjLines =
        Arrays.stream(scrape().split("\n"))
            .filter(line -> line.contains("posj_"))
            .collect(Collectors.joining("\n", "", "\n"));

    assertThat(posjLines).isEqualTo(golden());
  }

  @Test
  void scrape_withJvmMetrics_addsTheStandardJvmNames() {
    NodeMetrics withJvm = new NodeMetrics("9.9.9", () -> 0, System::nanoTime, true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    withJvm.registry().scrape(out);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("jvm_memory_used_bytes{", "jvm_threads_current ", "process_cpu_seconds_total ");
  }

  private static String golden() throws IOException {
    try (InputStream in = NodeMetricsTest.class.getResourceAsStream("metrics-golden.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A store whose appends take 3 ms by the test's clock. */
  private static final class SlowStore implements ChainStore {
    private final AtomicLong nanos;

    SlowStore(AtomicLong nanos) {
      this.nanos = nanos;
    }

    @Override
    public Opened open(HashScheme scheme, Block genesis) {
      return new Opened(Chain.genesis(scheme, genesis.timestamp()), List.of());
    }

    @Override
    public void append(Block block) {
      nanos.addAndGet(3_000_000);
    }

    @Override
    public void close() {}
  }
}
