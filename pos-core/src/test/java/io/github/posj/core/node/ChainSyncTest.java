package io.github.posj.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ChainSync} driven by hand: what it asks for, and when it drops a peer. */
final class ChainSyncTest {
  private final TestNetwork network = TestNetwork.withStakes(10, 20, 30);
  private final Genesis genesis = network.genesis();
  private final InMemorySignedChainStore store = new InMemorySignedChainStore();
  private final NetworkNode node = new NetworkNode(store.open(genesis), store);
  private final ChainSync sync =
      new ChainSync(node, new ChainSync.Limits(8, 2, Duration.ofSeconds(10)));
  // The peer's chain: 40 blocks.
  private final SignedChainState peerState = network.start();
  private final List<SignedBlock> peerChain = network.forgeSlots(peerState, 1, 40);
  private final Instant now = genesis.slotStart(41);

  private List<SyncEvent> status() {
    return sync.status(7, peerState.head().index(), peerState.head().hash(), now);
  }

  private List<SignedBlock> range(long from, int count) {
    return peerChain.subList((int) from - 1, (int) from - 1 + count);
  }

  @Test
  void itAsksInBoundedRangesWithBoundedRequestsInFlight() {
    assertThat(status())
        .containsExactly(new SyncEvent.Request(7, 1, 8), new SyncEvent.Request(7, 9, 8));
    // An answer frees a place for the next request, and the blocks are applied and stored.
    List<SyncEvent> events = sync.blocks(7, 1, range(1, 8), now);
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isInstanceOf(SyncEvent.ChainChanged.class);
    assertThat(events.get(1)).isEqualTo(new SyncEvent.Request(7, 17, 8));
    assertThat(store.blocks()).isEqualTo(range(1, 8));
  }

  @Test
  void answersArriveInAnyOrderAndTheWholeChainIsTaken() {
    status();
    java.util.ArrayDeque<SyncEvent.Request> asked = new java.util.ArrayDeque<>();
    collect(sync.blocks(7, 9, range(9, 8), now), asked); // the second answer first
    assertThat(node.head().index()).isZero();
    collect(sync.blocks(7, 1, range(1, 8), now), asked);
    for (int answers = 0; answers < 100 && !asked.isEmpty(); answers++) {
      // Answer the newest request first: out of order again.
      SyncEvent.Request r = asked.pollLast();
      collect(sync.blocks(7, r.from(), range(r.from(), r.count()), now), asked);
    }
    assertThat(store.blocks()).isEqualTo(peerChain);
    assertThat(sync.syncingFrom()).isEmpty();
  }

