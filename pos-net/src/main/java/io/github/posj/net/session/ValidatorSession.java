package io.github.posj.net.session;

import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.codec.WireMode;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.IntegerText;
import io.github.posj.net.protocol.ProtocolLimits;
import io.github.posj.net.protocol.ServerMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's protocol, as a state machine: awaiting a stake, then an active validator
 * proposing BPMs, then closed. It applies the rules of {@code docs/protocol.md}: stake checks with
 * a bounded number of attempts (and as many other refused requests before a stake), slashing for a
 * non-integer BPM, a bounded run of empty BPM lines, the idle and line-length limits, and what each
 * mode shows (prompts only in the text mode; the JSON mode from the answer to a JSON first line).
 *
 * <p>All methods are called on the node's owner thread, which also runs {@link Node}; the session
 * only talks to its {@link Connection}, which never blocks. Not thread-safe; confine to the owner
 * thread.
 */
public final class ValidatorSession {
  /** Where a session is in its life. */
  public enum State {
    /** Connected, no stake yet (the text prompt or a JSON hello is where it starts). */
    AWAITING_STAKE,
    /** Registered: proposes BPMs, receives rounds and chains. */
    ACTIVE,
    /** Closed by either side; input is ignored. */
    CLOSED
  }

  /**
   * Chain broadcasts in a row that find the connection behind before it is dropped as a slow
   * consumer.
   */
  public static final int SLOW_CONSUMER_BROADCASTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(ValidatorSession.class);
  private static final int MAX_ECHO = 40;

  private final SessionLimits limits;
  private final Node node;
  private final Connection connection;
  private State state = State.AWAITING_STAKE;

  /**
   * How this session writes: text until it handles a JSON hello. Owned here, on the owner thread,
   * so that every message is written in the mode the session was in when it sent it.
   */
  private WireMode mode = WireMode.TEXT;

  private boolean seenFirstMessage;
  private int invalidStakes;
  private int refusedBeforeStake;
  private int blankLinesInARow;
  private ValidatorId validator;
  private long stake;
  private int chainsMissed;

  /** A session for a new connection; nothing happens until {@link #open}. */
  public ValidatorSession(SessionLimits limits, Node node, Connection connection) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.node = Objects.requireNonNull(node, "node");
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  /** The connection is up: asks the node to admit it, then prompts for a stake. */
  public void open() {
    if (!node.admit(this)) {
      close(new ServerMessage.Closing("the server is full; try again later"));
      return;
    }
    send(new ServerMessage.StakePrompt());
  }

  /** Handles one message from the client. */
  public void onMessage(ClientMessage message) {
    Objects.requireNonNull(message, "message");
    if (state == State.CLOSED) {
      return;
    }
    boolean first = !seenFirstMessage;
    seenFirstMessage = true;
    if (first && !(message instanceof ClientMessage.Line)) {
      // The first line was read as JSON (the decoder chose the mode from it): from the answer to
      // it on, this session writes JSON. Everything sent before (the greeting, a round result)
      // was text, so the answer (a welcome, or a closing) is the first JSON line the client sees.
      mode = WireMode.JSON;
    }
    if (message instanceof ClientMessage.Hello hello) {
      onHello(hello, first);
    } else if (message instanceof ClientMessage.Malformed malformed) {
      close(new ServerMessage.Closing(malformed.reason()));
    } else if (message instanceof ClientMessage.Unknown unknown) {
      refuse("unknown message type \"" + echo(unknown.type()) + "\"; see docs/protocol.md");
    } else if (message instanceof ClientMessage.Line line) {
      if (state == State.AWAITING_STAKE) {
        onStake(line.text());
      } else if (line.text().isBlank()) {
        onBlankLine();
      } else {
        onBpm(line.text());
      }
    } else if (message instanceof ClientMessage.Stake offer) {
      if (state == State.AWAITING_STAKE) {
        onStake(offer.amount());
      } else {
        send(new ServerMessage.Error("already registered as validator " + validator.hex()));
      }
    } else if (message instanceof ClientMessage.Propose proposal) {
      if (state == State.AWAITING_STAKE) {
        refuse("send a stake before proposing");
      } else {
        onBpm(proposal.bpm());
      }
    }
  }

  /** The connection was silent for the idle timeout: closes it if it never registered. */
  public void onIdle() {
    if (state == State.AWAITING_STAKE) {
      close(
          new ServerMessage.Closing(
              "no stake received within " + describe(limits.idleTimeout()) + "; closing"));
    }
  }

  /** The client sent a line over the limit: closes the connection. */
  public void onLineTooLong() {
    close(
        new ServerMessage.Closing(
            "line longer than " + limits.maxLineLength() + " bytes; closing the connection"));
  }

  /** The connection is gone (closed by either side): releases the validator's stake. */
  public void onClosed() {
    state = State.CLOSED;
    node.leave(this);
  }

  /**
   * Sends a message the node broadcasts (round results, chains), unless closed. A connection that
   * is behind (its outbound bytes past the bound) is not sent the chain: the next broadcast brings
   * it up to date; behind at {@value #SLOW_CONSUMER_BROADCASTS} chain broadcasts in a row, it is a
   * slow consumer and is dropped. Small messages are always queued.
   */
  public void deliver(ServerMessage message) {
    if (state == State.CLOSED) {
      return;
    }
    if (message instanceof ServerMessage.ChainUpdate) {
      if (connection.isBehind()) {
        chainsMissed++;
        if (chainsMissed >= SLOW_CONSUMER_BROADCASTS) {
          LOG.warn(
              "dropping a slow consumer{}: behind at {} chain broadcasts in a row",
              validator == null ? "" : " (validator " + validator + ")",
              chainsMissed);
          state = State.CLOSED;
          connection.abort();
        }
        return;
      }
      chainsMissed = 0;
    }
    send(message);
  }

