package io.github.posj.net.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.codec.WireMode;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The session's rules, without Netty: a fake node and a connection that records. */
final class ValidatorSessionTest {
  private static final ValidatorId ALICE = TestSessionHost.ALICE;
  private static final ServerMessage CHAIN =
      new ServerMessage.ChainUpdate(
          Chain.genesis(HashScheme.posj(), "2026-11-24 05:37:39 +0000 UTC").blocks());
  private static final ServerMessage ROUND_RESULT =
      new ServerMessage.RoundResult(
          1, Optional.empty(), 0, Optional.of(RoundOutcome.SkipReason.NO_PROPOSALS));
  private static final SessionLimits LIMITS =
      new SessionLimits(3, 1024, 16, 3, Duration.ofMinutes(5), 0, Duration.ofSeconds(2));

  private final TestSessionHost node = new TestSessionHost();
  private final RecordingConnection connection = new RecordingConnection();
  private final ValidatorSession session = new ValidatorSession(LIMITS, node, connection);

  @Test
  void open_admitted_promptsForAStake() {
    session.open();
    assertThat(connection.sent).containsExactly(new ServerMessage.StakePrompt());
    assertThat(session.state()).isEqualTo(ValidatorSession.State.AWAITING_STAKE);
  }

  @Test
  void open_serverFull_closesPolitely() {
    node.admit = false;
    session.open();
    assertThat(connection.closedWith)
        .isEqualTo(new ServerMessage.Closing("the server is full; try again later"));
    assertThat(session.state()).isEqualTo(ValidatorSession.State.CLOSED);
  }

