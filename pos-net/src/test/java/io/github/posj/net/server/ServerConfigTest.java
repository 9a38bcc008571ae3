package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.InMemoryChainStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class ServerConfigTest {
  @Test
  void defaults_areTheDocumentedOnes() {
    ServerConfig config = ServerConfig.defaults();

    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.roundDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.broadcastInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.hashScheme()).isEqualTo(HashScheme.posj());
    assertThat(config.maxLineLength()).isEqualTo(1024);
    assertThat(config.maxConnections()).isEqualTo(10_000);
    assertThat(config.minStake()).isEqualTo(1);
    assertThat(config.maxStake()).isEqualTo(100_000_000_000_000L);
    assertThat(config.maxStakeAttempts()).isEqualTo(3);
    assertThat(config.maxProposalsPerRound()).isEqualTo(10);
    assertThat(config.maxBlankLines()).isEqualTo(10);
    assertThat(config.maxPendingLines()).isEqualTo(16);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.maxOutboundBufferBytes()).isEqualTo(1 << 20);
    assertThat(config.closeGracePeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.chainStore().get()).isInstanceOf(InMemoryChainStore.class);
    assertThat(config.randomness().get()).isNotNull();
  }

  @Test
  void defaults_maxConnectionsAtMaxStake_cannotOverflowTheTotal() {
    ServerConfig config = ServerConfig.defaults();

    assertThat(Math.multiplyHigh(config.maxStake(), config.maxConnections())).isZero();
    assertThat(config.maxStake() * config.maxConnections()).isPositive();
  }

  @Test
  void defaults_randomness_isFreshSecureRandomNotATimeSeed() {
    // Defect B14: the original re-seeded from Unix seconds, so two sources made in the same
    // second drew the same winners.
    ServerConfig config = ServerConfig.defaults();

    long first = config.randomness().get().nextLong();
    long second = config.randomness().get().nextLong();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void build_invalidSettings_throwWithTheValue() {
    assertThatThrownBy(() -> ServerConfig.builder().port(70_000).build())
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> ServerConfig.builder().minStake(0).build())
        .hasMessageContaining("minStake");
    assertThatThrownBy(() -> ServerConfig.builder().roundDuration(Duration.ZERO).build())
        .hasMessage("roundDuration must be positive, got 0 ms");
    assertThatThrownBy(() -> ServerConfig.builder().closeGracePeriod(Duration.ZERO).build())
        .hasMessageContaining("closeGracePeriod");
  }

  @Test
  void initialChain_isHeldInMemoryAndRefusedUnderAnotherScheme() {
    Chain tutorial = Chain.genesis(HashScheme.goTutorial(), "2026-11-24 05:37:39 +0000 UTC");
    ServerConfig config = ServerConfig.builder().initialChain(tutorial).build();

    try (ChainStore store = config.chainStore().get()) {
      assertThatThrownBy(() -> store.open(HashScheme.posj(), tutorial.genesisBlock()))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("go-tutorial");
    }
    try (ChainStore store = config.chainStore().get()) {
      assertThat(store.open(HashScheme.goTutorial(), tutorial.genesisBlock()).chain())
          .isSameAs(tutorial);
    }
  }

  @Test
  void toBuilder_unchanged_buildsAnEqualConfig() {
    ServerConfig config = ServerConfig.builder().port(0).maxStake(99).build();

    assertThat(config.toBuilder().build()).isEqualTo(config);
  }
}
