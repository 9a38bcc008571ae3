package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.node.NetworkNode;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import io.github.posj.net.http.EventStream;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.http.NetworkSnapshot;
import io.github.posj.net.metrics.NetworkMetrics;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the HTTP API shows of a chain that a peer's fork replaced in part. */
final class NetworkSnapshotPublisherTest {
  private final TestNetwork network = TestNetwork.withStakes(10, 20, 30);
  private final Genesis genesis = network.genesis();

  @Test
  void aSwitchEmptiesTheSlotsItRolledBackAndBlocksFromPeersGoInSlotOrder() {
    SignedChainState shared = network.start();
    List<SignedBlock> prefix = network.forgeSlots(shared, 1, 4);
    SignedChainState old = shared.copy();
    List<SignedBlock> oldTail = network.forgeSlots(old, 5, 6);
    SignedChainState other = shared.copy();
    List<SignedBlock> branch = network.forgeSlots(other, 7, 9);

    PublishedBlocks blocks = new PublishedBlocks(genesis, List.of());
    InstantSource clock = () -> genesis.slotStart(10);
    NetworkSnapshotPublisher publisher =
        new NetworkSnapshotPublisher(
            genesis,
            blocks,
            clock,
            EventStream.forNode(Instant.EPOCH, HttpSettings.onPort(0)),
            new NetworkMetrics("test", () -> 0, System::nanoTime, false));
    InMemorySignedChainStore store = new InMemorySignedChainStore();
    NetworkNode node = new NetworkNode(store.open(genesis), store);
    publisher.host(
        new NetworkHost(
            NetworkServerConfig.defaults(genesis), node, blocks, publisher, EvidenceLog.NONE));
    publisher.started(0, List.of());
    // A node that catches up takes old slots' blocks after the current slot began.
    publisher.slotStarted(10, 1, node.leaderOf(10));
    for (SignedBlock block : prefix) {
      blocks.add(block);
      publisher.accepted(block);
    }
    for (SignedBlock block : oldTail) {
      blocks.add(block);
      publisher.accepted(block);
    }

    blocks.rollBackTo(4);
    publisher.rolledBack(oldTail);
    for (SignedBlock block : branch) {
      blocks.add(block);
      publisher.accepted(block);
    }
    publisher.tick();

    NetworkSnapshot snapshot = publisher.snapshot();
    assertThat(snapshot.recentSlots().stream().map(NetworkSnapshot.SlotRecord::slot))
        .containsExactly(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
    assertThat(snapshot.recentSlots().stream().map(NetworkSnapshot.SlotRecord::outcome))
        .containsExactly(
            NetworkSnapshot.SlotRecord.Outcome.OPEN,
            NetworkSnapshot.SlotRecord.Outcome.BLOCK,
            NetworkSnapshot.SlotRecord.Outcome.BLOCK,
            NetworkSnapshot.SlotRecord.Outcome.BLOCK,
            NetworkSnapshot.SlotRecord.Outcome.EMPTY,
            NetworkSnapshot.SlotRecord.Outcome.EMPTY,
            NetworkSnapshot.SlotRecord.Outcome.BLOCK,
            NetworkSnapshot.SlotRecord.Outcome.BLOCK,
            NetworkSnapshot.SlotRecord.Outcome.BLOCK,
            NetworkSnapshot.SlotRecord.Outcome.BLOCK);
    assertThat(snapshot.chain().height()).isEqualTo(7);
    // Each validator's count of blocks made is the new chain's.
    long made =
        snapshot.validators().stream().mapToLong(NetworkSnapshot.ValidatorStats::blocks).sum();
    assertThat(made).isEqualTo(7);
  }
}