  private static void collect(List<SyncEvent> events, java.util.Deque<SyncEvent.Request> asked) {
    for (SyncEvent e : events) {
      assertThat(e).isNotInstanceOf(SyncEvent.Drop.class);
      if (e instanceof SyncEvent.Request r) {
        asked.add(r);
      }
    }
    assertThat(asked).hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void aPeerWhoseAnswerDoesNotFitTheRequestIsDropped() {
    status();
    List<SyncEvent> events = sync.blocks(7, 1, range(1, 9), now);
    assertThat(events.get(0)).isInstanceOf(SyncEvent.Drop.class);
    assertThat(((SyncEvent.Drop) events.get(0)).reason()).contains("of 8 with 9");

    status();
    events = sync.blocks(7, 1, range(2, 8), now);
    assertThat(((SyncEvent.Drop) events.get(0)).reason()).contains("Index 2 in place 0");
    assertThat(store.blocks()).isEmpty();
  }

  @Test
  void unaskedAnswersAreIgnored() {
    assertThat(sync.blocks(7, 1, range(1, 8), now)).isEmpty();
    assertThat(store.blocks()).isEmpty();
  }

  @Test
  void aPeerThatDoesNotAnswerInTimeIsDropped() {
    status();
    assertThat(sync.tick(now.plusSeconds(9))).isEmpty();
    List<SyncEvent> events = sync.tick(now.plusSeconds(10));
    assertThat(events.get(0)).isInstanceOf(SyncEvent.Drop.class);
    assertThat(sync.syncingFrom()).isEmpty();
  }

  @Test
  void anInvalidBlockInARangeIsNotAppliedNorAnythingAfterIt() {
    status();
    List<SignedBlock> answer = new java.util.ArrayList<>(range(1, 8));
    SignedBlock fourth = answer.get(3);
    answer.set(
        3,
        SignedBlock.sign(
            TestNetwork.key(0),
            genesis.hash(),
            fourth.index(),
            fourth.slot(),
            fourth.block().prevHash(),
            fourth.reveal(),
            fourth.block().bpm(),
            fourth.block().timestamp()));
    List<SyncEvent> events = sync.blocks(7, 1, answer, now);
    assertThat(events.get(0)).isInstanceOf(SyncEvent.Drop.class);
    // The branch is applied only once it wins, so none of it was: the node stays at block 0.
    assertThat(store.blocks()).isEmpty();
    assertThat(node.head().index()).isZero();
  }

  @Test
  void aPeerThatSaysItIsAheadButIsNotIsNotAskedAgainUntilItsNextStatus() {
    sync.status(7, 1_000_000, Hash.fromHex("ab".repeat(32)), now);
    List<SyncEvent> events = sync.blocks(7, 1, range(1, 3), now); // it has less than it said
    assertThat(events).noneMatch(e -> e instanceof SyncEvent.Request);
    assertThat(sync.syncingFrom()).isEmpty();
    assertThat(store.blocks()).isEqualTo(range(1, 3));
  }

  @Test
  void signatureChecksMadeByTheHostTakeThePlaceOfItsOwn() {
    status();
    boolean[] checks = new boolean[8];
    java.util.Arrays.fill(checks, true);
    checks[5] = false; // the host found block 6's signature bad
    List<SyncEvent> events = sync.blocks(7, 1, range(1, 8), checks, now);
    assertThat(((SyncEvent.Drop) events.get(0)).reason()).contains("SIGNATURE_VALID");
    assertThat(store.blocks()).isEmpty();

    status();
    java.util.Arrays.fill(checks, true);
    events = sync.blocks(7, 1, range(1, 8), checks, now);
    assertThat(events.get(0)).isInstanceOf(SyncEvent.ChainChanged.class);
    assertThat(store.blocks()).isEqualTo(range(1, 8));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> sync.blocks(7, 9, range(9, 8), new boolean[7], now))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPeerWhoseChainChangesBetweenAnswersIsFollowedAgainButNotForever() {
    // The peer's other fork: blocks 1 to 3 as before, then its own blocks from slot 5 on.
    SignedChainState other = network.start();
    List<SignedBlock> otherChain = new java.util.ArrayList<>(peerChain.subList(0, 3));
    otherChain.forEach(other::appendSignatureChecked);
    otherChain.addAll(network.forgeSlots(other, 5, 20));
    // An answer whose blocks 1 to 4 are of one fork and 5 to 8 of the other, as if the peer
    // switched while answering.
    List<SignedBlock> mixed = new java.util.ArrayList<>(range(1, 4));
    mixed.addAll(otherChain.subList(4, 8));
    status();
    for (int i = 0; i < ChainSync.MAX_RESTARTS; i++) {
      List<SyncEvent> events = sync.blocks(7, 1, mixed, now);
      assertThat(events).noneMatch(e -> e instanceof SyncEvent.Drop);
      assertThat(events).contains(new SyncEvent.Request(7, 1, 8)); // it starts again
    }
    List<SyncEvent> events = sync.blocks(7, 1, mixed, now);
    assertThat(((SyncEvent.Drop) events.get(0)).reason()).contains("did not link up 4 times");
    assertThat(store.blocks()).isEmpty();
  }
}
