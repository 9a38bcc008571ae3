package io.github.posj.net.server;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a validator server from the command line until {@code pos server} exists: {@code ./mvnw -q
 * -pl pos-net exec:java -Dexec.args="[port] [bind-address] [round-seconds]"}, then {@code nc
 * localhost 9000}. The port also comes from the environment variable {@code PORT} (or {@code ADDR},
 * which the tutorial's first version used). Stops on Ctrl-C.
 *
 * <p>Not thread-safe; run once, from {@code main}.
 */
public final class ServerMain {
  private ServerMain() {}

  /**
   * Runs a server until the process is stopped.
   *
   * @param args optional port (default {@code $PORT}, {@code $ADDR} or 9000), bind address (default
   *     127.0.0.1) and round length in seconds (default 30)
   */
  public static void main(String[] args) throws InterruptedException {
    ServerConfig.Builder config = ServerConfig.builder();
    String port = args.length > 0 ? args[0] : environmentPort();
    if (port != null) {
      config.port(Integer.parseInt(port));
    }
    if (args.length > 1) {
      config.bindAddress(args[1]);
    }
    if (args.length > 2) {
      config.roundDuration(Duration.ofSeconds(Long.parseLong(args[2])));
    }
    ValidatorServer server =
        ValidatorServer.start(config.build(), new PrintingListener(System.out));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "posj-shutdown"));
    new CountDownLatch(1).await();
  }

  private static String environmentPort() {
    String port = System.getenv("PORT");
    if (port == null || port.isEmpty()) {
      port = System.getenv("ADDR");
    }
    return port == null || port.isEmpty() ? null : port;
  }

  /** Prints server events, one line each. */
  private static final class PrintingListener implements ServerListener {
    private final PrintStream out;

    PrintingListener(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onStarted(int port, Block genesis) {
      out.println("listening on port " + port + " (try: nc localhost " + port + ")");
      out.println("genesis: " + ChainJson.write(genesis));
    }

    @Override
    public void onRegistered(ValidatorId validator, long stake) {
      out.println("registered " + validator + " with stake " + stake);
    }

    @Override
    public void onSlashed(ValidatorId validator, String reason) {
      out.println("slashed " + validator + ": " + reason);
    }

    @Override
    public void onRound(long roundNumber, RoundOutcome outcome) {
      if (outcome instanceof RoundOutcome.Forged forged) {
        out.println(
            "round "
                + roundNumber
                + ": winner "
                + forged.winner()
                + ", height "
                + forged.chain().height());
      } else {
        out.println(
            "round "
                + roundNumber
                + ": skipped ("
                + ((RoundOutcome.Skipped) outcome).reason().name().toLowerCase(Locale.ROOT)
                + ")");
      }
    }
  }
}
