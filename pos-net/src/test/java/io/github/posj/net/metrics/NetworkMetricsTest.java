package io.github.posj.net.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A network node's /metrics text: a golden file of every posj_ line after a scripted run. */
final class NetworkMetricsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final NetworkMetrics metrics = new NetworkMetrics("9.9.9", () -> 1, nanos::get, false);

  private String posjLines() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.registry().scrape(out);
    return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(line -> line.contains("posj_"))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void scrape_afterAScriptedRun_isTheGoldenText() throws IOException {
    TestNetwork network = TestNetwork.withStakes(10, 20);
    Genesis genesis = network.genesis();
    SignedChainState state = network.start();
    SignedBlock block = network.forge(state, 1, 70);
    SignedChainStore store = metrics.timed(new SlowStore(nanos));
    store.open(genesis);
    store.append(block);

    metrics.head(0, 0);
    metrics.login(true);
    metrics.login(true);
    metrics.login(false);
    metrics.slotStarted(1);
    metrics.accepted(1, 1);
    metrics.refused("late");
    metrics.refused("breaks-rule");
    metrics.refused("late");
    metrics.evidence();
    metrics.slotStarted(2);
    metrics.slotMissed();
    metrics.slotStarted(3);
    metrics.connections(5, 2);

    assertThat(posjLines()).isEqualTo(golden());
  }

  @Test
  void scrape_everyLabel_hasAFixedSmallSetOfValues() {
    String lines = posjLines();

    assertThat(lines)
        .contains(
            "posj_blocks_refused_total{code=\"future-slot\"} 0.0",
            "posj_blocks_refused_total{code=\"forging-stopped\"} 0.0",
            "posj_logins_total{result=\"failed\"} 0.0",
            "posj_connections{mode=\"node\"} 0.0")
        .doesNotContain("validator=");
  }

  private static String golden() throws IOException {
    try (InputStream in =
        NetworkMetricsTest.class.getResourceAsStream("network-metrics-golden.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A store whose appends take 3 ms by the test's clock. */
  private static final class SlowStore implements SignedChainStore {
    private final AtomicLong nanos;
    private final InMemorySignedChainStore store = new InMemorySignedChainStore();

    SlowStore(AtomicLong nanos) {
      this.nanos = nanos;
    }

    @Override
    public Opened open(Genesis genesis) {
      return store.open(genesis);
    }

    @Override
    public void append(SignedBlock block) {
      nanos.addAndGet(3_000_000);
      store.append(block);
    }

    @Override
    public void close() {}
  }
}
