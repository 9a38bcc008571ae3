package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.convert.DurationConverter;
import io.github.posj.cli.convert.StakeRange;
import io.github.posj.cli.convert.StakeRangeConverter;
import io.github.posj.cli.options.EnvironmentDefaults;
import io.github.posj.cli.report.FairnessReport;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.client.ClientEvent;
import io.github.posj.net.client.ValidatorClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pos validator}: one scripted validator, or many from one process ({@code --count}), over
 * the JSON-lines protocol.
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

  /** One validator's connection and numbers. */
  private static final class Member {
    final int number;
    final long stake;
    final ValidatorClient client;
    ValidatorId address;
    long wins;

    Member(int number, long stake, ValidatorClient client) {
      this.number = number;
      this.stake = stake;
      this.client = client;
    }
  }

  /** An event tagged with the validator that received it. */
  private record Tagged(Member member, ClientEvent event) {}

  @Override
  public Integer call() throws InterruptedException {
    resolveSchedule();
    if (count < 1 || count > 2000) {
      throw new CommandFailure("--count is 1 to 2000, got " + count, PosCommand.USAGE);
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
    PrintStream out = environment.out();
    List<Member> members = new ArrayList<>();
    BlockingQueue<Tagged> events = new LinkedBlockingQueue<>();
    List<Thread> pumps = new ArrayList<>();
    try {
      connectAll(members, events, pumps);
      return run(members, events, out);
    } finally {
      for (Member member : members) {
        member.client.close();
      }
      for (Thread pump : pumps) {
        pump.interrupt();
      }
      out.flush();
    }
  }

  private void connectAll(List<Member> members, BlockingQueue<Tagged> events, List<Thread> pumps) {
    PrintStream out = environment.out();
    StakeRange range = stakeRange == null ? new StakeRange(1, 100) : stakeRange;
    RandomnessSource stakes = RandomnessSource.seeded(seed);
    ProgressLine progress = new ProgressLine(environment);
    try {
      for (int i = 0; i < count; i++) {
        long amount =
            count == 1
                ? (stake == null ? 100 : stake)
                : range.min() + stakes.nextLong(range.max() - range.min() + 1);
        Member member = new Member(i, amount, connect());
        members.add(member);
        try {
          member.address = member.client.register(amount);
        } catch (IOException e) {
          throw new CommandFailure(
              "the server refused the stake " + amount + ": " + e.getMessage());
        }
        if (count == 1) {
          out.println("connected to " + host + ":" + port);
          out.println("registered: address " + member.address + ", stake " + amount);
        } else {
          progress.show(String.format(Locale.ROOT, "connecting %d/%d", i + 1, count));
        }
        Thread pump = new Thread(() -> pump(member, events), "pos-validator-" + i);
        pump.setDaemon(true);
        pump.start();
        pumps.add(pump);
      }
    } finally {
      // Before the summary line or an error message, which would otherwise share its line.
      progress.clear();
    }
    if (count > 1) {
      out.printf(Locale.ROOT, "connected and registered %d validators (stakes %s)%n", count, range);
    }
  }

  private ValidatorClient connect() {
    try {
      return ValidatorClient.connect(host, port, timeout);
    } catch (UnknownHostException e) {
      throw new CommandFailure(
          "cannot connect to " + host + ":" + port + ": unknown host " + host + " (check --host)");
    } catch (IOException e) {
      throw new CommandFailure(
          "cannot connect to "
              + host
              + ":"
              + port
              + ": "
              + e.getMessage()
              + ". Is `pos server` running there? (start one with ./pos server)");
    }
  }

  private static void pump(Member member, BlockingQueue<Tagged> events) {
    try {
      while (true) {
        ClientEvent event = member.client.events().take();
        events.add(new Tagged(member, event));
        if (event instanceof ClientEvent.Closed) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int run(List<Member> members, BlockingQueue<Tagged> events, PrintStream out)
      throws InterruptedException {
    Map<ValidatorId, Member> byAddress = new HashMap<>();
    for (Member member : members) {
      byAddress.put(member.address, member);
      propose(member);
    }
    long nextTimedProposal = every == null ? Long.MAX_VALUE : System.nanoTime() + every.toNanos();
    long roundsSeen = 0;
    long forgedRounds = 0;
    while (rounds == 0 || roundsSeen < rounds) {
      if (environment.stop().requested()) {
        out.println("stopping (Ctrl-C)");
        break;
      }
      if (System.nanoTime() >= nextTimedProposal) {
        for (Member member : members) {
          propose(member);
        }
        nextTimedProposal = System.nanoTime() + every.toNanos();
      }
      Tagged tagged = events.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
      if (tagged == null) {
        continue;
      }
      Member member = tagged.member();
      ClientEvent event = tagged.event();
      if (event instanceof ClientEvent.ProposalAccepted accepted) {
        if (count == 1) {
          out.println("proposed BPM " + bpm + " for block " + accepted.index());
        }
      } else if (event instanceof ClientEvent.RoundResult result) {
        if (member != members.get(0)) {
          if (every == null && !once) {
            propose(member);
          }
          continue;
        }
        roundsSeen++;
        if (result.forged()) {
          forgedRounds++;
          Member winner = byAddress.get(result.winner().get());
          if (winner != null) {
            winner.wins++;
          }
        }
        out.println(describe(result, byAddress, members.get(0)));
        if (every == null && !once && (rounds == 0 || roundsSeen < rounds)) {
          propose(member);
        }
      } else if (event instanceof ClientEvent.ChainUpdate chain && member == members.get(0)) {
        if (count == 1) {
          out.println("chain: " + chain.blocks().size() + " blocks");
        }
      } else if (event instanceof ClientEvent.Error error) {
        out.println("server error for v" + member.number + ": " + error.message());
      } else if (event instanceof ClientEvent.Slashed slashed) {
        throw new CommandFailure(
            (count == 1 ? "slashed: " : "validator v" + member.number + " slashed: ")
                + slashed.reason());
      } else if (event instanceof ClientEvent.Closed closed) {
        throw new CommandFailure("the server closed the connection: " + closed.reason());
      }
    }
    summarize(members, roundsSeen, forgedRounds, out);
    return PosCommand.OK;
  }

  private void propose(Member member) {
    try {
      member.client.propose(bpm);
    } catch (IOException e) {
      throw new CommandFailure("lost the connection to the server: " + e.getMessage());
    }
  }

  private String describe(
      ClientEvent.RoundResult result, Map<ValidatorId, Member> byAddress, Member first) {
    String prefix = "round " + result.round() + ": ";
    if (!result.forged()) {
      return prefix
          + "no block ("
          + result.reason().orElse("skipped")
          + "), height "
          + result.height();
    }
    ValidatorId winner = result.winner().get();
    if (count == 1) {
      return prefix
          + (winner.equals(first.address) ? "you won! " : "winner " + winner + ", ")
          + "height "
          + result.height();
    }
    Member member = byAddress.get(winner);
    return prefix
        + "winner "
        + (member == null
            ? winner + " (not ours)"
            : "v" + member.number + " (stake " + member.stake + ")")
        + ", height "
        + result.height();
  }

  private void summarize(List<Member> members, long roundsSeen, long forged, PrintStream out) {
    if (count == 1) {
      out.printf(
          Locale.ROOT,
          "done: %d rounds, %d forged, won %d%n",
          roundsSeen,
          forged,
          members.get(0).wins);
      return;
    }
    out.printf(Locale.ROOT, "%ndone: %d rounds, %d forged%n", roundsSeen, forged);
    List<FairnessReport.Row> rows = new ArrayList<>();
    for (Member member : members) {
      rows.add(
          new FairnessReport.Row("v" + member.number, member.address, member.stake, member.wins));
    }
    long ours = members.stream().mapToLong(m -> m.wins).sum();
    new FairnessReport(rows, ours).print(out, summaryRows());
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
}
