package io.github.posj.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.ForkChoice;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestNetwork;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Many nodes on a simulated network with a virtual clock ({@link SimulatedNetwork}): they converge,
 * heal partitions by fork choice, catch up after a crash, and never apply what a lying peer sends.
 */
final class ChainSyncSimulationTest {
  private static final ChainSync.Limits LIMITS =
      new ChainSync.Limits(16, 4, Duration.ofSeconds(10));

  private static SimulatedNetwork fiveNodes(long seed) {
    // 6 validators over 5 nodes, 30 s slots, 8-slot epochs (finality depth 16 blocks).
    return new SimulatedNetwork(
        TestNetwork.withStakes(10, 20, 30, 40, 50, 60),
        5,
        LIMITS,
        seed,
        Duration.ofMillis(20),
        Duration.ofMillis(400));
  }

  private static Instant midSlot(SimulatedNetwork sim, long slot) {
    return sim.genesis.slotStart(slot).plusSeconds(15);
  }

  /** Replays {@code blocks} on a fresh state with every rule, as pos verify does. */
  private static void assertValidChain(SimulatedNetwork sim, List<SignedBlock> blocks) {
    SignedChainState state = SignedChainState.start(sim.genesis);
    for (SignedBlock block : blocks) {
      assertThat(state.append(block)).as("block %d", block.index()).isEmpty();
    }
  }

  private static void assertConverged(SimulatedNetwork sim) {
    assertThat(sim.headsOfNodesUp()).hasSize(1);
    List<SignedBlock> first = sim.nodes.get(0).blocks();
    for (SimulatedNetwork.SimNode n : sim.nodes) {
      assertThat(n.blocks()).isEqualTo(first);
      assertValidChain(sim, n.blocks());
    }
  }

