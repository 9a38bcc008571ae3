package io.github.posj.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.ChainRule;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.node.NetworkEvent.Refusal;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

final class NetworkNodeTest {
  private final TestNetwork network = TestNetwork.withStakes(10, 20, 30, 40);
  private final Genesis genesis = network.genesis();
  private final InMemorySignedChainStore store = new InMemorySignedChainStore();
  private final SignedChainStore.Opened opened = store.open(genesis);
  private final NetworkNode node = new NetworkNode(opened.state(), store);
  // A shadow state to forge blocks on, as the leaders would.
  private final SignedChainState shadow = network.start();

  private Instant in(long slot, long millis) {
    return genesis.slotStart(slot).plusMillis(millis);
  }

  private NetworkEvent submit(SignedBlock block, Instant at) {
    List<NetworkEvent> events = node.apply(new NetworkCommand.Submit(block.publicKey(), block, at));
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private SignedBlock forgeAndTrack(long slot) {
    SignedBlock block = network.forge(shadow, slot, 70);
    shadow.append(block);
    return block;
  }

  @Test
  void theLeadersBlockIsStoredThenAccepted() {
    SignedBlock block = forgeAndTrack(1);
    NetworkEvent event = submit(block, in(1, 2_000));

    assertThat(event).isEqualTo(new NetworkEvent.Accepted(block));
    assertThat(store.blocks()).containsExactly(block);
    assertThat(node.head()).isEqualTo(block.block());
  }

  @Test
  void lateFutureAndTakenSlotsAreRefusedNotSlashed() {
    SignedBlock block = network.forge(shadow, 2, 70);
    assertThat(refusal(submit(block, in(1, 0)))).isEqualTo(Refusal.FUTURE_SLOT);
    assertThat(refusal(submit(block, in(3, 0)))).isEqualTo(Refusal.LATE);
    assertThat(submit(block, in(2, 29_999))).isInstanceOf(NetworkEvent.Accepted.class);
    assertThat(refusal(submit(block, in(2, 1)))).isEqualTo(Refusal.DUPLICATE);
  }

  @Test
  void anotherValidatorsBlockIsRefusedWithTheLeaderRule() {
    ValidatorId leader = shadow.leaderOf(1);
    ValidatorId other =
        genesis.validators().stream()
            .map(v -> v.address())
            .filter(a -> !a.equals(leader))
            .findFirst()
            .orElseThrow();
    SigningKey key = network.keyOf(other);
    SignedBlock block =
        SignedBlock.sign(
            key,
            genesis.hash(),
            1,
            1,
            genesis.hash(),
            network
                .onionOf(other)
                .revealAfter(shadow.lastReveal(other).orElseThrow())
                .orElseThrow(),
            70,
            network.timestampIn(1, 100));
    NetworkEvent event = submit(block, in(1, 200));

    assertThat(refusal(event)).isEqualTo(Refusal.BREAKS_RULE);
    assertThat(((NetworkEvent.Refused) event).rule().orElseThrow().rule())
        .isEqualTo(ChainRule.LEADER_FOR_SLOT);
  }

  @Test
  void aBlockUnderAnotherKeyThanTheLoginIsRefused() {
    SignedBlock block = network.forge(shadow, 1, 70);
    PublicKey someoneElse = TestNetwork.key(99).publicKey();
    List<NetworkEvent> events = node.apply(new NetworkCommand.Submit(someoneElse, block, in(1, 0)));
    assertThat(refusal(events.get(0))).isEqualTo(Refusal.NOT_YOUR_KEY);
  }

  @Test
  void aSecondSignedBlockForAHeldSlotIsEvidence() {
    SignedBlock first = forgeAndTrack(1);
    submit(first, in(1, 0));
    SignedBlock second =
        SignedBlock.sign(
            network.keyOf(first.block().validator()),
            genesis.hash(),
            1,
            1,
            genesis.hash(),
            first.reveal(),
            71,
            first.block().timestamp());

    assertThat(submit(second, in(1, 10))).isEqualTo(new NetworkEvent.EvidenceFound(first, second));
  }

  @Test
  void ticksStartSlotsAndReportMissedOnes() {
    assertThat(node.apply(new NetworkCommand.Tick(in(1, 0))))
        .containsExactly(new NetworkEvent.SlotStarted(1, 0, shadow.leaderOf(1)));
    assertThat(node.apply(new NetworkCommand.Tick(in(1, 500)))).isEmpty();
    assertThat(node.apply(new NetworkCommand.Tick(in(2, 0))))
        .containsExactly(
            new NetworkEvent.SlotMissed(1, shadow.leaderOf(1)),
            new NetworkEvent.SlotStarted(2, 0, shadow.leaderOf(2)));
  }

  @Test
  void dutiesListTheSlotsAValidatorLeadsUntilTheEndOfTheNextEpoch() {
    ValidatorId v = shadow.leaderOf(3);
    List<Long> duties = node.slotsLedBy(v, 3);
    assertThat(duties).startsWith(3L).allMatch(s -> s < 16);
    for (long s = 3; s < 16; s++) {
      assertThat(duties.contains(s)).isEqualTo(shadow.leaderOf(s).equals(v));
    }
  }

  @Test
  void aBrokenStoreStopsAcceptingOnceAndAnnouncesNothing() {
    SignedChainStore failing =
        new SignedChainStore() {
          @Override
          public Opened open(Genesis g) {
            return new Opened(SignedChainState.start(g), List.of(), List.of());
          }

          @Override
          public void append(SignedBlock block) {
            throw new ChainStoreException("disk gone", null, ChainStoreException.State.BROKEN);
          }

          @Override
          public void close() {}
        };
    NetworkNode broken = new NetworkNode(failing.open(genesis).state(), failing);
    SignedBlock block = network.forge(shadow, 1, 70);
    assertThat(broken.apply(new NetworkCommand.Submit(block.publicKey(), block, in(1, 0))))
        .containsExactly(new NetworkEvent.ForgingStopped("disk gone"));
    assertThat(broken.head().index()).isZero();
    assertThat(
            refusal(
                broken.apply(new NetworkCommand.Submit(block.publicKey(), block, in(1, 5))).get(0)))
        .isEqualTo(Refusal.FORGING_STOPPED);
  }

  private static Refusal refusal(NetworkEvent event) {
    assertThat(event).isInstanceOf(NetworkEvent.Refused.class);
    return ((NetworkEvent.Refused) event).reason();
  }
}
