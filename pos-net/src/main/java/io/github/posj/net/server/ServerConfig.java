package io.github.posj.net.server;

import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.node.NodeRules;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.InMemoryChainStore;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.protocol.ProtocolLimits;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A validator server's settings. Build with {@link #builder()}; every setting has a default.
 *
 * <p>Immutable; thread-safe. The server calls the suppliers once, and the clock whenever it needs
 * the time, on its owner thread.
 *
 * @param bindAddress the address to listen on; default {@code 127.0.0.1}: the protocol has no
 *     authentication, so the server is reachable from this machine only unless the operator asks
 *     for more (e.g. {@code 0.0.0.0}); the tutorial listened on every interface (B16)
 * @param port the TCP port; default 9000 (the tutorial's); 0 picks a free one ({@link
 *     ValidatorServer#port()} tells which)
 * @param roundDuration how often a round picks a winner: the time from the end of one round to the
 *     start of the next (missed rounds are not caught up); default 30 s (the tutorial's)
 * @param broadcastInterval how often the chain is sent to every connection; default 60 s (the
 *     tutorial's); it is also sent right after every forged block, and a periodic broadcast less
 *     than an interval after such a push is skipped
 * @param hashScheme the scheme new blocks are sealed with; default {@link HashScheme#posj()}
 * @param randomness makes the source each server draws winners from, called once at start; default
 *     a {@link SecureRandom} (never a time seed: B14)
 * @param clock the clock for block timestamps ({@code GoTimestamp.format(clock.instant())}) and the
 *     genesis block; default the UTC system clock
 * @param maxLineLength the longest line a client may send, in bytes; default 1024
 * @param maxPendingLines the most lines one connection may have read by the server but not yet
 *     handled; at this many the server stops reading from it until half of them are handled (TCP
 *     then slows the client down), so a client that sends faster than the server answers queues no
 *     unbounded work ahead of the rounds; default 16
 * @param maxConnections the most connections at once; further ones get a polite line and are
 *     closed; default 10,000
 * @param minStake the smallest stake accepted; default 1 (the tutorial accepted 0 and negatives)
 * @param maxStake the largest stake accepted; default 10<sup>14</sup>, so that {@code
 *     maxConnections} validators at the maximum stake still add up to less than {@link
 *     Long#MAX_VALUE} (the total is checked anyway: a stake that would overflow it is refused)
 * @param maxStakeAttempts invalid stakes tolerated before the connection is closed; default 3. The
 *     same bound applies, counted apart, to the other requests refused before a stake (an unknown
 *     JSON type, a propose, a second hello)
 * @param maxProposalsPerRound proposals one validator may make per round; further ones get an error
 *     line (no slashing); default 10
 * @param maxBlankLines empty (or blank) lines in a row that the text mode's BPM prompt tolerates,
 *     answering each with the prompt (a stray Enter; the tutorial slashed it, B11); one more closes
 *     the connection (the validator leaves; it is not slashed), so that a stream of empty lines is
 *     not free; default 10
 * @param idleTimeout how long a connection may stay silent before registering; default 5 min
 * @param maxIdleRounds rounds in a row without an accepted proposal after which a registered
 *     validator is closed with a line (it may reconnect); default 0: never (the tutorial's
 *     validators may sit and watch), so only a full server reclaims idle slots ({@code
 *     evictIdleAfterRounds})
 * @param evictIdleAfterRounds when the server is full, a new connection is admitted in place of the
 *     registered validator that has gone the most rounds in a row without an accepted proposal, if
 *     that is at least this many (it is closed with a line); so idle registrations can never hold
 *     every slot; default 2; 0: never evict
 * @param maxOutboundBufferBytes the bytes that may wait to be written to one connection (Netty's
 *     high water mark); past it the connection is behind: it skips chain broadcasts, and is dropped
 *     as a slow consumer when behind at three in a row; default 1 MiB
 * @param closeGracePeriod how long the server waits for a client to take its last line ({@code
 *     closing: …}, {@code slashed: …}) before it closes the connection anyway; a connection that is
 *     already behind is closed at once, without the line; default 2 s
 * @param chainStore makes the store the chain is loaded from and every forged block is written to
 *     before it is announced, called once at start; default an {@link InMemoryChainStore} (nothing
 *     survives the process); the CLI uses a {@code FileChainStore} in {@code --data-dir}. A new
 *     store starts with a genesis block at {@code clock}'s time; a stored chain must be valid under
 *     {@code hashScheme}
 * @param http the HTTP API's settings ({@code docs/api.md}); default empty: no HTTP port
 */
public record ServerConfig(
    String bindAddress,
    int port,
    Duration roundDuration,
    Duration broadcastInterval,
    HashScheme hashScheme,
    Supplier<RandomnessSource> randomness,
    Clock clock,
    int maxLineLength,
    int maxPendingLines,
    int maxConnections,
    long minStake,
    long maxStake,
    int maxStakeAttempts,
    int maxProposalsPerRound,
    int maxBlankLines,
    Duration idleTimeout,
    int maxIdleRounds,
    int evictIdleAfterRounds,
    int maxOutboundBufferBytes,
    Duration closeGracePeriod,
    Supplier<ChainStore> chainStore,
    Optional<HttpSettings> http) {

  /** The default port, the tutorial's. */
  public static final int DEFAULT_PORT = 9000;

  /** The default largest stake, 10<sup>14</sup> tokens. */
  public static final long DEFAULT_MAX_STAKE = 100_000_000_000_000L;

  /** Checks the settings. */
  public ServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(roundDuration, "roundDuration");
    Objects.requireNonNull(broadcastInterval, "broadcastInterval");
    Objects.requireNonNull(hashScheme, "hashScheme");
    Objects.requireNonNull(randomness, "randomness");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(closeGracePeriod, "closeGracePeriod");
    Objects.requireNonNull(chainStore, "chainStore");
    Objects.requireNonNull(http, "http");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port is in [0, 65535], got " + port);
    }
    positive("roundDuration", roundDuration);
    positive("broadcastInterval", broadcastInterval);
    positive("idleTimeout", idleTimeout);
    positive("closeGracePeriod", closeGracePeriod);
    atLeast("maxLineLength", maxLineLength, 32);
    atLeast("maxPendingLines", maxPendingLines, 1);
    atLeast("maxConnections", maxConnections, 1);
    atLeast("maxStakeAttempts", maxStakeAttempts, 1);
    atLeast("maxProposalsPerRound", maxProposalsPerRound, 1);
    atLeast("maxBlankLines", maxBlankLines, 0);
    atLeast("maxIdleRounds", maxIdleRounds, 0);
    atLeast("evictIdleAfterRounds", evictIdleAfterRounds, 0);
    atLeast("maxOutboundBufferBytes", maxOutboundBufferBytes, 1024);
    new NodeRules(minStake, maxStake, maxProposalsPerRound);
  }

  /** The node's rules among these settings: the stake range and the proposals per round. */
  public NodeRules nodeRules() {
    return new NodeRules(minStake, maxStake, maxProposalsPerRound);
  }

  private static void positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          name + " must be positive, got " + value.toMillis() + " ms");
    }
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
  }

  /** The defaults. */
  public static ServerConfig defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.bindAddress = bindAddress;
    b.port = port;
    b.roundDuration = roundDuration;
    b.broadcastInterval = broadcastInterval;
    b.hashScheme = hashScheme;
    b.randomness = randomness;
    b.clock = clock;
    b.maxLineLength = maxLineLength;
    b.maxPendingLines = maxPendingLines;
    b.maxConnections = maxConnections;
    b.minStake = minStake;
    b.maxStake = maxStake;
    b.maxStakeAttempts = maxStakeAttempts;
    b.maxProposalsPerRound = maxProposalsPerRound;
    b.maxBlankLines = maxBlankLines;
    b.idleTimeout = idleTimeout;
    b.maxIdleRounds = maxIdleRounds;
    b.evictIdleAfterRounds = evictIdleAfterRounds;
    b.maxOutboundBufferBytes = maxOutboundBufferBytes;
    b.closeGracePeriod = closeGracePeriod;
    b.chainStore = chainStore;
    b.http = http;
    return b;
  }

  /** Builds a {@link ServerConfig}; each setter documents nothing new: see the record. */
  public static final class Builder {
    private String bindAddress = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private Duration roundDuration = Duration.ofSeconds(30);
    private Duration broadcastInterval = Duration.ofSeconds(60);
    private HashScheme hashScheme = HashScheme.posj();
    private Supplier<RandomnessSource> randomness = () -> RandomnessSource.from(new SecureRandom());
    private Clock clock = Clock.systemUTC();
    private int maxLineLength = ProtocolLimits.DEFAULT_MAX_LINE_LENGTH;
    private int maxPendingLines = 16;
    private int maxConnections = 10_000;
    private long minStake = 1;
    private long maxStake = DEFAULT_MAX_STAKE;
    private int maxStakeAttempts = 3;
    private int maxProposalsPerRound = 10;
    private int maxBlankLines = 10;
    private Duration idleTimeout = Duration.ofMinutes(5);
    private int maxIdleRounds = 0;
    private int evictIdleAfterRounds = 2;
    private int maxOutboundBufferBytes = 1 << 20;
    private Duration closeGracePeriod = Duration.ofSeconds(2);
    private Supplier<ChainStore> chainStore = InMemoryChainStore::new;
    private Optional<HttpSettings> http = Optional.empty();

    private Builder() {}

    /** Sets {@link ServerConfig#bindAddress()}. */
    public Builder bindAddress(String value) {
      bindAddress = value;
      return this;
    }

    /** Sets {@link ServerConfig#port()}. */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /** Sets {@link ServerConfig#roundDuration()}. */
    public Builder roundDuration(Duration value) {
      roundDuration = value;
      return this;
    }

    /** Sets {@link ServerConfig#broadcastInterval()}. */
    public Builder broadcastInterval(Duration value) {
      broadcastInterval = value;
      return this;
    }

    /** Sets {@link ServerConfig#hashScheme()}. */
    public Builder hashScheme(HashScheme value) {
      hashScheme = value;
      return this;
    }

    /** Sets {@link ServerConfig#randomness()}. */
    public Builder randomness(Supplier<RandomnessSource> value) {
      randomness = value;
      return this;
    }

    /** Sets {@link ServerConfig#clock()}. */
    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    /** Sets {@link ServerConfig#maxLineLength()}. */
    public Builder maxLineLength(int value) {
      maxLineLength = value;
      return this;
    }

    /** Sets {@link ServerConfig#maxPendingLines()}. */
    public Builder maxPendingLines(int value) {
      maxPendingLines = value;
      return this;
    }

    /** Sets {@link ServerConfig#maxConnections()}. */
    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    /** Sets {@link ServerConfig#minStake()}. */
    public Builder minStake(long value) {
      minStake = value;
      return this;
    }

    /** Sets {@link ServerConfig#maxStake()}. */
    public Builder maxStake(long value) {
      maxStake = value;
      return this;
    }

    /** Sets {@link ServerConfig#maxStakeAttempts()}. */
    public Builder maxStakeAttempts(int value) {
      maxStakeAttempts = value;
      return this;
    }

    /** Sets {@link ServerConfig#maxProposalsPerRound()}. */
    public Builder maxProposalsPerRound(int value) {
      maxProposalsPerRound = value;
      return this;
    }

    /** Sets {@link ServerConfig#maxBlankLines()}. */
    public Builder maxBlankLines(int value) {
      maxBlankLines = value;
      return this;
    }

    /** Sets {@link ServerConfig#maxIdleRounds()}. */
    public Builder maxIdleRounds(int value) {
      maxIdleRounds = value;
      return this;
    }

    /** Sets {@link ServerConfig#evictIdleAfterRounds()}. */
    public Builder evictIdleAfterRounds(int value) {
      evictIdleAfterRounds = value;
      return this;
    }

    /** Sets {@link ServerConfig#idleTimeout()}. */
    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    /** Sets {@link ServerConfig#maxOutboundBufferBytes()}. */
    public Builder maxOutboundBufferBytes(int value) {
      maxOutboundBufferBytes = value;
      return this;
    }

    /** Sets {@link ServerConfig#closeGracePeriod()}. */
    public Builder closeGracePeriod(Duration value) {
      closeGracePeriod = value;
      return this;
    }

    /** Sets {@link ServerConfig#chainStore()}. */
    public Builder chainStore(Supplier<ChainStore> value) {
      chainStore = value;
      return this;
    }

    /** Sets {@link ServerConfig#http()}: the HTTP API with these settings. */
    public Builder http(HttpSettings value) {
      http = Optional.of(value);
      return this;
    }

    /**
     * Starts from {@code value} held in memory: shorthand for a {@link #chainStore} of {@code new
     * InMemoryChainStore(value)}. Its scheme must be the server's {@link #hashScheme}, or the start
     * fails.
     */
    public Builder initialChain(Chain value) {
      Objects.requireNonNull(value, "value");
      chainStore = () -> new InMemoryChainStore(value);
      return this;
    }

    /** The configuration; checks every setting. */
    public ServerConfig build() {
      return new ServerConfig(
          bindAddress,
          port,
          roundDuration,
          broadcastInterval,
          hashScheme,
          randomness,
          clock,
          maxLineLength,
          maxPendingLines,
          maxConnections,
          minStake,
          maxStake,
          maxStakeAttempts,
          maxProposalsPerRound,
          maxBlankLines,
          idleTimeout,
          maxIdleRounds,
          evictIdleAfterRounds,
          maxOutboundBufferBytes,
          closeGracePeriod,
          chainStore,
          http);
    }
  }
}
