package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.crypto.Login;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestNetwork;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NetworkValidator} against a {@link ScriptedNode} on 127.0.0.1 that checks what it receives
 * with pos-core ({@link Login#verify}, {@link SignedChainState#append}); time is a {@link
 * ManualClock} and a {@link ManualScheduler}, so slots start when the test says.
 */
final class NetworkValidatorTest {
  private static final Hash NONCE =
      Hash.of(
          new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
          });
  private static final long BPM = 72;
  private static final long LAST_SLOT = 15; // epochs 0 and 1: their leaders are fixed at genesis

  private final TestNetwork net = TestNetwork.withStakes(2, 1, 1);
  private final SignedChainState state = net.start();
  private final SigningKey key = TestNetwork.key(0);
  private final ValidatorId self = key.publicKey().address();
  private final HashOnion onion = net.onionOf(self);
  private final ManualClock clock = new ManualClock(TestNetwork.GENESIS_TIME);
  private final ManualScheduler scheduler = new ManualScheduler();
  private final RecordingListener listener = new RecordingListener();
  private final InMemorySigningGuard guard = new InMemorySigningGuard();
  private ScriptedNode node;
  private NetworkValidator validator;

  @BeforeEach
  void startNode() throws IOException {
    node = new ScriptedNode();
  }

  @AfterEach
  void stop() throws Exception {
    if (validator != null) {
      validator.close();
      assertThat(validator.awaitClosed(ScriptedNode.TIMEOUT)).isTrue();
    }
    node.close();
  }

  @Test
  void login_welcome_signsTheNonceOfTheExpectedChainWithItsKey() throws Exception {
    connect(config());
    node.send(welcome(0));

    NodeMessage.Auth auth = node.read(NodeMessage.Auth.class);

    assertThat(auth.publicKey()).isEqualTo(key.publicKey());
    assertThat(Login.verify(auth.publicKey(), net.genesis().hash(), NONCE, auth.signature()))
        .isTrue();
    assertThat(listener.await("connected").value())
        .isEqualTo(welcome(0)); // nothing in it needed escaping
  }

  @Test
  void run_dutySlots_proposesExactlyThemWithValidBlocksAndSuccessiveReveals() throws Exception {
    List<Long> duties = dutiesOf(self);
    assertThat(duties).hasSizeBetween(2, (int) LAST_SLOT - 2);
    logIn(0, duties);

    List<SignedBlock> proposed = new ArrayList<>();
    for (long slot = 1; slot <= LAST_SLOT; slot++) {
      clock.set(net.genesis().slotStart(slot).plusMillis(250));
      node.send(
          new NodeMessage.SlotStarted(slot, net.genesis().epochOf(slot), state.leaderOf(slot)));
      if (duties.contains(slot)) {
        scheduler.runAt(net.genesis().slotStart(slot));
        SignedBlock block = node.read(NodeMessage.Propose.class).block();
        assertThat(state.append(block)).as("rule broken by the block of slot " + slot).isEmpty();
        assertThat(block.slot()).isEqualTo(slot);
        assertThat(block.block().bpm()).isEqualTo(BPM);
        proposed.add(block);
        node.send(new NodeMessage.Accepted(block.index(), block.hash()));
        node.send(new NodeMessage.Announced(block));
        listener.await("accepted");
      } else {
        SignedBlock other = net.forge(state, slot, 60);
        assertThat(state.append(other)).isEmpty();
        node.send(new NodeMessage.Announced(other));
      }
    }
    validator.close();

    assertThat(node.readToEnd()).as("lines after the last duty").isEmpty();
    assertThat(proposed).extracting(SignedBlock::slot).isEqualTo(duties);
    for (int j = 0; j < proposed.size(); j++) {
      assertThat(proposed.get(j).reveal())
          .as("reveal of block " + (j + 1))
          .isEqualTo(onion.valueAt(TestNetwork.ONION_LENGTH - 1 - j));
    }
    assertThat(listener.kinds()).doesNotContain("skipped", "error");
    assertThat(guard.signedSlot()).contains(duties.get(duties.size() - 1));
  }

  @Test
  void switched_itsBlockRolledBack_reusesTheRevealOnTheNewHead() throws Exception {
    List<Long> duties = dutiesOf(self);
    long first = duties.get(0);
    logIn(first - 1, List.of(first));
    // Its first block is accepted and announced...
    for (long slot = 1; slot < first; slot++) {
      SignedBlock other = net.forge(state, slot, 60);
      assertThat(state.append(other)).isEmpty();
      node.send(new NodeMessage.Announced(other));
    }
    SignedChainState beforeItsBlock = state.copy();
    clock.set(net.genesis().slotStart(first).plusMillis(100));
    scheduler.runAt(net.genesis().slotStart(first));
    SignedBlock mine = node.read(NodeMessage.Propose.class).block();
    assertThat(state.append(mine)).isEmpty();
    node.send(new NodeMessage.Accepted(mine.index(), mine.hash()));
    node.send(new NodeMessage.Announced(mine));
    listener.await("accepted");
    // ...then the node switches to a chain without it, whose head is a block of another slot.
    SignedChainState other = beforeItsBlock.copy();
    // A block of another leader for a slot after its block's: found within a few slots.
    long otherSlot = first + 1;
    while (other.leaderOf(otherSlot).equals(self)) {
      otherSlot++;
      assertThat(otherSlot).isLessThan(first + 40);
    }
    SignedBlock replacement = net.forge(other, otherSlot, 61);
    assertThat(other.append(replacement)).isEmpty();
    node.send(
        new NodeMessage.Switched(
            beforeItsBlock.head().index(), other.lastReveal(self).orElseThrow()));
    node.send(new NodeMessage.Announced(replacement));
    assertThat(listener.await("switched").value()).isEqualTo(beforeItsBlock.head().index());

    // Its next duty builds on the new head, with the reveal its rolled-back block had used.
    List<Long> newDuties = new ArrayList<>();
    for (long slot = otherSlot + 1; slot <= otherSlot + 40; slot++) {
      if (other.leaderOf(slot).equals(self)) {
        newDuties.add(slot);
        break;
      }
    }
    long next = newDuties.get(0);
    node.send(new NodeMessage.Duties(newDuties));
    listener.await("duties");
    // Its alarm for the new duty is set before the test moves the clock.
    scheduler.awaitTask(net.genesis().slotStart(next));
    clock.set(net.genesis().slotStart(next).plusMillis(100));
    node.send(new NodeMessage.SlotStarted(next, net.genesis().epochOf(next), self));
    scheduler.runAt(net.genesis().slotStart(next));
    SignedBlock again = node.read(NodeMessage.Propose.class).block();
    assertThat(again.block().prevHash()).isEqualTo(replacement.hash());
    assertThat(again.reveal()).isEqualTo(mine.reveal());
    assertThat(other.append(again)).as("valid on the new chain").isEmpty();
  }

  @Test
  void propose_previousBlockNotYetAnnounced_waitsForItAndBuildsOnIt() throws Exception {
    long duty = firstDutyAfterAnotherLeader();
    logIn(duty - 1, List.of(duty));
    SignedBlock previous = net.forge(state, duty - 1, 60);
    assertThat(state.append(previous)).isEmpty();

    clock.set(net.genesis().slotStart(duty).plusMillis(100));
    scheduler.runAt(net.genesis().slotStart(duty));
    scheduler.awaitTask(clock.instant().plus(ValidatorConfig.DEFAULT_HEAD_WAIT));
    node.send(new NodeMessage.Announced(previous));

    SignedBlock block = node.read(NodeMessage.Propose.class).block();
    assertThat(block.block().prevHash()).isEqualTo(previous.hash());
    assertThat(state.append(block)).isEmpty();
  }

  @Test
  void propose_slotOverWhileWaitingForTheHead_signsNothing() throws Exception {
    long duty = firstDutyAfterAnotherLeader();
    logIn(duty - 1, List.of(duty));

    clock.set(net.genesis().slotStart(duty));
    scheduler.runAt(net.genesis().slotStart(duty));
    Instant headDeadline = clock.instant().plus(ValidatorConfig.DEFAULT_HEAD_WAIT);
    scheduler.awaitTask(headDeadline);
    clock.set(net.genesis().slotStart(duty + 1));
    scheduler.runAt(headDeadline);

    RecordingListener.Event skipped = listener.await("skipped");
    assertThat(skipped.value()).isEqualTo(duty);
    assertThat(skipped.detail()).startsWith("WINDOW_PASSED");
    validator.close();
    assertThat(node.readToEnd()).isEmpty();
    assertThat(guard.signedSlot()).isEmpty();
  }

  @Test
  void propose_guardRefuses_sendsNothing() throws Exception {
    long duty = dutiesOf(self).get(0);
    guard.record(duty, Hash.of(new byte[Hash.LENGTH])); // another block, signed before a crash
    clock.set(net.genesis().slotStart(duty).plusMillis(100));

    logIn(duty, List.of(duty));

    RecordingListener.Event skipped = listener.await("skipped");
    assertThat(skipped.value()).isEqualTo(duty);
    assertThat(skipped.detail()).startsWith("GUARD_REFUSED: refusing to sign block");
    validator.close();
    assertThat(node.readToEnd()).isEmpty();
    assertThat(listener.kinds()).doesNotContain("proposed");
  }

  @Test
  void propose_nodeRefuses_reportsCodeRuleAndEscapedReason() throws Exception {
    long duty = dutiesOf(self).get(0);
    clock.set(net.genesis().slotStart(duty).plusMillis(100));
    logIn(duty, List.of(duty));
    SignedBlock block = node.read(NodeMessage.Propose.class).block();

    node.send(
        new NodeMessage.Refused(
            block.slot(), "breaks-rule", Optional.of("LEADER_FOR_SLOT"), "not yours\u001b[31m"));

    NodeMessage.Refused refused = (NodeMessage.Refused) listener.await("refused").value();
    assertThat(refused)
        .isEqualTo(
            new NodeMessage.Refused(
                duty, "breaks-rule", Optional.of("LEADER_FOR_SLOT"), "not yours\\u001b[31m"));
  }

  @Test
  void connect_otherGenesis_closesBeforeSigningAnything() throws Exception {
    Hash expected = TestNetwork.withStakes(5).genesis().hash();
    connect(config().withGenesisHash(expected));

    node.send(welcome(0));

    String reason = (String) listener.await("closed").value();
    assertThat(reason)
        .contains(net.genesis().hash().hex(), expected.hex())
        .endsWith("not logging in, signing nothing");
    assertThat(node.readToEnd()).as("no login").isEmpty();
    assertThat(listener.kinds()).containsExactly("closed");
  }

  @Test
  void connect_lastRevealNotInTheOnion_closes() throws Exception {
    connect(config());
    node.send(welcome(0));
    node.read(NodeMessage.Auth.class);

    node.send(new NodeMessage.LoggedIn(self, 2, NONCE, List.of(1L)));

    assertThat((String) listener.await("closed").value())
        .contains(NONCE.hex(), "is not in the onion given");
  }

  @Test
  void connect_garbageInsteadOfWelcome_closes() throws Exception {
    connect(config());

    node.sendRaw("hello\n");

    assertThat((String) listener.await("closed").value())
        .startsWith("not a posj-node/1 node: its first line is not a welcome: not a JSON message");
    assertThat(node.readToEnd()).isEmpty();
  }

  @Test
  void connect_nodeSilent_closesAtTheHandshakeTimeout() throws Exception {
    connect(config().withHandshakeTimeout(Duration.ofSeconds(3)));

    clock.set(clock.instant().plusSeconds(3));
    scheduler.runAt(clock.instant());

    assertThat(listener.await("closed").value())
        .isEqualTo("the node sent no welcome within 3000 ms");
  }

  @Test
  void connect_systemClockAndNodeSilent_closesAtTheHandshakeTimeout() throws Exception {
    validator =
        NetworkValidator.connect(
            config().withHandshakeTimeout(Duration.ofMillis(200)),
            key,
            onion,
            guard,
            () -> BPM,
            listener,
            Clock.systemUTC(),
            Scheduler.system(Clock.systemUTC()));
    node.accept();

    assertThat(listener.await("closed").value())
        .isEqualTo("the node sent no welcome within 200 ms");
  }

  @Test
  void read_nodeClosesMidLine_closesWithThatReason() throws Exception {
    logIn(0, List.of());

    node.sendRaw("{\"type\":\"slo");
    node.shutdownOutput();

    assertThat(listener.await("closed").value())
        .isEqualTo(
            "the node closed the connection in the middle of a line (12 bytes without a line end)");
  }

  @Test
  void read_lineTooLong_closes() throws Exception {
    logIn(0, List.of());

    node.sendRaw("x".repeat(NetworkValidator.MAX_LINE_BYTES + 1));

    assertThat(listener.await("closed").value())
        .isEqualTo("the node sent a line longer than 65536 bytes");
  }

  @Test
  void read_garbageAfterLogin_reportsAnErrorAndGoesOn() throws Exception {
    logIn(0, List.of());

    node.sendRaw("{\"type\":\"gossip\"}\n");
    node.send(new NodeMessage.Error("bad line"));

    assertThat(listener.await("error").value())
        .isEqualTo(
            "the node sent a line this validator cannot read: unknown message type \"gossip\"");
    assertThat(listener.await("error").value()).isEqualTo("the node answered: bad line");
    assertThat(listener.kinds()).doesNotContain("closed");
  }

  private ValidatorConfig config() {
    return ValidatorConfig.of("127.0.0.1", node.port()).withGenesisHash(net.genesis().hash());
  }

  private void connect(ValidatorConfig config) throws IOException {
    validator =
        NetworkValidator.connect(config, key, onion, guard, () -> BPM, listener, clock, scheduler);
    node.accept();
  }

  /**
   * Connects, welcomes in {@code slot}, checks the login and answers it with {@code duties};
   * returns once the validator has set its alarm for the first duty, if that is still ahead.
   */
  private void logIn(long slot, List<Long> duties) throws Exception {
    connect(config());
    node.send(welcome(slot));
    NodeMessage.Auth auth = node.read(NodeMessage.Auth.class);
    assertThat(Login.verify(auth.publicKey(), net.genesis().hash(), NONCE, auth.signature()))
        .isTrue();
    node.send(new NodeMessage.LoggedIn(self, 2, state.lastReveal(self).orElseThrow(), duties));
    listener.await("loggedIn");
    if (!duties.isEmpty() && clock.instant().isBefore(net.genesis().slotStart(duties.get(0)))) {
      scheduler.awaitTask(
          net.genesis().slotStart(duties.get(0))); // before the test moves the clock
    }
  }

  private NodeMessage.Welcome welcome(long slot) {
    return new NodeMessage.Welcome(
        net.genesis().chainId(),
        net.genesis().hash(),
        net.genesis().genesisTime(),
        net.genesis().slotSeconds(),
        net.genesis().epochSlots(),
        state.head().index(),
        state.head().hash(),
        state.headSlot(),
        slot,
        NONCE);
  }

  /** The slots of epochs 0 and 1 that {@code validator} leads. */
  private List<Long> dutiesOf(ValidatorId validator) {
    List<Long> duties = new ArrayList<>();
    for (long slot = 1; slot <= LAST_SLOT; slot++) {
      if (state.leaderOf(slot).equals(validator)) {
        duties.add(slot);
      }
    }
    return duties;
  }

  /** A duty slot of this validator whose slot before is another's (at least slot 2). */
  private long firstDutyAfterAnotherLeader() {
    return dutiesOf(self).stream()
        .filter(slot -> slot >= 2 && !state.leaderOf(slot - 1).equals(self))
        .findFirst()
        .orElseThrow();
  }
}
