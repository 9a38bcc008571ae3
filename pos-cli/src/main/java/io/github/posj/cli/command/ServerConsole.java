package io.github.posj.cli.command;

import io.github.posj.cli.report.Quantity;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.net.codec.ReasonText;
import io.github.posj.net.server.ServerListener;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What {@code pos server} prints: a summary of what it loaded and where it listens, then one line
 * per event, each with the time it happened. The server logs its events only at debug level, so
 * each is printed once. Called on the server's owner thread, so the lines come in the order things
 * happened.
 *
 * <p>Not thread-safe; confine to the server's owner thread.
 */
final class ServerConsole implements ServerListener {
  private final PrintStream out;
  private final String storage;
  private final DateTimeFormatter time;

  /**
   * A console printing to {@code out}.
   *
   * @param storage where the chain is kept, for the first line
   * @param zone the time zone event times are shown in
   */
  ServerConsole(PrintStream out, String storage, ZoneId zone) {
    this.out = out;
    this.storage = storage;
    this.time = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
  }

  @Override
  public void onStarted(Started started) {
    out.println("storage: " + storage);
    if (started.height() == 0) {
      out.println(
          "chain: new, "
              + started.hashScheme()
              + " hash scheme; genesis block: "
              + ChainJson.write(started.head()));
    } else {
      out.println(
          "chain: height "
              + started.height()
              + " loaded, head "
              + started.head().hash().hex()
              + ", "
              + started.hashScheme()
              + " hash scheme");
    }
    for (String repair : started.repairs()) {
      out.println("repaired: " + repair);
    }
    out.println(
        "listening on port "
            + started.port()
            + " (address "
            + started.bindAddress()
            + "), a round every "
            + ReasonText.duration(started.roundDuration()));
    out.println("stop with Ctrl-C");
  }

  @Override
  public void onEvent(Instant at, NodeEvent event) {
    String line = event.accept(LINES);
    if (!line.isEmpty()) {
      out.println(time.format(at) + " " + line);
    }
  }

  /** One line per event worth an operator's attention; answers to single requests print nothing. */
  private static final NodeEvent.Visitor<String> LINES =
      new NodeEvent.Visitor<>() {
        @Override
        public String registered(NodeEvent.Registered e) {
          return "validator "
              + e.validator().hex()
              + " joined with stake "
              + e.stake()
              + " ("
              + Quantity.of(e.validators(), "validator")
              + ")";
        }

        @Override
        public String registrationRefused(NodeEvent.RegistrationRefused e) {
          return "";
        }

        @Override
        public String proposalAccepted(NodeEvent.ProposalAccepted e) {
          return "";
        }

        @Override
        public String proposalRefused(NodeEvent.ProposalRefused e) {
          return "";
        }

        @Override
        public String slashed(NodeEvent.Slashed e) {
          return "validator "
              + e.validator().hex()
              + " slashed: BPM \""
              + ReasonText.echo(e.bpm())
              + "\" is not an integer; "
              + Quantity.of(e.forfeited(), "token")
              + " forfeited";
        }

        @Override
        public String left(NodeEvent.Left e) {
          return "validator "
              + e.validator().hex()
              + " left; its stake of "
              + Quantity.of(e.released(), "token")
              + " is released ("
              + Quantity.of(e.validators(), "validator")
              + ")";
        }

        @Override
        public String roundEnded(NodeEvent.RoundEnded e) {
          RoundOutcome.Tally tally = e.outcome().tally();
          if (e.outcome() instanceof RoundOutcome.Forged forged) {
            return "round "
                + e.round()
                + ": winner "
                + forged.winner().hex()
                + " (BPM "
                + forged.block().bpm()
                + ") of "
                + Quantity.of(tally.eligibleValidators(), "validator")
                + ", "
                + Quantity.of(tally.proposals(), "proposal")
                + "; height "
                + e.height();
          }
          RoundOutcome.SkipReason reason = ((RoundOutcome.Skipped) e.outcome()).reason();
          return switch (reason) {
            case NO_PROPOSALS, NO_ELIGIBLE_VALIDATOR ->
                "round "
                    + e.round()
                    + ": no block ("
                    + (reason == RoundOutcome.SkipReason.NO_PROPOSALS
                        ? "no proposals"
                        : "no eligible validator")
                    + "), "
                    + Quantity.of(tally.proposals(), "proposal");
            // Said by the BlockNotStored line just before.
            case STORE_FAILED -> "";
          };
        }

        @Override
        public String blockNotStored(NodeEvent.BlockNotStored e) {
          return "round "
              + e.round()
              + ": block "
              + e.block().index()
              + " could NOT be stored, so it was not announced: "
              + e.message();
        }

        @Override
        public String forgingStopped(NodeEvent.ForgingStopped e) {
          return "forging STOPPED: "
              + e.cause()
              + "; no more rounds until the server is restarted (the chain is still served)";
        }
      };
}