  @Test
  void stakeLine_valid_registersAndPromptsForBpm() {
    session.open();
    session.onMessage(new ClientMessage.Line("100"));
    assertThat(node.registeredStakes).containsExactly(100L);
    assertThat(connection.sent)
        .containsExactly(
            new ServerMessage.StakePrompt(),
            new ServerMessage.Registered(ALICE, 100),
            new ServerMessage.BpmPrompt());
    assertThat(session.validator()).contains(ALICE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-5", "99999999999999999999", " 100", "100 ", "1001", ""})
  void stakeLine_invalid_errorsAndPromptsAgain(String stake) {
    session.open();
    session.onMessage(new ClientMessage.Line(stake));
    assertThat(node.registeredStakes).isEmpty();
    assertThat(connection.sent).hasSize(3);
    assertThat(connection.sent.get(1)).isInstanceOf(ServerMessage.Error.class);
    assertThat(connection.sent.get(2)).isEqualTo(new ServerMessage.StakePrompt());
    assertThat(connection.closedWith).isNull();
  }

  @Test
  void stakeLine_beyond64Bits_isRefusedOnItsSideOfTheRange() {
    session.open();
    session.onMessage(new ClientMessage.Line("99999999999999999999"));
    session.onMessage(new ClientMessage.Line("-99999999999999999999"));

    assertThat(connection.sent)
        .contains(
            new ServerMessage.Error("a stake is at most 1000 tokens; got 99999999999999999999"),
            new ServerMessage.Error("a stake is at least 1 token(s); got -99999999999999999999"));
  }

  @Test
  void stakeLine_invalidThreeTimes_closes() {
    session.open();
    session.onMessage(new ClientMessage.Line("x"));
    session.onMessage(new ClientMessage.Line("y"));
    session.onMessage(new ClientMessage.Line("z"));
    assertThat(connection.closedWith)
        .isEqualTo(new ServerMessage.Closing("too many invalid stakes (3)"));
    session.onMessage(new ClientMessage.Line("100"));
    assertThat(node.registeredStakes).isEmpty();
  }

  @Test
  void stakeLine_refusedByTheNode_countsAsAnInvalidStake() {
    node.refuseStake =
        new NodeEvent.RegistrationRefused(
            NodeEvent.RegistrationRefused.Reason.TOTAL_STAKE_FULL, 100, 5);
    session.open();
    session.onMessage(new ClientMessage.Line("100"));
    assertThat(connection.sent.get(1))
        .isEqualTo(
            new ServerMessage.Error(
                "the network's total stake cannot take 100 more tokens; at most 5"));
  }

  @Test
  void roundResults_withoutAProposalForMaxIdleRounds_closeTheValidator() {
    RecordingConnection idleConnection = new RecordingConnection();
    ValidatorSession idle =
        new ValidatorSession(
            new SessionLimits(3, 1024, 16, 3, Duration.ofMinutes(5), 2, Duration.ofSeconds(2)),
            node,
            idleConnection);
    idle.open();
    idle.onMessage(new ClientMessage.Line("100"));
    idle.deliver(ROUND_RESULT);
    idle.onMessage(new ClientMessage.Line("72"));
    idle.deliver(ROUND_RESULT);
    idle.deliver(ROUND_RESULT);
    assertThat(idle.idleRounds()).isEqualTo(1);
    assertThat(idleConnection.closedWith).isNull();

    idle.deliver(ROUND_RESULT);

    assertThat(idleConnection.closedWith)
        .isEqualTo(
            new ServerMessage.Closing(
                "no proposal in the last 2 rounds; reconnect to validate again"));
  }

  @Test
  void roundResults_maxIdleRoundsZero_neverCloseAWatchingValidator() {
    register();
    for (int i = 0; i < 100; i++) {
      session.deliver(ROUND_RESULT);
    }
    assertThat(connection.closedWith).isNull();
    assertThat(session.idleRounds()).isEqualTo(100);
  }

  @Test
  void bpmLine_integer_proposesAndPromptsAgain() {
    register();
    session.onMessage(new ClientMessage.Line("72"));
    assertThat(node.proposals).containsExactly(72L);
    assertThat(connection.sent)
        .containsExactly(new ServerMessage.ProposalAccepted(1), new ServerMessage.BpmPrompt());
  }

  @Test
  void bpmLine_empty_promptsAgainWithoutSlashing() {
    register();
    session.onMessage(new ClientMessage.Line(""));
    assertThat(node.slashed).isEmpty();
    assertThat(connection.sent).containsExactly(new ServerMessage.BpmPrompt());
  }

  @Test
  void bpmLine_blankMoreThanTheLimitInARow_closesWithoutSlashing() {
    register();
    for (int i = 0; i < LIMITS.maxBlankLines(); i++) {
      session.onMessage(new ClientMessage.Line(i % 2 == 0 ? "" : "  "));
    }
    boolean openAtTheLimit = connection.closedWith == null;

    session.onMessage(new ClientMessage.Line(""));

    assertThat(openAtTheLimit).isTrue();
    assertThat(connection.sent)
        .hasSize(LIMITS.maxBlankLines())
        .containsOnly(new ServerMessage.BpmPrompt());
    assertThat(connection.closedWith)
        .isEqualTo(
            new ServerMessage.Closing(
                "too many empty lines in a row (4); send a BPM such as 72, or disconnect"));
    assertThat(node.slashed).isEmpty();
  }

  @Test
  void bpmLine_blankLinesBetweenBpms_areCountedAfreshAfterEachBpm() {
    register();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < LIMITS.maxBlankLines(); i++) {
        session.onMessage(new ClientMessage.Line(""));
      }
      session.onMessage(new ClientMessage.Line("72"));
    }

    assertThat(connection.closedWith).isNull();
    assertThat(node.proposals).containsExactly(72L, 72L, 72L);
  }

  @Test
  void bpmLine_nonInteger_slashesAndClosesWithoutProposing() {
    register();
    session.onMessage(new ClientMessage.Line("7.5"));
    assertThat(node.slashed).containsExactly(ALICE);
    assertThat(node.proposals).isEmpty();
    assertThat(connection.closedWith).isInstanceOf(ServerMessage.Slashed.class);
    assertThat(((ServerMessage.Slashed) connection.closedWith).reason())
        .contains("\"7.5\" is not an integer")
        .contains("100 tokens is forfeited");
    session.onMessage(new ClientMessage.Line("72"));
    assertThat(node.proposals).isEmpty();
  }

  @Test
  void bpmLine_refusedByTheNode_errorsWithoutSlashing() {
    register();
    node.refuseProposal =
        new NodeEvent.ProposalRefused(
            ALICE, NodeEvent.ProposalRefused.Reason.TOO_MANY_PROPOSALS, 10);
    session.onMessage(new ClientMessage.Line("72"));
    assertThat(connection.sent)
        .containsExactly(
            new ServerMessage.Error("at most 10 proposals per round; wait for the next round"),
            new ServerMessage.BpmPrompt());
    assertThat(node.slashed).isEmpty();
  }

