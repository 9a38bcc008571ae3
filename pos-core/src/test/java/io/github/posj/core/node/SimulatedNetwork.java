package io.github.posj.core.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.random.SplitMix64Randomness;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * A deterministic simulation of many network-mode nodes for tests: each node is a {@link
 * NetworkNode} and a {@link ChainSync} on an in-memory store; a virtual clock; a network that
 * delivers messages after a seeded latency and can be cut between groups; validators that forge
 * their slots' blocks on the chain of the node they are attached to. Peer messages are the peer
 * protocol's (status, get-blocks, blocks, new-block, evidence) as values, handled as a host would.
 *
 * <p>Not thread-safe; one test thread.
 */
final class SimulatedNetwork {
  sealed interface Message {}

  record Status(long index, Hash head) implements Message {}

  record GetBlocks(long from, int count) implements Message {}

  record Blocks(long from, List<SignedBlock> blocks) implements Message {}

  record NewBlock(SignedBlock block) implements Message {}

  record EvidenceMessage(SignedBlock first, SignedBlock second) implements Message {}

  private record Delivery(Instant at, long sequence, int from, int to, Message message) {}

  /** One simulated node. */
  final class SimNode {
    final int id;
    InMemorySignedChainStore store;
    NetworkNode node;
    ChainSync sync;
    boolean up;
    final Set<ValidatorId> validators = new HashSet<>();
    final Set<Integer> dropped = new HashSet<>();
    final List<String> dropReasons = new ArrayList<>();
    final List<SyncEvent.ChainChanged> switches = new ArrayList<>();
    final List<SyncEvent.Evidence> evidence = new ArrayList<>();
    final List<NetworkEvent> local = new ArrayList<>();

    SimNode(int id) {
      this.id = id;
      start();
    }

    /** Starts with an empty store (a first start). */
    void startEmpty() {
      store = new InMemorySignedChainStore();
      start();
    }

    private void start() {
      if (store == null) {
        store = new InMemorySignedChainStore();
      }
      // A restart: the store's chain, a new node and sync (as after a crash).
      InMemorySignedChainStore kept = store;
      List<SignedBlock> blocks = kept.blocks();
      store = new InMemorySignedChainStore();
      store.open(genesis);
      if (!blocks.isEmpty()) {
        store.replaceFrom(0, blocks);
      }
      node = new NetworkNode(store.open(genesis), store);
      sync = new ChainSync(node, limits);
      up = true;
      dropped.clear();
    }

    /** Stops: nothing reaches it, it makes no blocks; its store is kept. */
    void crash() {
      up = false;
    }

    /** Starts again from its store, and tells every peer its status. */
    void restart() {
      start();
      for (SimNode peer : nodes) {
        if (peer != this) {
          sync.connected(peer.id);
          peer.dropped.remove(id);
          send(this, peer.id, new Status(node.head().index(), node.head().hash()));
          send(peer, id, new Status(peer.node.head().index(), peer.node.head().hash()));
        }
      }
    }

    SignedChainState state() {
      return node.state();
    }

    List<SignedBlock> blocks() {
      return store.blocks();
    }
  }

  final TestNetwork network;
  final Genesis genesis;
  final List<SimNode> nodes = new ArrayList<>();
  final ChainSync.Limits limits;
  private final PriorityQueue<Delivery> queue =
      new PriorityQueue<>(
          (a, b) -> {
            int byTime = a.at.compareTo(b.at);
            return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
          });
  private final SplitMix64Randomness random;
  private final Duration minLatency;
  private final Duration maxExtraLatency;
  private long sequence;
  private Instant now;
  private long nextSlot = 1;
  private BiPredicate<Integer, Integer> linkUp = (a, b) -> true;

  /** Tasks to run at a virtual time (the leaders' blocks, injected messages). */
  private final TreeMap<Instant, List<Runnable>> scheduled = new TreeMap<>();

  SimulatedNetwork(
      TestNetwork network,
      int nodeCount,
      ChainSync.Limits limits,
      long seed,
      Duration minLatency,
      Duration maxExtraLatency) {
    this.network = network;
    this.genesis = network.genesis();
    this.limits = limits;
    this.random = new SplitMix64Randomness(seed);
    this.minLatency = minLatency;
    this.maxExtraLatency = maxExtraLatency;
    this.now = genesis.genesisTime();
    for (int i = 0; i < nodeCount; i++) {
      nodes.add(new SimNode(i));
    }
    // Validators attach round-robin.
    List<ValidatorId> all = genesis.validators().stream().map(v -> v.address()).toList();
    for (int k = 0; k < all.size(); k++) {
      nodes.get(k % nodeCount).validators.add(all.get(k));
    }
    for (SimNode a : nodes) {
      for (SimNode b : nodes) {
        if (a != b) {
          a.sync.connected(b.id);
        }
      }
    }
  }

  Instant now() {
    return now;
  }

  /** Messages between {@code a} and {@code b} get through only while this says so. */
  void links(BiPredicate<Integer, Integer> up) {
    this.linkUp = up;
  }

  /** Every node tells every reachable peer its status (as after a reconnect). */
  void reconnectAll() {
    for (SimNode a : nodes) {
      if (!a.up) {
        continue;
      }
      for (SimNode b : nodes) {
        if (a != b && b.up) {
          a.dropped.remove(b.id);
          b.dropped.remove(a.id);
          a.sync.connected(b.id);
          send(a, b.id, new Status(a.node.head().index(), a.node.head().hash()));
        }
      }
    }
  }

