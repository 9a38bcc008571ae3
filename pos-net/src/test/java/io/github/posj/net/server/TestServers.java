package io.github.posj.net.server;

import io.github.posj.core.random.RandomnessSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Server settings for tests: an ephemeral port on 127.0.0.1, rounds only when a test asks. */
final class TestServers {
  /** The fixed time every test block carries. */
  static final Instant NOW = Instant.parse("2026-11-24T05:37:41.440478369Z");

  static final String NOW_TEXT = "2026-11-24 05:37:41.440478369 +0000 UTC";

  private TestServers() {}

  static ServerConfig.Builder config() {
    return ServerConfig.builder()
        .port(0)
        .roundDuration(Duration.ofHours(1))
        .broadcastInterval(Duration.ofHours(1))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .randomness(() -> RandomnessSource.seeded(42));
  }

  static ValidatorServer start(ServerConfig.Builder config) {
    return ValidatorServer.start(config.build(), ServerListener.NONE);
  }
}