  @Test
  void json_helloStakePropose_sendsNoPrompts() {
    session.open();
    session.onMessage(new ClientMessage.Hello(1));
    session.onMessage(ClientMessage.Stake.ofText("100"));
    session.onMessage(ClientMessage.Propose.ofText("72"));
    assertThat(connection.sent)
        .containsExactly(
            new ServerMessage.StakePrompt(),
            new ServerMessage.Welcome(1),
            new ServerMessage.Registered(ALICE, 100),
            new ServerMessage.ProposalAccepted(1));
  }

  @Test
  void json_hello_greetingAndEarlierMessagesStayTextEverythingFromTheWelcomeIsJson() {
    session.open();
    session.deliver(ROUND_RESULT);
    session.onMessage(new ClientMessage.Hello(1));
    session.deliver(ROUND_RESULT);
    session.onMessage(new ClientMessage.Malformed("not valid JSON"));

    assertThat(connection.sent)
        .containsExactly(
            new ServerMessage.StakePrompt(),
            ROUND_RESULT,
            new ServerMessage.Welcome(1),
            ROUND_RESULT);
    assertThat(connection.modes)
        .containsExactly(WireMode.TEXT, WireMode.TEXT, WireMode.JSON_FIRST, WireMode.JSON);
    assertThat(connection.closedIn).isEqualTo(WireMode.JSON);
  }

  @Test
  void json_firstLineNotAHello_closesInJson() {
    session.open();
    session.onMessage(
        new ClientMessage.Malformed("the first JSON line must be {\"type\":\"hello\"}"));

    // The closing is the first JSON line: on a line of its own after the text greeting.
    assertThat(connection.modes).containsExactly(WireMode.TEXT);
    assertThat(connection.closedIn).isEqualTo(WireMode.JSON_FIRST);
  }

  @Test
  void text_firstLine_staysText() {
    session.open();
    session.onMessage(new ClientMessage.Line("abc"));

    assertThat(connection.modes).containsOnly(WireMode.TEXT);
    assertThat(session.isJson()).isFalse();
  }

  @Test
  void json_proposeNonInteger_slashes() {
    session.open();
    session.onMessage(new ClientMessage.Hello(1));
    session.onMessage(ClientMessage.Stake.ofText("100"));
    session.onMessage(ClientMessage.Propose.ofText("\"72\""));
    assertThat(node.slashed).containsExactly(ALICE);
    assertThat(connection.closedWith).isInstanceOf(ServerMessage.Slashed.class);
  }

  @Test
  void json_proposeBeforeStake_isAnError() {
    session.open();
    session.onMessage(new ClientMessage.Hello(1));
    session.onMessage(ClientMessage.Propose.ofText("72"));
    assertThat(connection.sent).endsWith(new ServerMessage.Error("send a stake before proposing"));
    assertThat(node.proposals).isEmpty();
  }

  @Test
  void json_unsupportedVersion_closes() {
    session.open();
    session.onMessage(new ClientMessage.Hello(3));
    assertThat(connection.closedWith).isInstanceOf(ServerMessage.Closing.class);
  }

  @Test
  void json_malformed_closes() {
    session.open();
    session.onMessage(new ClientMessage.Malformed("not valid JSON"));
    assertThat(connection.closedWith).isEqualTo(new ServerMessage.Closing("not valid JSON"));
  }

  @Test
  void json_unknownType_errorsAndStaysOpen() {
    session.open();
    session.onMessage(new ClientMessage.Hello(1));
    session.onMessage(new ClientMessage.Unknown("dance"));
    assertThat(connection.sent.get(2)).isInstanceOf(ServerMessage.Error.class);
    assertThat(connection.closedWith).isNull();
  }

