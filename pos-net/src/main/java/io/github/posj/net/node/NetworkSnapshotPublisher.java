package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.node.NetworkEvent;
import io.github.posj.core.schedule.LeaderSchedule;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.codec.ReasonText;
import io.github.posj.net.http.ApiJson;
import io.github.posj.net.http.EventStream;
import io.github.posj.net.http.EventTopic;
import io.github.posj.net.http.NetworkSnapshot;
import io.github.posj.net.http.NetworkSnapshot.SlotRecord;
import io.github.posj.net.http.NetworkView;
import io.github.posj.net.http.NodeSnapshot;
import io.github.posj.net.metrics.NetworkMetrics;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a network node shows through HTTP: it hears the node's events on the owner thread (as a
 * {@link NetworkServerListener}), keeps the numbers the API reports (the blocks each genesis
 * validator made, the last slots and evidence), and publishes an immutable {@link NetworkSnapshot}
 * for the API's handlers, events for the event stream, and the metrics.
 *
 * <p>A snapshot is published at once when a slot begins or ends, a block is accepted, evidence is
 * found or the store fails, and otherwise at most every tick ({@link #tick()}) when logins or
 * connections changed.
 *
 * <p>Not thread-safe; confine to the owner thread, except {@link #snapshot()} (any thread).
 */
final class NetworkSnapshotPublisher implements NetworkServerListener, NetworkView {
  /** The slots and the evidence kept for {@code /slots} and {@code /evidence}. */
  static final int KEPT = 100;

  private final Genesis genesis;
  private final LeaderSchedule schedule;
  private final PublishedBlocks blocks;
  private final InstantSource clock;
  private final EventStream events;
  private final NetworkMetrics metrics;
  private final List<GenesisValidator> byStake;
  private final Map<ValidatorId, Long> made = new HashMap<>();
  private final ArrayDeque<SlotRecord> slots = new ArrayDeque<>(KEPT);
  private final ArrayDeque<NetworkSnapshot.EvidenceRecord> evidence = new ArrayDeque<>(KEPT);
  private NetworkHost host;
  private long slot;
  private NodeSnapshot.Health health = NodeSnapshot.Health.READY;
  private List<NetworkSnapshot.ValidatorStats> validators = List.of();
  private boolean validatorsChanged = true;
  private boolean changed = true;
  private boolean evidenceStored = true;
  private int publishedConnections = -1;
  private int publishedLoggedIn = -1;
  private int publishedPeers = -1;
  private volatile NetworkSnapshot published;

  NetworkSnapshotPublisher(
      Genesis genesis,
      PublishedBlocks blocks,
      InstantSource clock,
      EventStream events,
      NetworkMetrics metrics) {
    this.genesis = genesis;
    this.schedule = LeaderSchedule.of(genesis);
    this.blocks = blocks;
    this.clock = clock;
    this.events = events;
    this.metrics = metrics;
    List<GenesisValidator> sorted = new ArrayList<>(genesis.validators());
    sorted.sort(
        Comparator.comparingLong(GenesisValidator::stake)
            .reversed()
            .thenComparing(GenesisValidator::address));
    this.byStake = List.copyOf(sorted);
    NetworkSnapshot.Chain chain = blocks.chain();
    for (long index = 1; index <= chain.height(); index++) {
      made.merge(chain.signed(index).block().validator(), 1L, Long::sum);
    }
    this.slot = Math.max(-1, genesis.slotAt(clock.instant()));
    metrics.head(chain.height(), chain.slotOf(chain.height()));
  }

  /** The host whose connections and logins are shown; set once, before the server starts. */
  void host(NetworkHost value) {
    host = value;
  }

  @Override
  public NetworkSnapshot snapshot() {
    NetworkSnapshot snapshot = published;
    if (snapshot == null) {
      throw new IllegalStateException("no snapshot before the node has started");
    }
    return snapshot;
  }

  /** Publishes a snapshot if something changed since the last; a few times a second. */
  void tick() {
    if (changed
        || host.connectionCount() != publishedConnections
        || host.validatorCount() != publishedLoggedIn
        || host.peerCount() != publishedPeers) {
      validatorsChanged |= host.validatorCount() != publishedLoggedIn;
      publish();
    }
  }

  private void publish() {
    if (validatorsChanged) {
      Set<ValidatorId> loggedIn = host.loggedInValidators();
      List<NetworkSnapshot.ValidatorStats> list = new ArrayList<>(byStake.size());
      for (GenesisValidator v : byStake) {
        list.add(
            new NetworkSnapshot.ValidatorStats(
                v.publicKey(),
                v.stake(),
                made.getOrDefault(v.address(), 0L),
                loggedIn.contains(v.address())));
      }
      validators = List.copyOf(list);
      validatorsChanged = false;
    }
    int connections = host.connectionCount();
    int loggedIn = host.validatorCount();
    int peers = host.peerCount();
    published =
        new NetworkSnapshot(
            blocks.chain(),
            schedule,
            slot,
            health,
            validators,
            List.copyOf(slots),
            List.copyOf(evidence),
            new NetworkSnapshot.Connections(connections, loggedIn, peers));
    publishedConnections = connections;
    publishedLoggedIn = loggedIn;
    publishedPeers = peers;
    changed = false;
    metrics.connections(connections, loggedIn);
  }

  @Override
  public void started(int port, List<String> repairs) {
    publish();
  }

  @Override
  public void slotStarted(long number, long epoch, ValidatorId leader) {
    metrics.slotStarted(number);
    slot = number;
    SlotRecord newest = slots.peekFirst();
    if (newest != null && newest.outcome() == SlotRecord.Outcome.OPEN && newest.slot() < number) {
      // Its end was not reported (the node missed ticks): it ended without a block.
      newest = end(newest);
      replaceNewest(newest);
      publishSlot(newest);
    }
    if (newest == null || newest.slot() < number) {
      keep(slots, new SlotRecord(number, epoch, leader, SlotRecord.Outcome.OPEN, Optional.empty()));
    }
    publish();
    publishSlot(slots.peekFirst());
  }

  @Override
  public void slotMissed(long number, ValidatorId leader) {
    metrics.slotMissed();
    SlotRecord newest = slots.peekFirst();
    SlotRecord missed =
        end(
            new SlotRecord(
                number,
                genesis.epochOf(number),
                leader,
                SlotRecord.Outcome.OPEN,
                Optional.empty()));
    if (newest != null && newest.slot() == number) {
      replaceNewest(end(newest));
    } else if (newest == null || newest.slot() < number) {
      keep(slots, missed);
    } else {
      return; // older than what is kept: nothing to show
    }
    publish();
    publishSlot(slots.peekFirst());
  }

  @Override
  public void accepted(SignedBlock block) {
    NetworkSnapshot.Chain chain = blocks.chain();
    metrics.accepted(chain.height(), block.slot());
    made.merge(block.block().validator(), 1L, Long::sum);
    validatorsChanged = true;
    if (health.status() == NodeSnapshot.Health.Status.STORE_FAILING) {
      health = NodeSnapshot.Health.READY;
    }
    SlotRecord filled =
        new SlotRecord(
            block.slot(),
            genesis.epochOf(block.slot()),
            block.block().validator(),
            SlotRecord.Outcome.BLOCK,
            Optional.of(block.block()));
    if (!place(filled)) {
      publish();
      events.publish(EventTopic.HEAD, ApiJson.bytes(json -> ApiJson.signedBlock(json, block)));
      return; // a block from a peer for a slot older than the ones kept
    }
    publish();
    events.publish(EventTopic.HEAD, ApiJson.bytes(json -> ApiJson.signedBlock(json, block)));
    publishSlot(filled);
  }

  @Override
  public void rolledBack(List<SignedBlock> removed) {
    for (SignedBlock block : removed) {
      made.merge(block.block().validator(), -1L, Long::sum);
      // Its slot holds no block on this chain now (unless the new branch fills it, next).
      SlotRecord empty =
          new SlotRecord(
              block.slot(),
              genesis.epochOf(block.slot()),
              block.block().validator(),
              SlotRecord.Outcome.EMPTY,
              Optional.empty());
      if (place(empty)) {
        publishSlot(empty);
      }
    }
    validatorsChanged = true;
    NetworkSnapshot.Chain chain = blocks.chain();
    metrics.head(chain.height(), chain.slotOf(chain.height()));
    changed = true;
  }

  @Override
  public void refused(SignedBlock block, String code, String reason) {
    metrics.refused(code);
    if (code.equals(ReasonText.refusalCode(NetworkEvent.Refusal.STORE_FAILED))
        && health.status() == NodeSnapshot.Health.Status.READY) {
      health =
          new NodeSnapshot.Health(
              NodeSnapshot.Health.Status.STORE_FAILING,
              Optional.of(
                  "the block for slot " + block.slot() + " could not be stored: " + reason));
      publish();
    }
  }

  @Override
  public void evidenceNotStored(String reason) {
    evidenceStored = false;
  }

  @Override
  public void evidence(SignedBlock first, SignedBlock second) {
    metrics.evidence();
    NetworkSnapshot.EvidenceRecord record =
        new NetworkSnapshot.EvidenceRecord(clock.instant(), first, second, evidenceStored);
    evidenceStored = true;
    keep(evidence, record);
    publish();
    events.publish(EventTopic.EVIDENCE, ApiJson.bytes(json -> ApiJson.evidence(json, record)));
  }

  @Override
  public void loggedIn(ValidatorId validator, String remote) {
    metrics.login(true);
    validatorsChanged = true;
    changed = true;
  }

  @Override
  public void loginFailed(String remote, String reason) {
    metrics.login(false);
  }

  @Override
  public void forgingStopped(String reason) {
    metrics.forgingStopped();
    health =
        new NodeSnapshot.Health(NodeSnapshot.Health.Status.FORGING_STOPPED, Optional.of(reason));
    publish();
  }

  private static SlotRecord end(SlotRecord open) {
    return new SlotRecord(
        open.slot(), open.epoch(), open.leader(), SlotRecord.Outcome.EMPTY, Optional.empty());
  }

  /**
   * Puts {@code record} among the kept slots, newest first: in place of the record of its slot, or
   * in slot order; false if it is older than every record kept (a full list) and so not kept.
   */
  private boolean place(SlotRecord record) {
    List<SlotRecord> list = new ArrayList<>(slots);
    int at = 0;
    while (at < list.size() && list.get(at).slot() > record.slot()) {
      at++;
    }
    if (at < list.size() && list.get(at).slot() == record.slot()) {
      list.set(at, record);
    } else if (at == list.size() && list.size() == KEPT) {
      return false;
    } else {
      list.add(at, record);
      if (list.size() > KEPT) {
        list.remove(list.size() - 1);
      }
    }
    slots.clear();
    slots.addAll(list);
    return true;
  }

  private void replaceNewest(SlotRecord record) {
    slots.removeFirst();
    slots.addFirst(record);
  }

  private void publishSlot(SlotRecord record) {
    events.publish(
        EventTopic.SLOT,
        ApiJson.bytes(json -> ApiJson.slot(json, record, genesis.slotStart(record.slot()))));
  }

  private static <T> void keep(ArrayDeque<T> newestFirst, T element) {
    if (newestFirst.size() == KEPT) {
      newestFirst.removeLast();
    }
    newestFirst.addFirst(element);
  }
}
