package io.github.posj.net.session;

import io.github.posj.core.block.Block;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.codec.ReasonText;
import io.github.posj.net.codec.WireMode;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.IntegerText;
import io.github.posj.net.protocol.ProtocolLimits;
import io.github.posj.net.protocol.ServerMessage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's protocol, as a state machine: awaiting a stake, then an active validator
 * proposing BPMs, then closed. It applies the connection rules of {@code docs/protocol.md}: a
 * bounded number of refused stakes (and as many other refused requests before a stake), a bounded
 * run of empty BPM lines, the idle and line-length limits, and what each mode shows (prompts only
 * in the text mode; the JSON mode from the answer to a JSON first line). Whether a stake is
 * accepted, a proposal queued or a validator slashed is the node's decision ({@link SessionHost});
 * the session parses the client's numbers and sends the node's answer, worded by {@link
 * ReasonText}.
 *
 * <p>All methods are called on the node's owner thread, which also runs the {@link SessionHost};
 * the session only talks to its {@link Connection}, which never blocks. Not thread-safe; confine to
 * the owner thread.
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

  private final SessionLimits limits;
  private final SessionHost node;
  private final Connection connection;
  private State state = State.AWAITING_STAKE;

  /**
   * How this session writes: text until it handles a JSON hello. Owned here, on the owner thread,
   * so that every message is written in the mode the session was in when it sent it.
   */
  private WireMode mode = WireMode.TEXT;

  private boolean seenFirstMessage;

  /** The JSON protocol version of this connection from its hello; 0 in the text mode. */
  private long version;

  /** Whether a proposal of this validator was accepted since the last round result. */
  private boolean proposedThisRound;

  /** Round results received in a row, while registered, without an accepted proposal. */
  private int idleRounds;

  /** Whether the client closed its sending side while a round result was still due to it. */
  private boolean inputClosed;

  /** Whether a JSON line has been written: the first goes on a line of its own. */
  private boolean wroteJson;

  private int invalidStakes;
  private int refusedBeforeStake;
  private int blankLinesInARow;
  private ValidatorId validator;
  private long stake;
  private int chainsMissed;

  /** A session for a new connection; nothing happens until {@link #open}. */
  public ValidatorSession(SessionLimits limits, SessionHost node, Connection connection) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.node = Objects.requireNonNull(node, "node");
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  /** The connection is up: asks the node to admit it, then prompts for a stake. */
  public void open() {
    if (!node.admit(this)) {
      close(new ServerMessage.Closing(ReasonText.serverFull()));
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
    handlingFirst = first;
    message.accept(handler);
  }

  /** Whether the message being handled is the connection's first. */
  private boolean handlingFirst;

  /** What each kind of client message does; one per session, not one per message. */
  private final ClientMessage.Visitor<Void> handler =
      new ClientMessage.Visitor<>() {
        @Override
        public Void hello(ClientMessage.Hello hello) {
          onHello(hello, handlingFirst);
          return null;
        }

        @Override
        public Void line(ClientMessage.Line line) {
          if (state == State.AWAITING_STAKE) {
            onStake(IntegerText.parse(line.text()), line.text());
          } else if (line.text().isBlank()) {
            onBlankLine();
          } else {
            onBpm(IntegerText.parse(line.text()), line.text());
          }
          return null;
        }

        @Override
        public Void stake(ClientMessage.Stake offer) {
          if (state == State.AWAITING_STAKE) {
            onStake(offer.amount(), offer.text());
          } else {
            send(new ServerMessage.Error(ReasonText.alreadyRegistered(validator)));
          }
          return null;
        }

        @Override
        public Void propose(ClientMessage.Propose proposal) {
          if (state == State.AWAITING_STAKE) {
            refuse(ReasonText.stakeFirst());
          } else {
            onBpm(proposal.bpm(), proposal.text());
          }
          return null;
        }

        @Override
        public Void getBlocks(ClientMessage.GetBlocks request) {
          onGetBlocks(request);
          return null;
        }

        @Override
        public Void unknown(ClientMessage.Unknown unknown) {
          refuse(ReasonText.unknownType(unknown.type()));
          return null;
        }

        @Override
        public Void malformed(ClientMessage.Malformed malformed) {
          close(new ServerMessage.Closing(malformed.reason()));
          return null;
        }
      };

  /** The connection was silent for the idle timeout: closes it if it never registered. */
  public void onIdle() {
    if (state == State.AWAITING_STAKE) {
      close(new ServerMessage.Closing(ReasonText.idle(limits.idleTimeout())));
    }
  }

  /**
   * The client closed its sending side (a half-close, as {@code nc -N} does at the end of its
   * input; a full close looks the same), after every line it sent was handled. It can send nothing
   * more, and may be gone altogether, so it leaves the lottery at once (a departed validator is
   * never drawn); the connection ends once nothing is due to it: at once if it never staked or made
   * no proposal this round, else right after this round's result (so {@code printf '100\n72\n' | nc
   * -N} sees its address, the round's outcome and a closing line).
   */
  public void onInputClosed() {
    if (state == State.AWAITING_STAKE) {
      close(new ServerMessage.Closing(ReasonText.inputClosedBeforeStake()));
      return;
    }
    node.withdraw(validator);
    if (proposedThisRound) {
      inputClosed = true;
    } else {
      close(new ServerMessage.Closing(ReasonText.inputClosed()));
    }
  }

  /** The client sent a line over the limit: closes the connection. */
  public void onLineTooLong() {
    close(new ServerMessage.Closing(ReasonText.lineTooLong(limits.maxLineLength())));
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
    if (!forThisVersion(message)) {
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
    if (message instanceof ServerMessage.RoundResult) {
      onRoundEnded();
    }
  }

  /** A round's result was sent: count an idle round, and end what waited for the result. */
  private void onRoundEnded() {
    if (state == State.ACTIVE) {
      idleRounds = proposedThisRound ? 0 : idleRounds + 1;
    }
    proposedThisRound = false;
    if (inputClosed) {
      close(new ServerMessage.Closing(ReasonText.inputClosed()));
    } else if (limits.maxIdleRounds() > 0 && idleRounds >= limits.maxIdleRounds()) {
      close(new ServerMessage.Closing(ReasonText.idleValidator(idleRounds)));
    }
  }

  /**
   * Rounds in a row this registered validator has let pass without an accepted proposal; 0 before
   * it registered.
   */
  public int idleRounds() {
    return idleRounds;
  }

  /**
   * Whether a broadcast is for this connection: from protocol version 2 on it is sent each new
   * block and never the whole chain; the text mode and version 1 the other way round.
   */
  private boolean forThisVersion(ServerMessage message) {
    if (message instanceof ServerMessage.ChainUpdate) {
      return version < 2;
    }
    if (message instanceof ServerMessage.BlockAdded) {
      return version >= 2;
    }
    return true;
  }

  /** Closes the connection with {@code last} as its final message; idempotent. */
  public void close(ServerMessage last) {
    if (state != State.CLOSED) {
      state = State.CLOSED;
      connection.close(last, writingMode());
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
    return mode.isJson();
  }

  private void onHello(ClientMessage.Hello hello, boolean first) {
    if (!first) {
      refuse(ReasonText.helloNotFirst());
    } else if (hello.version() < ProtocolLimits.OLDEST_VERSION
        || hello.version() > ProtocolLimits.VERSION) {
      close(
          new ServerMessage.Closing(
              ReasonText.unsupportedVersion(
                  hello.version(), ProtocolLimits.OLDEST_VERSION, ProtocolLimits.VERSION)));
    } else {
      version = hello.version();
      send(new ServerMessage.Welcome((int) version, node.chain().height()));
    }
  }

  /** A range of blocks, read from the node's current chain; at most the protocol's bound. */
  private void onGetBlocks(ClientMessage.GetBlocks request) {
    if (version < 2) {
      refuse(ReasonText.getBlocksNeedsVersion2());
      return;
    }
    long from = request.from();
    long count = request.count();
    if (from < 0 || count < 1 || count > ProtocolLimits.MAX_BLOCKS_PER_REQUEST) {
      send(
          new ServerMessage.Error(
              ReasonText.getBlocksOutOfBounds(from, count, ProtocolLimits.MAX_BLOCKS_PER_REQUEST)));
      return;
    }
    List<Block> blocks = node.chain().blocks();
    int start = (int) Math.min(from, blocks.size());
    int end = (int) Math.min(start + count, blocks.size());
    send(new ServerMessage.Blocks(from, blocks.subList(start, end)));
  }

  /**
   * A stake offer: a whole number goes to the node, which decides (a number beyond a {@code long}
   * goes as the nearest {@code long}, which is out of any stake range).
   */
  private void onStake(IntegerText.Parsed amount, String text) {
    long offered;
    String shown;
    if (amount instanceof IntegerText.Parsed.Value value) {
      offered = value.value();
      shown = Long.toString(offered);
    } else if (amount instanceof IntegerText.Parsed.OutOfRange outOfRange) {
      offered = outOfRange.saturated();
      shown = ReasonText.echo(text);
    } else {
      refuseStake(ReasonText.stakeNotAnInteger(ReasonText.shown(text, mode)));
      return;
    }
    NodeEvent answer = node.register(offered);
    if (answer instanceof NodeEvent.Registered registered) {
      state = State.ACTIVE;
      validator = registered.validator();
      stake = registered.stake();
      send(new ServerMessage.Registered(validator, stake));
      prompt(new ServerMessage.BpmPrompt());
    } else {
      refuseStake(ReasonText.registrationRefused((NodeEvent.RegistrationRefused) answer, shown));
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
        close(new ServerMessage.Closing(ReasonText.tooManyRefusedRequests(refusedBeforeStake)));
      }
    }
  }

  private void refuseStake(String reason) {
    invalidStakes++;
    send(new ServerMessage.Error(reason));
    if (invalidStakes >= limits.maxStakeAttempts()) {
      close(new ServerMessage.Closing(ReasonText.tooManyInvalidStakes(invalidStakes)));
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
      close(new ServerMessage.Closing(ReasonText.tooManyEmptyLines(blankLinesInARow)));
    } else {
      send(new ServerMessage.BpmPrompt());
    }
  }

  private void onBpm(IntegerText.Parsed bpm, String text) {
    blankLinesInARow = 0;
    if (!(bpm instanceof IntegerText.Parsed.Value value)) {
      Optional<NodeEvent.Slashed> slashed = node.proposeMalformed(validator, text);
      String shown = ReasonText.shown(text, mode);
      // Empty only if the validator is already gone, which this session alone could cause.
      close(
          slashed
              .<ServerMessage>map(
                  event -> new ServerMessage.Slashed(ReasonText.slashed(event, shown)))
              .orElseGet(() -> new ServerMessage.Closing(ReasonText.notRegistered(validator))));
      return;
    }
    NodeEvent answer = node.propose(validator, value.value());
    if (answer instanceof NodeEvent.ProposalAccepted accepted) {
      proposedThisRound = true;
      send(new ServerMessage.ProposalAccepted(accepted.block().index()));
    } else {
      send(new ServerMessage.Error(ReasonText.proposalRefused((NodeEvent.ProposalRefused) answer)));
    }
    prompt(new ServerMessage.BpmPrompt());
  }

  private void prompt(ServerMessage prompt) {
    if (mode == WireMode.TEXT) {
      send(prompt);
    }
  }

  private void send(ServerMessage message) {
    connection.send(message, writingMode());
  }

  /** The mode to write the next message in: the JSON mode's first line starts a line of its own. */
  private WireMode writingMode() {
    if (mode == WireMode.JSON && !wroteJson) {
      wroteJson = true;
      return WireMode.JSON_FIRST;
    }
    return mode;
  }
}