  @Test
  void json_refusedRequestsBeforeAStake_closeAtTheLimit() {
    // An unregistered JSON client used to be answered with errors for ever, each line restarting
    // its idle timer, so it held its connection slot for good.
    session.open();
    session.onMessage(new ClientMessage.Hello(1));
    session.onMessage(new ClientMessage.Unknown("dance"));
    session.onMessage(ClientMessage.Propose.ofText("72"));
    boolean openBeforeTheLimit = connection.closedWith == null;

    session.onMessage(new ClientMessage.Hello(1));

    assertThat(openBeforeTheLimit).isTrue();
    assertThat(connection.sent)
        .endsWith(new ServerMessage.Error("hello is only valid as the first line"));
    assertThat(connection.closedWith)
        .isEqualTo(
            new ServerMessage.Closing(
                "too many refused requests before a stake (3); send"
                    + " {\"type\":\"stake\",\"amount\":<tokens>} after the hello"));
    assertThat(session.state()).isEqualTo(ValidatorSession.State.CLOSED);
  }

  @Test
  void json_refusedRequestsAfterRegistering_leaveTheConnectionOpen() {
    session.open();
    session.onMessage(new ClientMessage.Hello(1));
    session.onMessage(ClientMessage.Stake.ofText("100"));
    for (int i = 0; i < 2 * LIMITS.maxStakeAttempts(); i++) {
      session.onMessage(new ClientMessage.Unknown("dance"));
      session.onMessage(ClientMessage.Stake.ofText("100"));
    }

    assertThat(connection.closedWith).isNull();
    assertThat(session.state()).isEqualTo(ValidatorSession.State.ACTIVE);
  }

  @Test
  void idle_beforeRegistering_closes() {
    session.open();
    session.onIdle();
    assertThat(connection.closedWith)
        .isEqualTo(new ServerMessage.Closing("no stake received within 300 s; closing"));
  }

  @Test
  void idle_afterRegistering_staysOpen() {
    register();
    session.onIdle();
    assertThat(connection.closedWith).isNull();
  }

  @Test
  void lineTooLong_closesWithTheLimit() {
    session.open();
    session.onLineTooLong();
    assertThat(connection.closedWith)
        .isEqualTo(
            new ServerMessage.Closing("line longer than 1024 bytes; closing the connection"));
  }

  @Test
  void closed_leavesTheNodeAndDeliversNothing() {
    register();
    session.onClosed();
    session.deliver(new ServerMessage.BpmPrompt());
    assertThat(node.left).containsExactly(session);
    assertThat(connection.sent).isEmpty();
  }

  @Test
  void deliver_chainWhileBehind_isSkipped() {
    register();
    connection.behind = true;

    session.deliver(CHAIN);
    session.deliver(ROUND_RESULT);

    assertThat(connection.sent).containsExactly(ROUND_RESULT);
    assertThat(connection.aborted).isFalse();
  }

  @Test
  void deliver_behindAtThreeChainsInARow_dropsTheSlowConsumer() {
    register();
    connection.behind = true;

    for (int i = 0; i < ValidatorSession.SLOW_CONSUMER_BROADCASTS; i++) {
      session.deliver(CHAIN);
    }

    assertThat(connection.aborted).isTrue();
    assertThat(session.state()).isEqualTo(ValidatorSession.State.CLOSED);
  }

  @Test
  void deliver_caughtUpBetweenChains_startsCountingAgain() {
    register();
    for (int i = 0; i < 2 * ValidatorSession.SLOW_CONSUMER_BROADCASTS; i++) {
      connection.behind = i % 2 == 0;
      session.deliver(CHAIN);
    }

    assertThat(connection.aborted).isFalse();
    assertThat(connection.sent).hasSize(ValidatorSession.SLOW_CONSUMER_BROADCASTS);
  }

  private void register() {
    session.open();
    session.onMessage(new ClientMessage.Line("100"));
    connection.sent.clear();
  }

  private static final class RecordingConnection implements Connection {
    final List<ServerMessage> sent = new ArrayList<>();
    final List<WireMode> modes = new ArrayList<>();
    ServerMessage closedWith;
    WireMode closedIn;
    boolean behind;
    boolean aborted;

    @Override
    public void abort() {
      aborted = true;
    }

    @Override
    public boolean isBehind() {
      return behind;
    }

    @Override
    public void send(ServerMessage message, WireMode mode) {
      sent.add(message);
      modes.add(mode);
    }

    @Override
    public void close(ServerMessage last, WireMode mode) {
      closedWith = last;
      closedIn = mode;
    }
  }
}