  @Test
  void fiveNodesWithValidatorsSpreadOverThemConvergeOnOneChain() {
    SimulatedNetwork sim = fiveNodes(1);
    sim.runUntil(midSlot(sim, 40));

    assertConverged(sim);
    // Every slot's leader is online and hears the previous block in time: no slot is missed.
    assertThat(sim.nodes.get(0).node.head().index()).isEqualTo(40);
    for (SimulatedNetwork.SimNode n : sim.nodes) {
      assertThat(n.dropReasons).isEmpty();
    }
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedTheSameChain() {
    SimulatedNetwork a = fiveNodes(7);
    SimulatedNetwork b = fiveNodes(7);
    SimulatedNetwork c = fiveNodes(8);
    for (SimulatedNetwork sim : List.of(a, b, c)) {
      sim.links((x, y) -> !(x < 2 ^ y < 2) || sim.now().isBefore(sim.genesis.slotStart(4)));
      sim.runUntil(midSlot(sim, 10));
    }
    assertThat(b.headsOfNodesUp()).isEqualTo(a.headsOfNodesUp());
    assertThat(a.headsOfNodesUp()).hasSize(2); // still cut
    // Other latencies, same leaders and timestamps: the same blocks on each side.
    assertThat(c.headsOfNodesUp()).isEqualTo(a.headsOfNodesUp());
  }

  @Test
  void aPartitionHealsOnTheForkChoiceWinnerAndTheLoserRollsBack() {
    SimulatedNetwork sim = fiveNodes(3);
    Instant cut = sim.genesis.slotStart(5);
    Instant heal = sim.genesis.slotStart(13);
    // Nodes 0 and 1 (validators 0, 1, 5, 6 - here 0, 1, 5) against 2, 3 and 4.
    sim.links((x, y) -> (x < 2) == (y < 2) || sim.now().isBefore(cut) || !sim.now().isBefore(heal));
    sim.runUntil(heal.minusMillis(1));

    assertThat(sim.headsOfNodesUp()).hasSize(2);
    Hash sideA = sim.nodes.get(0).node.head().hash();
    Hash sideB = sim.nodes.get(2).node.head().hash();
    assertThat(sim.nodes.get(1).node.head().hash()).isEqualTo(sideA);
    boolean aWins = ForkChoice.prefers(sim.nodes.get(0).node.head(), sim.nodes.get(2).node.head());

    sim.reconnectAll();
    sim.runUntil(heal.plusSeconds(5));

    assertConverged(sim);
    Hash winnerTip = aWins ? sideA : sideB;
    List<SignedBlock> chain = sim.nodes.get(0).blocks();
    assertThat(chain.stream().map(SignedBlock::hash)).contains(winnerTip);
    int loser = aWins ? 2 : 0;
    assertThat(sim.nodes.get(loser).switches)
        .anySatisfy(change -> assertThat(change.removed()).isNotEmpty());
    // Then the network goes on as one.
    sim.runUntil(midSlot(sim, 20));
    assertConverged(sim);
  }

  @Test
  void aForkDeeperThanFinalityIsNeverFollowed() {
    SimulatedNetwork sim = fiveNodes(5);
    Instant heal = sim.genesis.slotStart(60);
    sim.links((x, y) -> (x < 2) == (y < 2) || !sim.now().isBefore(heal));
    sim.runUntil(heal.minusMillis(1));
    long finalA = sim.nodes.get(0).node.finalizedIndex();
    Hash finalBlockA = sim.nodes.get(0).node.hashAt(finalA).orElseThrow();

    sim.reconnectAll();
    sim.runUntil(heal.plusSeconds(5));

    // Each side keeps the blocks it holds as final; the one that would have to switch drops the
    // other side's nodes with the reason instead.
    assertThat(sim.headsOfNodesUp()).hasSize(2);
    assertThat(sim.nodes.get(0).blocks().get((int) finalA - 1).hash()).isEqualTo(finalBlockA);
    List<String> reasons =
        sim.nodes.stream().flatMap(n -> n.dropReasons.stream()).distinct().toList();
    assertThat(reasons).isNotEmpty().allMatch(r -> r.contains("final block"));
  }

  @Test
  void aNodeThatCrashedCatchesUpFromItsStorePlusPeers() {
    SimulatedNetwork sim = fiveNodes(11);
    sim.runUntil(midSlot(sim, 10));
    SimulatedNetwork.SimNode crashed = sim.nodes.get(4);
    List<SignedBlock> before = crashed.blocks();
    crashed.crash();
    sim.runUntil(midSlot(sim, 90));
    assertThat(crashed.blocks()).isEqualTo(before);

    crashed.restart();
    sim.runUntil(midSlot(sim, 92));

    assertConverged(sim);
    // It asked in ranges of at most 16 blocks.
    assertThat(crashed.switches).hasSizeGreaterThan(1);
    // Its own validator was down with it, so its slots were missed; the rest were filled.
    assertThat(crashed.node.head().index()).isGreaterThan(before.size() + 50L);
  }

  @Test
  void aNodeWithAnEmptyStoreSyncsTheWholeChain() {
    SimulatedNetwork sim = fiveNodes(13);
    sim.runUntil(midSlot(sim, 50));
    SimulatedNetwork.SimNode fresh = sim.nodes.get(3);
    fresh.crash();
    fresh.startEmpty();
    fresh.restart();
    sim.runUntil(midSlot(sim, 51));
    assertConverged(sim);
  }

  @Test
  void aForgedBlockFromAPeerIsNeverAppliedAndThePeerIsDropped() {
    SimulatedNetwork sim = fiveNodes(17);
    sim.runUntil(midSlot(sim, 3));
    SimulatedNetwork.SimNode victim = sim.nodes.get(1);
    long slot = 4;
    ValidatorId leader = victim.node.leaderOf(slot);
    SignedBlock honest = sim.network.forge(victim.state().copy(), slot, 70);
    // The same block with another BPM: its Hash and signature no longer fit.
    SignedBlock forged =
        SignedBlock.sign(
            TestNetwork.key(0),
            sim.genesis.hash(),
            honest.index(),
            honest.slot(),
            honest.block().prevHash(),
            honest.reveal(),
            71,
            honest.block().timestamp());
    sim.at(
        sim.genesis.slotStart(slot).plusMillis(100),
        () -> sim.inject(0, 1, new SimulatedNetwork.NewBlock(forged)));
    sim.runUntil(sim.genesis.slotStart(slot).plusMillis(1_000));

    assertThat(victim.node.head().index()).isEqualTo(3);
    assertThat(victim.dropped).contains(0);
    assertThat(victim.dropReasons.get(0)).contains("invalid block");
    assertThat(leader).isNotNull();
  }

  @Test
  void evidenceOfADoubleSignedSlotReachesEveryNodeOnce() {
    SimulatedNetwork sim = fiveNodes(19);
    sim.runUntil(midSlot(sim, 6));
    SimulatedNetwork.SimNode holder = sim.nodes.get(0);
    SignedBlock held = holder.blocks().get(5); // Index 6
    SignedChainState before = holder.state().copy();
    before.rollBackTo(5);
    // Its validator signs a second block for the same slot.
    SignedBlock second =
        SignedBlock.sign(
            sim.network.keyOf(held.block().validator()),
            sim.genesis.hash(),
            held.index(),
            held.slot(),
            held.block().prevHash(),
            held.reveal(),
            held.block().bpm() + 1,
            held.block().timestamp());
    sim.inject(2, 0, new SimulatedNetwork.NewBlock(second));
    sim.runUntil(midSlot(sim, 7));

    assertThat(holder.evidence).hasSize(1);
    for (SimulatedNetwork.SimNode n : sim.nodes) {
      if (n.id != 2) {
        assertThat(n.evidence).as("node %d", n.id).hasSize(1);
      }
      assertThat(n.dropReasons).isEmpty();
    }
    assertConverged(sim);
  }
}
