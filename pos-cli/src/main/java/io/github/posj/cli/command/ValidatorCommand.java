package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.convert.DurationConverter;
import io.github.posj.cli.convert.StakeRange;
import io.github.posj.cli.convert.StakeRangeConverter;
import io.github.posj.cli.options.EnvironmentDefaults;
import io.github.posj.cli.report.FairnessReport;
import io.github.posj.cli.report.Quantity;
import io.github.posj.core.block.Block;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.net.client.FleetConfig;
import io.github.posj.net.client.FleetListener;
import io.github.posj.net.client.FleetMember;
import io.github.posj.net.client.FleetState;
import io.github.posj.net.client.FleetSummary;
import io.github.posj.net.client.HandshakeException;
import io.github.posj.net.client.Schedule;
import io.github.posj.net.client.StakeRefusedException;
import io.github.posj.net.client.Ticker;
import io.github.posj.net.client.ValidatorFleet;
import io.github.posj.net.codec.ReasonText;
import io.github.posj.net.protocol.ServerMessage;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pos validator}: one scripted validator, or many from one process ({@code --count}), over
 * the JSON-lines protocol. A thin layer over {@link ValidatorFleet}: options in, lines out.
 */
@Command(
    name = "validator",
    mixinStandardHelpOptions = true,
    description = {
      "Connects to a server as a validator: stakes tokens, proposes a BPM in every round (or"
          + " every --every, or --once), and prints registrations, round results and the chain"
          + " height. Stops after --rounds rounds, or on Ctrl-C.",
      "With --count N, runs N validators from this process with stakes drawn from"
          + " --stake-range, and prints wins per validator against their expected share.",
      "Exit codes: 0 done, 1 server unreachable, stake refused, slashed or connection lost."
    })
