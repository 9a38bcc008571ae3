package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.convert.DurationConverter;
import io.github.posj.cli.convert.HashSchemeConverter;
import io.github.posj.cli.options.DataDirectoryChoice;
import io.github.posj.cli.options.EnvironmentDefaults;
import io.github.posj.cli.options.HttpOptions;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.InMemoryChainStore;
import io.github.posj.net.server.ServerConfig;
import io.github.posj.net.server.ValidatorServer;
import io.github.posj.net.store.FileChainStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pos server}: runs a node in the foreground until Ctrl-C. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the node: validators connect (nc localhost 9000, or pos validator), stake tokens and"
          + " propose BPMs; every round a winner is drawn in proportion to stake, its block is"
          + " stored, then announced, and the chain is broadcast.",
      "Prints the genesis block and one line per round; Ctrl-C closes every connection with a"
          + " message and stops.",
      "The port comes from --port, else PORT or ADDR in the environment, else a .env file in the"
          + " working directory, else 9000."
    })
public final class ServerCommand implements Callable<Integer> {
  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9000",
      description = "TCP port; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default ${DEFAULT-VALUE}: this machine only; the protocol has no"
              + " authentication; 0.0.0.0 for every interface).")
  String bind;

  @Option(
      names = "--round-seconds",
      paramLabel = "DURATION",
      defaultValue = "30",
      converter = DurationConverter.class,
      description = "Round length: 30, 0.5, 500ms, 2m (default ${DEFAULT-VALUE} seconds).")
  Duration round;

  @Option(
      names = "--broadcast-seconds",
      paramLabel = "DURATION",
      defaultValue = "60",
      converter = DurationConverter.class,
      description =
          "How often the whole chain is sent to everyone (default ${DEFAULT-VALUE} seconds); it"
              + " is also sent after every forged block.")
  Duration broadcast;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Draw winners from a reproducible seeded stream (tests, demos): anyone who knows the"
              + " seed can predict them. Without it the server uses SecureRandom. From the"
              + " environment: POS_SERVER_SEED (not POS_SEED).")
  Long seed;

  @Option(
      names = "--hash-scheme",
      paramLabel = "SCHEME",
      defaultValue = "posj",
      converter = HashSchemeConverter.class,
      description =
          "posj (default: covers every field, including the validator) or go-tutorial (the"
              + " original's formula).")
  HashScheme scheme;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the chain is stored (default ./pos-data); exclusive with --in-memory.")
  Path dataDirectory;

  @Option(
      names = "--in-memory",
      description = "Keep the chain in memory only: it is lost when the server stops.")
  boolean inMemory;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Most connections at once (default ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-line-length",
      paramLabel = "BYTES",
      defaultValue = "1024",
      description = "Longest line a client may send (default ${DEFAULT-VALUE}).")
  int maxLineLength;

  @Option(
      names = "--min-stake",
      paramLabel = "TOKENS",
      defaultValue = "1",
      description = "Smallest stake accepted (default ${DEFAULT-VALUE}).")
  long minStake;

  @Option(
      names = "--max-stake",
      paramLabel = "TOKENS",
      defaultValue = "100000000000000",
      description = "Largest stake accepted (default ${DEFAULT-VALUE}).")
  long maxStake;

  @Option(
      names = "--max-proposals-per-round",
      paramLabel = "N",
      defaultValue = "10",
      description = "Proposals one validator may make per round (default ${DEFAULT-VALUE}).")
  int maxProposals;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "How long a connection may stay silent before it stakes (default 5m).")
  Duration idleTimeout;

  @Option(
      names = "--max-idle-rounds",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Close a registered validator after N rounds in a row without a proposal (default"
              + " ${DEFAULT-VALUE}: never; validators may watch).")
  int maxIdleRounds;

  @Option(
      names = "--evict-idle-after-rounds",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "When the server is full, a new connection takes the place of the validator idle the"
              + " longest, if it made no proposal in N rounds or more (default ${DEFAULT-VALUE};"
              + " 0: never).")
  int evictIdleAfterRounds;

  @Mixin HttpOptions http;

  ServerCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    Optional<Path> directory = chainDirectory();
    ServerConfig config = config(directory);
    seedWarning().ifPresent(environment.err()::println);
    PrintStream out = environment.out();
    String storage = directory.map(Path::toString).orElse("in memory (lost on exit)");
    ValidatorServer server;
    try {
      server =
          ValidatorServer.start(config, new ServerConsole(out, storage, ZoneId.systemDefault()));
    } catch (ChainStoreException | IllegalStateException | IllegalArgumentException e) {
      throw new CommandFailure(e.getMessage());
    }
    server.httpPort().ifPresent(port -> out.println(http.listening(port)));
    try {
      environment.stop().await();
      out.println("stopping: closing connections");
    } finally {
      server.close();
      out.println("stopped");
      out.flush();
    }
    return PosCommand.OK;
  }

  ServerConfig config(Optional<Path> directory) {
    Supplier<ChainStore> store =
        directory.isEmpty() ? InMemoryChainStore::new : () -> new FileChainStore(directory.get());
    ServerConfig.Builder builder =
        ServerConfig.builder()
            .bindAddress(bind)
            .port(port)
            .roundDuration(round)
            .broadcastInterval(broadcast)
            .hashScheme(scheme)
            .maxConnections(maxConnections)
            .maxLineLength(maxLineLength)
            .minStake(minStake)
            .maxStake(maxStake)
            .maxProposalsPerRound(maxProposals)
            .idleTimeout(idleTimeout)
            .maxIdleRounds(maxIdleRounds)
            .evictIdleAfterRounds(evictIdleAfterRounds)
            .chainStore(store);
    if (seed != null) {
      long s = seed;
      builder.randomness(() -> RandomnessSource.seeded(s));
    } else {
      builder.randomness(() -> RandomnessSource.from(new SecureRandom()));
    }
    http.settings().ifPresent(builder::http);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(e.getMessage(), PosCommand.USAGE);
    }
  }

  /** A warning that the winners are predictable, naming where the seed came from, if seeded. */
  Optional<String> seedWarning() {
    if (seed == null) {
      return Optional.empty();
    }
    String source =
        spec.commandLine().getParseResult().hasMatchedOption("--seed")
            ? "--seed " + seed
            : EnvironmentDefaults.of(spec)
                .setting(spec.findOption("--seed"))
                .map(EnvironmentDefaults.Setting::describe)
                .orElse("seed " + seed);
    return Optional.of(
        "warning: winners are drawn from a predictable stream ("
            + source
            + "): anyone who knows the seed can predict them; for demos and tests only");
  }

  /**
   * Where the chain is kept: a directory, or empty for in memory. A {@code --data-dir} or {@code
   * --in-memory} flag wins over {@code POS_DATA_DIR} and {@code POS_IN_MEMORY} (environment or
   * {@code .env}); both of those set is a usage error rather than a silent choice.
   */
  Optional<Path> chainDirectory() {
    return DataDirectoryChoice.of(spec, environment, dataDirectory, "pos-data");
  }
}
