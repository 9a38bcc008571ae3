package io.github.posj.net.load;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.InMemoryChainStore;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.server.ServerConfig;
import io.github.posj.net.server.ServerListener;
import io.github.posj.net.server.ValidatorServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of {@link LoadRun}, in its own JVM so that its memory and CPU are its own: a
 * {@link ValidatorServer} on 127.0.0.1 whose rounds are ticked from standard input.
 *
 * <p>Protocol on the standard streams: it prints {@code listening PORT}; each line {@code round} on
 * stdin runs a round and prints {@code tick EPOCH_MICROS} (the wall-clock time the round started,
 * comparable with the load process's clock on the same machine) and then {@code done}; {@code quit}
 * (or end of input) stops it.
 */
public final class LoadServer {
  private LoadServer() {}

  /**
   * Runs until {@code quit}; args: max connections, then the chain's length (default 1), then
   * {@code http} to serve the HTTP API on a free port (printed as {@code http PORT} after the
   * {@code listening} line; each round then also prints {@code stored EPOCH_MICROS}, when its block
   * was stored, before {@code done}).
   */
  public static void main(String[] args) throws Exception {
    int maxConnections = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Chain chain = BroadcastServer.chain(args.length > 1 ? Integer.parseInt(args[1]) : 1);
    boolean http = args.length > 2 && args[2].equals("http");
    AtomicLong storedMicros = new AtomicLong();
    ServerConfig.Builder builder =
        ServerConfig.builder()
            .chainStore(() -> new StoreClock(new InMemoryChainStore(chain), storedMicros))
            .port(0)
            .roundDuration(Duration.ofHours(1))
            .broadcastInterval(Duration.ofHours(1))
            .maxConnections(maxConnections)
            .randomness(() -> RandomnessSource.seeded(1));
    if (http) {
      builder.http(HttpSettings.onPort(0));
    }
    ServerConfig config = builder.build();
    try (ValidatorServer server = ValidatorServer.start(config, ServerListener.NONE)) {
      serve(
          server,
          line -> {
            if (line.equals("round")) {
              Instant tick = Instant.now();
              var outcome = server.runRoundNow();
              System.out.println("tick " + micros(tick));
              outcome.get(60, TimeUnit.SECONDS);
              if (http) {
                System.out.println("stored " + storedMicros.get());
              }
              System.out.println("done");
              System.out.flush();
            }
          });
    }
  }

  /**
   * Starts a {@code LoadServer} with {@code args} in a JVM of its own (1 GB heap, warnings only,
   * this process's class path, and the JVM options in the environment variable {@code
   * POSJ_LOAD_SERVER_OPTS}, split at spaces: e.g. a JFR recording); its standard error is this
   * process's.
   */
  public static Process startProcess(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    // e.g. POSJ_LOAD_SERVER_OPTS=-XX:StartFlightRecording=filename=server.jfr,settings=profile
    String extra = System.getenv("POSJ_LOAD_SERVER_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.strip().split("\\s+")));
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), LoadServer.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** What a server in a load tool does with one line of its standard input. */
  interface Command {
    /** Handles {@code line}. */
    void run(String line) throws Exception;
  }

  /**
   * Prints {@code listening PORT}, then hands each line of standard input to {@code command}, until
   * {@code quit} or the end of the input.
   */
  static void serve(ValidatorServer server, Command command) throws Exception {
    System.out.println("listening " + server.port());
    server.httpPort().ifPresent(port -> System.out.println("http " + port));
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("quit")) {
      command.run(line);
    }
  }

  /** A store that notes the wall-clock time each append returned (the block is durable then). */
  private record StoreClock(ChainStore store, AtomicLong storedMicros) implements ChainStore {
    @Override
    public Opened open(HashScheme scheme, Block genesis) {
      return store.open(scheme, genesis);
    }

    @Override
    public void append(Block block) {
      store.append(block);
      storedMicros.set(micros(Instant.now()));
    }

    @Override
    public void close() {
      store.close();
    }
  }

  static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
  }
}