public final class ValidatorCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long DEFAULT_STAKE = 100;

  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Server host (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9000",
      description = "Server port (default ${DEFAULT-VALUE}; also PORT or ADDR, as for the server).")
  int port;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description =
          "Network mode: the validator's key file (pos keygen, pos devnet init); logs in to a"
              + " pos node and signs a block in each slot it leads. Exclusive with --stake.")
  Path keyFile;

  @Option(
      names = "--node",
      paramLabel = "HOST:PORT",
      description = "Network mode: the node to connect to (default: --host and --port).")
  String node;

  @Option(
      names = "--genesis",
      paramLabel = "FILE",
      description =
          "Network mode: sign only for the chain of this genesis file (default: the node's).")
  Path genesisFile;

  @Option(
      names = "--protection",
      paramLabel = "FILE",
      description =
          "Network mode: the slashing-protection file (default: the key file's name +"
              + " .protection).")
  Path protectionFile;

  @Option(
      names = "--stake",
      paramLabel = "TOKENS",
      description = "Tokens to stake (one validator); default 100.")
  Long stake;

  @Option(
      names = "--bpm",
      paramLabel = "BPM",
      defaultValue = "72",
      description = "The BPM to propose (default ${DEFAULT-VALUE}).")
  long bpm;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Propose on this interval instead of once per round (e.g. 5s); exclusive with --once.")
  Duration every;

  @Option(
      names = "--once",
      description = "Propose a single time, then only watch; exclusive with --every.")
  boolean once;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N round results (default 0: run until Ctrl-C).")
  long rounds;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "1",
      description = "Run N validators from this process (at most 2000).")
  int count;

  @Option(
      names = "--stake-range",
      paramLabel = "MIN..MAX",
      converter = StakeRangeConverter.class,
      description = "With --count: stakes drawn uniformly from MIN..MAX (default 1..100).")
  StakeRange stakeRange;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seed for the --stake-range draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--top",
      paramLabel = "N",
      description =
          "With --count: rows in the summary, the N largest stakes (default: every validator up"
              + " to 50, else 20).")
  Integer top;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long to wait to connect and register (default 10s).")
  Duration timeout;

  ValidatorCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (keyFile != null) {
      return callNetworkMode();
    }
    resolveSchedule();
    FleetConfig config = config();
    PrintStream out = environment.out();
    Printer printer = new Printer(out);
    ValidatorFleet fleet = connect(config, printer);
    try (fleet) {
      if (count > 1) {
        out.printf(
            Locale.ROOT,
            "connected and registered %d validators (stakes %s)%n",
            count,
            stakeRange());
      }
      FleetState state = fleet.state();
      while (state instanceof FleetState.Running) {
        if (environment.stop().requested()) {
          out.println("stopping (Ctrl-C)");
          break;
        }
        state = fleet.advance(POLL);
      }
      // What the fleet saw is worth printing even when the server ended the run.
      summarize(fleet.summary(), out);
      if (state instanceof FleetState.Slashed slashed) {
        throw new CommandFailure(
            (count == 1 ? "slashed: " : "validator v" + slashed.member().number() + " slashed: ")
                + slashed.reason());
      }
      if (state instanceof FleetState.Disconnected end) {
        throw new CommandFailure("the server closed the connection: " + end.reason());
      }
      return PosCommand.OK;
    } finally {
      out.flush();
    }
  }

  /** Checks the options (before connecting) and turns them into the fleet's settings. */
  private FleetConfig config() {
    if (count < 1 || count > FleetConfig.MAX_MEMBERS) {
      throw new CommandFailure(
          "--count is 1 to " + FleetConfig.MAX_MEMBERS + ", got " + count, PosCommand.USAGE);
    }
    if (rounds < 0) {
      throw new CommandFailure("--rounds must be >= 0, got " + rounds, PosCommand.USAGE);
    }
    if (count == 1 && stakeRange != null) {
      throw new CommandFailure("--stake-range goes with --count", PosCommand.USAGE);
    }
    if (top != null && (count == 1 || top < 1)) {
      throw new CommandFailure(
          count == 1 ? "--top goes with --count" : "--top must be at least 1, got " + top,
          PosCommand.USAGE);
    }
    if (count > 1 && stake != null) {
      throw new CommandFailure(
          "--stake is for one validator; with --count use --stake-range", PosCommand.USAGE);
    }
    if (stake != null && stake < 1) {
      throw new CommandFailure("--stake must be at least 1 token, got " + stake, PosCommand.USAGE);
    }
    List<Long> stakes = new ArrayList<>();
    if (count == 1) {
      stakes.add(stake == null ? DEFAULT_STAKE : stake);
    } else {
      StakeRange range = stakeRange();
      RandomnessSource draws = RandomnessSource.seeded(seed);
      for (int i = 0; i < count; i++) {
        stakes.add(range.min() + draws.nextLong(range.max() - range.min() + 1));
      }
    }
    Schedule schedule =
        once
            ? new Schedule.Once()
            : every == null ? new Schedule.EveryRound() : new Schedule.Every(every);
    return new FleetConfig(host, port, timeout, stakes, bpm, schedule, rounds);
  }

  private StakeRange stakeRange() {
    return stakeRange == null ? new StakeRange(1, 100) : stakeRange;
  }

  private ValidatorFleet connect(FleetConfig config, Printer printer) {
    String server = host + ":" + port;
    try {
      return ValidatorFleet.connect(config, printer, Ticker.system());
    } catch (UnknownHostException e) {
      throw new CommandFailure(
          "cannot connect to " + server + ": unknown host " + host + " (check --host)");
    } catch (StakeRefusedException e) {
      throw new CommandFailure("the server refused the stake " + e.stake() + ": " + e.getMessage());
    } catch (HandshakeException e) {
      throw new CommandFailure(server + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CommandFailure(
          "cannot connect to "
              + server
              + ": "
              + e.getMessage()
              + ". Is `pos server` running there? (start one with ./pos server)");
    } finally {
      // Before the summary line or an error message, which would otherwise share its line.
      printer.progress.clear();
    }
  }

  /** Prints what the fleet reports, on the command's thread. */
  private final class Printer implements FleetListener {
    private final PrintStream out;
    private final ProgressLine progress = new ProgressLine(environment);

    Printer(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onConnected(FleetMember member, int total) {
      if (total == 1) {
        out.println("connected to " + host + ":" + port);
        out.println("registered: address " + member.address() + ", stake " + member.stake());
      } else {
        progress.show(String.format(Locale.ROOT, "connecting %d/%d", member.number() + 1, total));
      }
    }

    @Override
    public void onProposalAccepted(FleetMember member, long index) {
      if (count == 1) {
        out.println("proposed BPM " + bpm + " for block " + index);
      }
    }

    @Override
    public void onRound(ServerMessage.RoundResult result, Optional<FleetMember> winner) {
      out.println(describe(result, winner));
    }

    @Override
    public void onBlock(FleetMember member, Block block) {
      if (count == 1) {
        out.println("chain: " + Quantity.of(block.index() + 1, "block"));
      }
    }

    @Override
    public void onError(FleetMember member, String message) {
      out.println(
          (count == 1 ? "server error: " : "server error for v" + member.number() + ": ")
              + ReasonText.printable(message));
    }

    private String describe(ServerMessage.RoundResult result, Optional<FleetMember> winner) {
      String prefix = "round " + result.round() + ": ";
      if (!result.forged()) {
        return prefix
            + "no block ("
            + result.reason().map(ReasonText::skipReason).orElse("skipped")
            + "), height "
            + result.height();
      }
      if (count == 1) {
        return prefix
            + (winner.isPresent() ? "you won! " : "winner " + result.winner().get() + ", ")
            + "height "
            + result.height();
      }
      return prefix
          + "winner "
          + winner
              .map(member -> "v" + member.number() + " (stake " + member.stake() + ")")
              .orElse(result.winner().get() + " (not ours)")
          + ", height "
          + result.height();
    }
  }

  private void summarize(FleetSummary summary, PrintStream out) {
    String done =
        "done: " + Quantity.of(summary.rounds(), "round") + ", " + summary.forged() + " forged";
    if (count == 1) {
      out.println(done + ", won " + summary.wins());
      return;
    }
    out.println();
    out.println(done);
    List<FairnessReport.Row> rows = new ArrayList<>();
    for (FleetSummary.MemberSummary member : summary.members()) {
      rows.add(
          new FairnessReport.Row(
              "v" + member.member().number(),
              member.member().address(),
              member.member().stake(),
              member.wins()));
    }
    new FairnessReport(rows, summary.wins()).print(out, summaryRows());
  }

  /**
   * Settles {@code --every} and {@code --once}, which exclude each other: a flag wins over {@code
   * POS_EVERY} and {@code POS_ONCE}; both flags, or both variables, are a usage error.
   */
  void resolveSchedule() {
    Optional<String> chosen = EnvironmentDefaults.of(spec).exclusive(spec, "--every", "--once");
    once = chosen.filter("--once"::equals).isPresent();
    if (chosen.filter("--every"::equals).isEmpty()) {
      every = null;
    }
  }

  /** Rows in the {@code --count} summary: {@code --top}, else every validator up to 50, else 20. */
  int summaryRows() {
    if (top != null) {
      return top;
    }
    return count <= 50 ? count : 20;
  }

  /** {@code --key}: a network-mode validator; the tutorial's options do not apply. */
  private int callNetworkMode() throws InterruptedException {
    for (String tutorialOnly :
        List.of("--stake", "--every", "--once", "--rounds", "--count", "--stake-range", "--top")) {
      if (spec.commandLine().getParseResult().hasMatchedOption(tutorialOnly)) {
        throw new CommandFailure(
            tutorialOnly
                + " is for a tutorial-mode server (pos server); with --key the node decides when"
                + " this validator proposes",
            PosCommand.USAGE);
      }
    }
    String targetHost = host;
    int targetPort = port;
    if (node != null) {
      int colon = node.lastIndexOf(':');
      try {
        targetHost = node.substring(0, colon);
        targetPort = Integer.parseInt(node.substring(colon + 1));
      } catch (RuntimeException e) {
        throw new CommandFailure(
            "--node: expected HOST:PORT such as localhost:9000, got '" + node + "'",
            PosCommand.USAGE);
      }
    }
    Path key = environment.workingDirectory().resolve(keyFile);
    Optional<io.github.posj.core.genesis.Genesis> genesis =
        Optional.ofNullable(genesisFile)
            .map(f -> NodeCommand.readGenesis(environment.workingDirectory().resolve(f)));
    Path protection =
        protectionFile == null
            ? NetworkValidatorRun.defaultProtectionFile(key)
            : environment.workingDirectory().resolve(protectionFile);
    return NetworkValidatorRun.run(
        environment, key, targetHost, targetPort, genesis, protection, bpm);
  }
}