  /** Runs until {@code end}: slot starts, the leaders' blocks, and every delivery on the way. */
  void runUntil(Instant end) {
    while (true) {
      Instant slotAt = genesis.slotStart(nextSlot);
      Instant forgeAt = slotAt.plusMillis(1_500);
      Delivery next = queue.peek();
      Instant scheduledAt = scheduled.isEmpty() ? null : scheduled.firstKey();
      Instant earliest = slotAt;
      if (next != null && next.at.isBefore(earliest)) {
        earliest = next.at;
      }
      if (scheduledAt != null && scheduledAt.isBefore(earliest)) {
        earliest = scheduledAt;
      }
      if (earliest.isAfter(end)) {
        now = end;
        return;
      }
      now = earliest;
      if (scheduledAt != null && earliest.equals(scheduledAt)) {
        for (Runnable task : scheduled.pollFirstEntry().getValue()) {
          task.run();
        }
      } else if (next != null && earliest.equals(next.at)) {
        queue.poll();
        deliver(next);
      } else {
        long slot = nextSlot++;
        for (SimNode n : nodes) {
          if (n.up) {
            n.local.addAll(n.node.apply(new NetworkCommand.Tick(now)));
            handle(n, n.sync.tick(now));
          }
        }
        at(forgeAt, () -> forgeSlot(slot));
      }
    }
  }

  /** Runs {@code task} at {@code at} (virtual time). */
  void at(Instant at, Runnable task) {
    scheduled.computeIfAbsent(at, t -> new ArrayList<>()).add(task);
  }

  /** Sends {@code message} from node {@code from} to node {@code to} now. */
  void inject(int from, int to, Message message) {
    send(nodes.get(from), to, message);
  }

  private void forgeSlot(long slot) {
    for (SimNode n : nodes) {
      if (!n.up || slot <= n.node.headSlot()) {
        continue;
      }
      ValidatorId leader = n.node.leaderOf(slot);
      if (!n.validators.contains(leader)) {
        continue;
      }
      SignedBlock block = network.forge(n.state(), slot, 60 + slot % 40);
      List<NetworkEvent> events =
          n.node.apply(new NetworkCommand.Submit(block.publicKey(), block, now));
      n.local.addAll(events);
      for (NetworkEvent event : events) {
        if (event instanceof NetworkEvent.Accepted accepted) {
          broadcastHead(n, -1, List.of(accepted.block()));
        }
      }
    }
  }

  private void deliver(Delivery d) {
    SimNode to = nodes.get(d.to);
    if (!to.up || to.dropped.contains(d.from) || !linkUp.test(d.from, d.to)) {
      return;
    }
    Message m = d.message;
    if (m instanceof Status s) {
      handle(to, to.sync.status(d.from, s.index(), s.head(), now));
    } else if (m instanceof GetBlocks g) {
      List<SignedBlock> all = to.blocks();
      int start = (int) Math.min(all.size(), Math.max(0, g.from() - 1));
      int stop = (int) Math.min(all.size(), start + (long) g.count());
      send(to, d.from, new Blocks(g.from(), List.copyOf(all.subList(start, stop))));
    } else if (m instanceof Blocks b) {
      handle(to, to.sync.blocks(d.from, b.from(), b.blocks(), now));
    } else if (m instanceof NewBlock nb) {
      handle(to, to.sync.block(d.from, nb.block(), now));
    } else if (m instanceof EvidenceMessage e) {
      handle(to, to.sync.evidence(d.from, e.first(), e.second(), now));
    }
  }

  private void handle(SimNode n, List<SyncEvent> events) {
    for (SyncEvent event : events) {
      if (event instanceof SyncEvent.Request r) {
        send(n, (int) r.peer(), new GetBlocks(r.from(), r.count()));
      } else if (event instanceof SyncEvent.Drop drop) {
        n.dropped.add((int) drop.peer());
        n.dropReasons.add(drop.reason());
        handle(n, n.sync.disconnected(drop.peer(), now));
      } else if (event instanceof SyncEvent.ChainChanged changed) {
        n.switches.add(changed);
        broadcastHead(
            n,
            changed.source(),
            changed.removed().isEmpty() && changed.added().size() == 1
                ? changed.added()
                : List.of());
      } else if (event instanceof SyncEvent.Evidence evidence) {
        n.evidence.add(evidence);
        for (SimNode peer : nodes) {
          if (peer != n && peer.id != evidence.source()) {
            send(n, peer.id, new EvidenceMessage(evidence.first(), evidence.second()));
          }
        }
      }
    }
  }

  private void broadcastHead(SimNode n, long source, List<SignedBlock> gossip) {
    for (SimNode peer : nodes) {
      if (peer == n || n.dropped.contains(peer.id)) {
        continue;
      }
      send(n, peer.id, new Status(n.node.head().index(), n.node.head().hash()));
      if (peer.id != source) {
        for (SignedBlock block : gossip) {
          send(n, peer.id, new NewBlock(block));
        }
      }
    }
  }

  private void send(SimNode from, int to, Message message) {
    long extra = Math.floorMod(random.nextLong(), maxExtraLatency.toMillis() + 1);
    queue.add(
        new Delivery(now.plus(minLatency).plusMillis(extra), sequence++, from.id, to, message));
  }

  /** The nodes that are up, by their head. */
  Map<Hash, List<Integer>> headsOfNodesUp() {
    Map<Hash, List<Integer>> heads = new TreeMap<>();
    for (SimNode n : nodes) {
      if (n.up) {
        heads.computeIfAbsent(n.node.head().hash(), h -> new ArrayList<>()).add(n.id);
      }
    }
    return heads;
  }
}