  /** Closes the connection with {@code last} as its final message; idempotent. */
  public void close(ServerMessage last) {
    if (state != State.CLOSED) {
      state = State.CLOSED;
      connection.close(last, mode);
    }
  }

  /** The validator this connection registered, if it did. */
  public Optional<ValidatorId> validator() {
    return Optional.ofNullable(validator);
  }

  /** The registered stake, 0 before registration. */
  public long stake() {
    return stake;
  }

  /** The session's state. */
  public State state() {
    return state;
  }

  /** Whether the connection speaks the JSON mode (from the hello on). */
  public boolean isJson() {
    return mode == WireMode.JSON;
  }

  private void onHello(ClientMessage.Hello hello, boolean first) {
    if (!first) {
      refuse("hello is only valid as the first line");
    } else if (hello.version() != ProtocolLimits.VERSION) {
      close(
          new ServerMessage.Closing(
              "protocol version "
                  + hello.version()
                  + " is not supported; this server speaks version "
                  + ProtocolLimits.VERSION));
    } else {
      send(new ServerMessage.Welcome(ProtocolLimits.VERSION));
    }
  }

  private void onStake(String text) {
    IntegerText.Parsed parsed = IntegerText.parse(text);
    if (parsed instanceof IntegerText.Parsed.NotAnInteger) {
      refuseStake("a stake is a whole number of tokens, such as 100; got " + shown(text));
      return;
    }
    if (parsed instanceof IntegerText.Parsed.OutOfRange) {
      refuseStake("a stake is at most " + limits.maxStake() + " tokens; got " + echo(text));
      return;
    }
    long value = ((IntegerText.Parsed.Value) parsed).value();
    if (value < limits.minStake()) {
      refuseStake("a stake is at least " + limits.minStake() + " token(s); got " + value);
    } else if (value > limits.maxStake()) {
      refuseStake("a stake is at most " + limits.maxStake() + " tokens; got " + value);
    } else {
      Node.Registration registration = node.register(this, value);
      if (registration instanceof Node.Registration.Accepted accepted) {
        state = State.ACTIVE;
        validator = accepted.validator();
        stake = value;
        send(new ServerMessage.Registered(validator, value));
        prompt(new ServerMessage.BpmPrompt());
      } else {
        refuseStake(((Node.Registration.Refused) registration).reason());
      }
    }
  }

  /**
   * Answers a request that is refused but harmless with an error line. Before registering, such
   * requests (an unknown type, a propose, a second hello) are counted like invalid stakes: the
   * connection holds a slot and each line restarts its idle timer, so it must not go on for ever.
   */
  private void refuse(String reason) {
    send(new ServerMessage.Error(reason));
    if (state == State.AWAITING_STAKE) {
      refusedBeforeStake++;
      if (refusedBeforeStake >= limits.maxStakeAttempts()) {
        close(
            new ServerMessage.Closing(
                "too many refused requests before a stake ("
                    + refusedBeforeStake
                    + "); send {\"type\":\"stake\",\"amount\":<tokens>} after the hello"));
      }
    }
  }

  private void refuseStake(String reason) {
    invalidStakes++;
    send(new ServerMessage.Error(reason));
    if (invalidStakes >= limits.maxStakeAttempts()) {
      close(new ServerMessage.Closing("too many invalid stakes (" + invalidStakes + ")"));
    } else {
      prompt(new ServerMessage.StakePrompt());
    }
  }

  /**
   * An empty line at the BPM prompt is a stray Enter, not a block: prompt again. But not for ever:
   * each costs the server a prompt, so too many in a row close the connection (not a slashing).
   */
  private void onBlankLine() {
    blankLinesInARow++;
    if (blankLinesInARow > limits.maxBlankLines()) {
      close(
          new ServerMessage.Closing(
              "too many empty lines in a row ("
                  + blankLinesInARow
                  + "); send a BPM such as 72, or disconnect"));
    } else {
      send(new ServerMessage.BpmPrompt());
    }
  }

  private void onBpm(String text) {
    blankLinesInARow = 0;
    IntegerText.Parsed parsed = IntegerText.parse(text);
    if (!(parsed instanceof IntegerText.Parsed.Value value)) {
      String reason =
          "BPM "
              + shown(text)
              + " is not an integer: validator "
              + validator.hex()
              + " is removed and its stake of "
              + stake
              + " tokens is forfeited";
      node.slash(validator, reason);
      close(new ServerMessage.Slashed(reason));
      return;
    }
    Node.Proposal proposal = node.propose(validator, value.value());
    if (proposal instanceof Node.Proposal.Accepted accepted) {
      send(new ServerMessage.ProposalAccepted(accepted.index()));
    } else {
      send(new ServerMessage.Error(((Node.Proposal.Refused) proposal).reason()));
    }
    prompt(new ServerMessage.BpmPrompt());
  }

  private void prompt(ServerMessage prompt) {
    if (mode == WireMode.TEXT) {
      send(prompt);
    }
  }

  private void send(ServerMessage message) {
    connection.send(message, mode);
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  /**
   * The client's value for a message: a text line in quotes; in the JSON mode the value as it was
   * written (a JSON string already has its quotes, a number or {@code null} has none).
   */
  private String shown(String text) {
    return isJson() ? echo(text) : "\"" + echo(text) + "\"";
  }

  /** The client's text, shortened and with control characters replaced, for a message. */
  private static String echo(String text) {
    String shown = text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    StringBuilder out = new StringBuilder(shown.length());
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return out.toString();
  }
}
