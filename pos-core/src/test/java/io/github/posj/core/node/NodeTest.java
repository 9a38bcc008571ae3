package io.github.posj.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.node.NodeEvent.ProposalRefused;
import io.github.posj.core.node.NodeEvent.RegistrationRefused;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.InMemoryChainStore;
import io.github.posj.core.testing.ScriptedRandomness;
import io.github.posj.core.testing.TestBlocks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class NodeTest {
  private static final Instant T = TestBlocks.START.plusSeconds(30);
  private static final NodeRules RULES = new NodeRules(1, 1_000, 2);

  private final Chain genesis = TestBlocks.genesis(HashScheme.posj());
  private final InMemoryChainStore store = new InMemoryChainStore(genesis);
  private Node node = new Node(genesis, store, RULES, new ScriptedRandomness(0, 0, 0, 0));

  private static Hash material(int n) {
    byte[] bytes = new byte[32];
    bytes[0] = (byte) n;
    bytes[31] = (byte) (n >> 8);
    return Hash.of(bytes);
  }

  private ValidatorId register(int n, long stake) {
    NodeEvent event = single(node.apply(new NodeCommand.Register(stake, material(n))));
    assertThat(event).isInstanceOf(NodeEvent.Registered.class);
    return ((NodeEvent.Registered) event).validator();
  }

  private NodeEvent propose(ValidatorId validator, long bpm) {
    return single(node.apply(new NodeCommand.Propose(validator, bpm, T)));
  }

  private static NodeEvent single(List<NodeEvent> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  @Test
  void register_stakeInRange_mintsTheAddressFromTheMaterial() {
    NodeEvent event = single(node.apply(new NodeCommand.Register(100, material(1))));

    assertThat(event)
        .isEqualTo(new NodeEvent.Registered(ValidatorId.derive(material(1).toByteArray()), 100, 1));
    assertThat(node.stakes().stakeOf(ValidatorId.derive(material(1).toByteArray()))).hasValue(100);
  }

  @Test
  void register_belowMinimumOrAboveMaximum_isRefusedWithTheLimit() {
    assertThat(single(node.apply(new NodeCommand.Register(0, material(1)))))
        .isEqualTo(new RegistrationRefused(RegistrationRefused.Reason.BELOW_MINIMUM, 0, 1));
    assertThat(single(node.apply(new NodeCommand.Register(-5, material(1)))))
        .isEqualTo(new RegistrationRefused(RegistrationRefused.Reason.BELOW_MINIMUM, -5, 1));
    assertThat(single(node.apply(new NodeCommand.Register(1_001, material(1)))))
        .isEqualTo(new RegistrationRefused(RegistrationRefused.Reason.ABOVE_MAXIMUM, 1_001, 1_000));
    assertThat(node.validatorCount()).isZero();
  }

  @Test
  void register_totalWouldOverflow_isRefusedWithTheHeadroom() {
    node = new Node(genesis, store, new NodeRules(1, Long.MAX_VALUE, 2), new ScriptedRandomness());
    register(1, Long.MAX_VALUE - 10);

    assertThat(single(node.apply(new NodeCommand.Register(11, material(2)))))
        .isEqualTo(new RegistrationRefused(RegistrationRefused.Reason.TOTAL_STAKE_FULL, 11, 10));
    register(3, 10);
  }

  @Test
  void register_addressAlreadyRegistered_isRefused() {
    register(1, 10);

    assertThat(single(node.apply(new NodeCommand.Register(20, material(1)))))
        .isEqualTo(new RegistrationRefused(RegistrationRefused.Reason.ADDRESS_TAKEN, 20, 0));
    assertThat(node.stakes().totalEligibleStake()).isEqualTo(10);
  }

  @Test
  void propose_registered_buildsACandidateOnTheHeadAtTheCommandsTime() {
    ValidatorId alice = register(1, 10);

    NodeEvent event = propose(alice, 72);

    assertThat(event)
        .isEqualTo(
            new NodeEvent.ProposalAccepted(
                alice, genesis.nextBlock(72, TestBlocks.timestamp(30), alice)));
  }

  @Test
  void propose_notRegistered_isRefused() {
    ValidatorId stranger = ValidatorId.derive(material(9).toByteArray());

    assertThat(propose(stranger, 72))
        .isEqualTo(new ProposalRefused(stranger, ProposalRefused.Reason.NOT_REGISTERED, 0));
  }

  @Test
  void propose_overTheLimitThisRound_isRefusedUntilTheNextRound() {
    ValidatorId alice = register(1, 10);
    propose(alice, 70);
    propose(alice, 71);

    assertThat(propose(alice, 72))
        .isEqualTo(new ProposalRefused(alice, ProposalRefused.Reason.TOO_MANY_PROPOSALS, 2));

    node.apply(new NodeCommand.EndRound());
    assertThat(propose(alice, 73)).isInstanceOf(NodeEvent.ProposalAccepted.class);
  }

  @Test
  void proposeMalformed_registered_slashesAndForfeitsTheStake() {
    ValidatorId alice = register(1, 10);
    propose(alice, 70);

    assertThat(single(node.apply(new NodeCommand.ProposeMalformed(alice, "abc"))))
        .isEqualTo(new NodeEvent.Slashed(alice, 10, "abc"));

    assertThat(node.stakes().stakeOf(alice)).isEmpty();
    assertThat(propose(alice, 71))
        .isEqualTo(new ProposalRefused(alice, ProposalRefused.Reason.NOT_REGISTERED, 0));
    // Its earlier proposal is still a candidate, but a slashed validator is not eligible.
    NodeEvent.RoundEnded ended =
        (NodeEvent.RoundEnded) single(node.apply(new NodeCommand.EndRound()));
    assertThat(((RoundOutcome.Skipped) ended.outcome()).reason())
        .isEqualTo(RoundOutcome.SkipReason.NO_ELIGIBLE_VALIDATOR);
  }

  @Test
  void proposeMalformed_notRegistered_changesNothing() {
    assertThat(
            node.apply(new NodeCommand.ProposeMalformed(ValidatorId.derive(new byte[] {1}), "x")))
        .isEmpty();
  }

  @Test
  void leave_registered_releasesTheStake() {
    ValidatorId alice = register(1, 10);
    register(2, 5);

    assertThat(single(node.apply(new NodeCommand.Leave(alice))))
        .isEqualTo(new NodeEvent.Left(alice, 10, 1));
    assertThat(node.apply(new NodeCommand.Leave(alice))).isEmpty();
    assertThat(node.stakes().totalEligibleStake()).isEqualTo(5);
  }

  @Test
  void endRound_noProposals_isSkippedAndCounted() {
    assertThat(single(node.apply(new NodeCommand.EndRound())))
        .isEqualTo(
            new NodeEvent.RoundEnded(
                1,
                new RoundOutcome.Skipped(
                    RoundOutcome.SkipReason.NO_PROPOSALS, new RoundOutcome.Tally(0, 0, 0, 0, 0)),
                0));
    assertThat(node.rounds()).isEqualTo(1);
  }

  @Test
  void endRound_withProposals_storesTheWinnersBlockBeforeAnnouncingIt() {
    ValidatorId alice = register(1, 10);
    Block block = ((NodeEvent.ProposalAccepted) propose(alice, 72)).block();

    NodeEvent.RoundEnded ended =
        (NodeEvent.RoundEnded) single(node.apply(new NodeCommand.EndRound()));

    assertThat(ended.height()).isEqualTo(1);
    assertThat(((RoundOutcome.Forged) ended.outcome()).block()).isEqualTo(block);
    assertThat(store.chain().orElseThrow().head()).isEqualTo(block);
    assertThat(node.chain().head()).isEqualTo(block);
  }

  @Test
  void endRound_leavesNoCandidatesForTheNextRound() {
    ValidatorId alice = register(1, 10);
    propose(alice, 72);
    node.apply(new NodeCommand.EndRound());

    NodeEvent.RoundEnded next =
        (NodeEvent.RoundEnded) single(node.apply(new NodeCommand.EndRound()));

    assertThat(((RoundOutcome.Skipped) next.outcome()).reason())
        .isEqualTo(RoundOutcome.SkipReason.NO_PROPOSALS);
  }

  @Test
  void endRound_storeFailsIntact_forgesNothingAndGoesOn() {
    FailingStore failing = new FailingStore(ChainStoreException.State.INTACT);
    node = new Node(genesis, failing, RULES, new ScriptedRandomness(0, 0));
    ValidatorId alice = register(1, 10);
    Block block = ((NodeEvent.ProposalAccepted) propose(alice, 72)).block();

    List<NodeEvent> events = node.apply(new NodeCommand.EndRound());

    assertThat(events)
        .containsExactly(
            new NodeEvent.BlockNotStored(1, block, "disk full", false),
            new NodeEvent.RoundEnded(
                1,
                new RoundOutcome.Skipped(
                    RoundOutcome.SkipReason.STORE_FAILED, new RoundOutcome.Tally(1, 0, 0, 1, 10)),
                0));
    assertThat(node.chain().height()).isZero();
    assertThat(node.forgingStopped()).isEmpty();
    failing.failing = false;
    propose(alice, 73);
    assertThat(node.apply(new NodeCommand.EndRound()).get(0))
        .isInstanceOf(NodeEvent.RoundEnded.class);
    assertThat(node.chain().height()).isEqualTo(1);
  }

  @Test
  void endRound_storeBroken_stopsForgingOnceAndKeepsTheChain() {
    node =
        new Node(
            genesis,
            new FailingStore(ChainStoreException.State.BROKEN),
            RULES,
            new ScriptedRandomness(0, 0));
    ValidatorId alice = register(1, 10);
    propose(alice, 72);

    List<NodeEvent> events = node.apply(new NodeCommand.EndRound());

    assertThat(events).hasSize(3);
    assertThat(events.get(2)).isEqualTo(new NodeEvent.ForgingStopped("disk full"));
    assertThat(node.forgingStopped()).contains("disk full");
    assertThat(propose(alice, 73))
        .isEqualTo(new ProposalRefused(alice, ProposalRefused.Reason.FORGING_STOPPED, 0));
    assertThat(node.apply(new NodeCommand.EndRound())).isEmpty();
    assertThat(node.rounds()).isEqualTo(1);
    assertThat(node.chain().height()).isZero();
  }

  @Test
  void endRound_storeHoldsAnotherChain_stopsForging() {
    Chain other = TestBlocks.chain(HashScheme.posj(), 2);
    node = new Node(genesis, new InMemoryChainStore(other), RULES, new ScriptedRandomness(0));
    ValidatorId alice = register(1, 10);
    propose(alice, 72);

    List<NodeEvent> events = node.apply(new NodeCommand.EndRound());

    assertThat(events.get(0))
        .isInstanceOfSatisfying(
            NodeEvent.BlockNotStored.class, failed -> assertThat(failed.broken()).isTrue());
    assertThat(events.get(events.size() - 1)).isInstanceOf(NodeEvent.ForgingStopped.class);
  }

  @Test
  void endRound_drawsTheTicketTheRandomnessPoints() {
    // 10 and 30 tokens: 40 tickets laid out in arrival order, alice's 0-9, bob's 10-39.
    // nextLong(40) of a scripted value v is (v >>> 1) % 40.
    assertThat(winnerOf(2 * 9)).isEqualTo(ValidatorId.derive(material(1).toByteArray()));
    assertThat(winnerOf(2 * 10)).isEqualTo(ValidatorId.derive(material(2).toByteArray()));
    assertThat(winnerOf(2 * 39)).isEqualTo(ValidatorId.derive(material(2).toByteArray()));
  }

  private ValidatorId winnerOf(long scripted) {
    node =
        new Node(genesis, new InMemoryChainStore(genesis), RULES, new ScriptedRandomness(scripted));
    ValidatorId alice = register(1, 10);
    ValidatorId bob = register(2, 30);
    propose(alice, 70);
    propose(bob, 71);
    NodeEvent.RoundEnded ended =
        (NodeEvent.RoundEnded) single(node.apply(new NodeCommand.EndRound()));
    return ((RoundOutcome.Forged) ended.outcome()).winner();
  }

  @Test
  void replay_sameCommandLog_givesTheSameEventsAndChainByteForByte() {
    List<NodeCommand> log = randomLog(7, 600);

    Run first = run(log, 42);
    Run second = run(log, 42);

    assertThat(first.chainJson).isEqualTo(second.chainJson);
    assertThat(first.events).isEqualTo(second.events);
    assertThat(first.height).isGreaterThan(10);
    assertThat(run(log, 43).chainJson).isNotEqualTo(first.chainJson);
  }

  /** A mixed log: registrations, proposals (some malformed), departures and round ends. */
  private static List<NodeCommand> randomLog(long seed, int length) {
    RandomnessSource random = RandomnessSource.seeded(seed);
    List<ValidatorId> registered = new ArrayList<>();
    List<NodeCommand> log = new ArrayList<>();
    Instant time = T;
    for (int i = 0; i < length; i++) {
      long choice = random.nextLong(10);
      if (choice < 2 || registered.isEmpty()) {
        Hash material = material(i);
        log.add(new NodeCommand.Register(random.nextLong(1_100), material));
        registered.add(ValidatorId.derive(material.toByteArray()));
      } else if (choice < 7) {
        ValidatorId who = registered.get((int) random.nextLong(registered.size()));
        log.add(new NodeCommand.Propose(who, random.nextLong(200), time));
      } else if (choice == 7) {
        log.add(new NodeCommand.EndRound());
        time = time.plusSeconds(30);
      } else if (choice == 8 && random.nextLong(4) == 0) {
        log.add(
            new NodeCommand.ProposeMalformed(
                registered.get((int) random.nextLong(registered.size())), "7.5"));
      } else {
        log.add(new NodeCommand.Leave(registered.get((int) random.nextLong(registered.size()))));
      }
    }
    log.add(new NodeCommand.EndRound());
    return log;
  }

  private record Run(List<String> events, String chainJson, long height) {}

  /** Events compared by their text: a forged outcome holds a Chain, compared by identity. */
  private Run run(List<NodeCommand> log, long seed) {
    InMemoryChainStore fresh = new InMemoryChainStore(genesis);
    Node replayed = new Node(genesis, fresh, RULES, RandomnessSource.seeded(seed));
    List<String> events = new ArrayList<>();
    for (NodeCommand command : log) {
      for (NodeEvent event : replayed.apply(command)) {
        events.add(describe(event));
      }
    }
    String json = ChainJson.write(replayed.chain().blocks());
    assertThat(ChainJson.write(fresh.chain().orElseThrow().blocks())).isEqualTo(json);
    return new Run(events, json, replayed.chain().height());
  }

  private static String describe(NodeEvent event) {
    if (event instanceof NodeEvent.RoundEnded ended
        && ended.outcome() instanceof RoundOutcome.Forged forged) {
      return "forged " + ended.round() + " " + forged.winner() + " " + forged.block();
    }
    return event.toString();
  }

  /** A store that fails every append (until told not to), leaving itself as {@code state}. */
  private static final class FailingStore implements ChainStore {
    private final InMemoryChainStore delegate;
    private final ChainStoreException.State state;
    boolean failing = true;

    FailingStore(ChainStoreException.State state) {
      this.state = state;
      this.delegate = new InMemoryChainStore(TestBlocks.genesis(HashScheme.posj()));
    }

    @Override
    public Opened open(HashScheme scheme, Block genesis) {
      return delegate.open(scheme, genesis);
    }

    @Override
    public void append(Block block) {
      if (failing) {
        throw new ChainStoreException("disk full", null, state);
      }
      delegate.append(block);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
