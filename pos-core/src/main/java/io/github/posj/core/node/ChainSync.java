package io.github.posj.core.node;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.ForkChoice;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.hash.Hash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a network-mode node follows its peers ({@code docs/network.md} section 13), as a state
 * machine over a {@link NetworkNode}: the host reports what its peers say (their status, the blocks
 * they answer with or gossip, evidence) and does what the returned {@link SyncEvent}s ask (send
 * {@code get-blocks}, drop a peer, announce and pass on blocks).
 *
 * <p>Rules: a peer's word is never trusted, only its blocks. When a peer's status names a head that
 * {@link ForkChoice} prefers to the node's, the node asks that peer (one peer at a time) for blocks
 * in ranges of at most {@link Limits#blocksPerRequest}, at most {@link Limits#requestsInFlight} at
 * once, starting at its own head (and, if that does not link, once more at its oldest non-final
 * block). It checks every block with every rule, signatures included, on a copy of its state rolled
 * back to the fork point, and switches (stored first) as soon as that branch is preferred. A peer
 * whose block breaks a rule, whose answer does not fit the request, or whose chain leaves the
 * node's before its newest final block is dropped, and nothing it sent is applied. A gossiped block
 * that extends the head is checked and applied at once.
 *
 * <p>Not thread-safe; confine to the owner thread of its {@link NetworkNode}.
 */
public final class ChainSync {
  /** The most evidence pairs remembered, to pass each on once. */
  static final int EVIDENCE_SEEN = 1024;

  /**
   * The sync limits.
   *
   * <p>Immutable; thread-safe.
   *
   * @param blocksPerRequest the most blocks asked for in one {@code get-blocks} (1 to 1,024)
   * @param requestsInFlight the most requests unanswered at once (1 to 64)
   * @param requestTimeout how long a peer may take to answer one before it is dropped
   */
  public record Limits(int blocksPerRequest, int requestsInFlight, Duration requestTimeout) {
    /** Checks the ranges. */
    public Limits {
      if (blocksPerRequest < 1 || blocksPerRequest > 1024) {
        throw new IllegalArgumentException(
            "blocksPerRequest must be 1 to 1024, got " + blocksPerRequest);
      }
      if (requestsInFlight < 1 || requestsInFlight > 64) {
        throw new IllegalArgumentException(
            "requestsInFlight must be 1 to 64, got " + requestsInFlight);
      }
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive");
      }
    }

    /** 64 blocks a request, 4 in flight, 10 s to answer. */
    public static Limits defaults() {
      return new Limits(64, 4, Duration.ofSeconds(10));
    }
  }

  /** How often a sync may start again because a peer's chain changed, without progress. */
  static final int MAX_RESTARTS = 3;

  private static final class Peer {
    boolean statusKnown;
    int restarts;
    long index;
    Hash head;
  }

  private record Pending(int count, Instant sentAt) {}

  /** An answer's blocks, and each one's signature check if the host made it (else null). */
  private record Batch(List<SignedBlock> blocks, boolean[] signatureValid) {}

  private record EvidenceKey(PublicKey key, long slot) {}

  private final NetworkNode node;
  private final Limits limits;
  private final Map<Long, Peer> peers = new HashMap<>();
  private final Set<EvidenceKey> evidenceSeen = new LinkedHashSet<>();

  // The sync session: the peer it follows and how far it got.
  private long target = -1;
  private long nextFrom;
  private long expected;
  private boolean walkedBack;
  private final TreeMap<Long, Pending> inFlight = new TreeMap<>();
  private final TreeMap<Long, Batch> arrived = new TreeMap<>();
  private SignedChainState candidate;
  private long forkIndex;
  private List<SignedBlock> branch;

  /** Follows peers for {@code node}, with these limits. */
  public ChainSync(NetworkNode node, Limits limits) {
    this.node = Objects.requireNonNull(node, "node");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The peer the node is syncing from, if any. */
  public Optional<Long> syncingFrom() {
    return target < 0 ? Optional.empty() : Optional.of(target);
  }

  /** A peer connected (after its hello named this chain's genesis). */
  public void connected(long peer) {
    peers.putIfAbsent(peer, new Peer());
  }

  /** A peer went away; a sync from it ends, and another peer may be followed. */
  public List<SyncEvent> disconnected(long peer, Instant now) {
    peers.remove(peer);
    List<SyncEvent> events = new ArrayList<>();
    if (peer == target) {
      endSession();
      startSession(events, now);
    }
    return events;
  }

  /** A peer says its chain ends at {@code index} with {@code head}. */
  public List<SyncEvent> status(long peer, long index, Hash head, Instant now) {
    Objects.requireNonNull(head, "head");
    Peer p = peers.computeIfAbsent(peer, id -> new Peer());
    p.statusKnown = true;
    p.index = index;
    p.head = head;
    List<SyncEvent> events = new ArrayList<>();
    if (target < 0) {
      startSession(events, now);
    } else if (peer == target) {
      request(events, now);
    }
    return events;
  }

  /**
   * Time passed: a peer that has not answered a request within {@link Limits#requestTimeout} is
   * dropped.
   */
  public List<SyncEvent> tick(Instant now) {
    List<SyncEvent> events = new ArrayList<>();
    if (target >= 0 && !inFlight.isEmpty()) {
      Map.Entry<Long, Pending> oldest = null;
      for (Map.Entry<Long, Pending> entry : inFlight.entrySet()) {
        if (oldest == null || entry.getValue().sentAt.isBefore(oldest.getValue().sentAt)) {
          oldest = entry;
        }
      }
      if (!oldest.getValue().sentAt.plus(limits.requestTimeout).isAfter(now)) {
        drop(
            events,
            target,
            "it did not answer get-blocks from "
                + oldest.getKey()
                + " within "
                + limits.requestTimeout.toMillis()
                + " ms",
            now);
      }
    }
    return events;
  }

  /** A peer answered {@code get-blocks} from {@code from} with {@code blocks}. */
  public List<SyncEvent> blocks(long peer, long from, List<SignedBlock> blocks, Instant now) {
    return blocks(peer, from, blocks, null, now);
  }

  /**
   * As {@link #blocks(long, long, List, Instant)}, for a host that checked the blocks' signatures
   * already (on other threads, while this one checked earlier blocks): {@code signatureValid[i]} is
   * {@link SignedChainState#signatureValid(io.github.posj.core.genesis.Genesis, SignedBlock)}'s
   * answer for {@code blocks.get(i)}, and takes the place of that check. Null: check them here.
   *
   * @throws IllegalArgumentException if {@code signatureValid} is not null and not as long as
   *     {@code blocks}
   */
  public List<SyncEvent> blocks(
      long peer, long from, List<SignedBlock> blocks, boolean[] signatureValid, Instant now) {
    Objects.requireNonNull(blocks, "blocks");
    if (signatureValid != null && signatureValid.length != blocks.size()) {
      throw new IllegalArgumentException(
          signatureValid.length + " signature checks for " + blocks.size() + " blocks");
    }
    List<SyncEvent> events = new ArrayList<>();
    Pending asked = peer == target ? inFlight.get(from) : null;
    if (asked == null) {
      return events; // an answer to a request of an ended session, or unasked: ignored
    }
    inFlight.remove(from);
    if (blocks.size() > asked.count) {
      drop(
          events,
          peer,
          "it answered a get-blocks of " + asked.count + " with " + blocks.size(),
          now);
      return events;
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i).index() != from + i) {
        drop(
            events,
            peer,
            "it answered get-blocks from "
                + from
                + " with Index "
                + blocks.get(i).index()
                + " in place "
                + i,
            now);
        return events;
      }
    }
    if (blocks.size() < asked.count) {
      // The peer's chain is shorter than it said (or it switched): ask for nothing more after it.
      nextFrom = Math.min(nextFrom, from + blocks.size());
      peers.get(peer).statusKnown = false;
      inFlight.tailMap(from, false).clear();
      arrived.tailMap(from, false).clear();
    }
    arrived.put(
        from,
        new Batch(List.copyOf(blocks), signatureValid == null ? null : signatureValid.clone()));
    while (target == peer && !arrived.isEmpty() && arrived.firstKey() == expected) {
      Batch batch = arrived.pollFirstEntry().getValue();
      if (batch.blocks().isEmpty()) {
        break;
      }
      expected += batch.blocks().size();
      if (!process(events, peer, batch, now)) {
        return events;
      }
      adoptIfPreferred(events, peer);
    }
    if (target == peer) {
      request(events, now);
    }
    return events;
  }

  /** A peer passed on a block (gossip). */
  public List<SyncEvent> block(long peer, SignedBlock block, Instant now) {
    Objects.requireNonNull(block, "block");
    List<SyncEvent> events = new ArrayList<>();
    Peer p = peers.computeIfAbsent(peer, id -> new Peer());
    if (node.hashAt(block.index()).map(h -> h.equals(block.hash())).orElse(false)) {
      return events; // held already
    }
    Block head = node.head();
    if (block.index() == head.index() + 1 && block.block().prevHash().equals(head.hash())) {
      NetworkNode.Extension extension = node.extend(block, now);
      switch (extension.outcome()) {
        case APPENDED ->
            events.add(new SyncEvent.ChainChanged(peer, head.index(), List.of(), List.of(block)));
        case INVALID -> drop(events, peer, "it sent an invalid block: " + extension.detail(), now);
        case NOT_STORED -> events.add(new SyncEvent.NotStored(extension.detail()));
        case TOO_EARLY -> {}
      }
      return events;
    }
    // Not an extension of the head: before it is evidence or a reason to sync, it must at least be
    // a block of this chain, signed by its key.
    if (!block.hash().equals(block.computeHash(node.genesis().hash()))
        || !SignedChainState.signatureValid(node.genesis(), block)) {
      drop(
          events,
          peer,
          "it sent an invalid block: block "
              + block.index()
              + ": its Hash or its signature does not fit this chain (forged, or of another"
              + " genesis)",
          now);
      return events;
    }
    Optional<SignedBlock> held = node.heldAtSlot(block.slot());
    if (held.isPresent()
        && held.get().publicKey().equals(block.publicKey())
        && !held.get().hash().equals(block.hash())) {
      if (noteEvidence(held.get(), block)) {
        events.add(new SyncEvent.Evidence(peer, held.get(), block));
      }
      return events;
    }
    if (ForkChoice.prefers(block.index(), block.hash(), head.index(), head.hash())) {
      // A head this node prefers to its own, whose parent it lacks: sync from that peer.
      if (!p.statusKnown || ForkChoice.prefers(block.index(), block.hash(), p.index, p.head)) {
        p.statusKnown = true;
        p.index = block.index();
        p.head = block.hash();
      }
      if (target < 0) {
        startSession(events, now);
      }
    }
    return events;
  }

  /**
   * A peer passed on evidence: two blocks it says one key signed for one slot. Checked in full (one
   * key of the genesis, one slot, two different blocks, both signatures valid); a peer whose
   * evidence is not is dropped.
   */
  public List<SyncEvent> evidence(long peer, SignedBlock first, SignedBlock second, Instant now) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
    List<SyncEvent> events = new ArrayList<>();
    Hash genesisHash = node.genesis().hash();
    String problem = null;
    if (!first.publicKey().equals(second.publicKey()) || first.slot() != second.slot()) {
      problem = "the two blocks are not signed by one key for one slot";
    } else if (node.genesis().validator(first.publicKey()).isEmpty()) {
      problem = "the key " + first.publicKey().hex() + " is not a validator of this genesis";
    } else if (!first.hash().equals(first.computeHash(genesisHash))
        || !second.hash().equals(second.computeHash(genesisHash))) {
      problem = "a block's Hash is not the hash of its fields";
    } else if (first.hash().equals(second.hash())) {
      problem = "the two blocks are the same block";
    } else if (!SignedChainState.signatureValid(node.genesis(), first)
        || !SignedChainState.signatureValid(node.genesis(), second)) {
      problem = "a signature does not verify";
    }
    if (problem != null) {
      drop(events, peer, "it sent evidence that is none: " + problem, now);
      return events;
    }
    if (noteEvidence(first, second)) {
      events.add(new SyncEvent.Evidence(peer, first, second));
    }
    return events;
  }

  /**
   * Records that evidence for {@code first}'s key and slot is known (found by the node itself, or
   * passed on); true the first time, so that each is passed on once.
   */
  public boolean noteEvidence(SignedBlock first, SignedBlock second) {
    boolean added = evidenceSeen.add(new EvidenceKey(first.publicKey(), first.slot()));
    if (evidenceSeen.size() > EVIDENCE_SEEN) {
      Iterator<EvidenceKey> oldest = evidenceSeen.iterator();
      oldest.next();
      oldest.remove();
    }
    return added;
  }

  /** Checks a batch on the candidate branch; false if the session ended (peer dropped, etc.). */
  private boolean process(List<SyncEvent> events, long peer, Batch batch, Instant now) {
    for (int i = 0; i < batch.blocks().size(); i++) {
      SignedBlock block = batch.blocks().get(i);
      if (candidate == null) {
        if (node.hashAt(block.index()).map(h -> h.equals(block.hash())).orElse(false)) {
          continue; // both chains hold it
        }
        long parent = block.index() - 1;
        Optional<Hash> ours =
            parent >= node.finalizedIndex() ? node.hashAt(parent) : Optional.empty();
        if (ours.isPresent() && ours.get().equals(block.block().prevHash())) {
          forkIndex = parent;
          candidate = node.state().copy();
          candidate.rollBackTo(parent);
          branch = new ArrayList<>();
        } else if (!walkedBack && parent > node.finalizedIndex()) {
          // The fork is older than the node's head: ask again from its oldest non-final block.
          walkedBack = true;
          inFlight.clear();
          arrived.clear();
          nextFrom = node.finalizedIndex() + 1;
          expected = nextFrom;
          request(events, now);
          return false;
        } else {
          drop(
              events,
              peer,
              "its chain does not hold this node's final block "
                  + node.finalizedIndex()
                  + " (its block "
                  + block.index()
                  + " does not link to this node's chain after it)",
              now);
          return false;
        }
      }
      if (block.slot() > node.genesis().slotAt(now)) {
        // From a slot that has not begun here: not applied, the peer not trusted further now.
        peers.get(peer).statusKnown = false;
        endSession();
        startSession(events, now);
        return false;
      }
      if (!block.block().prevHash().equals(candidate.head().hash())) {
        // Answers are taken in order, so the peer's chain changed between two of them (it switched
        // to another fork): not a lie, unless it happens again and again. Start again, from the
        // status it sent with its switch.
        if (++peers.get(peer).restarts > MAX_RESTARTS) {
          drop(
              events,
              peer,
              "its answers did not link up "
                  + (MAX_RESTARTS + 1)
                  + " times in a row (block "
                  + block.index()
                  + " does not follow the one before it)",
              now);
          return false;
        }
        endSession();
        startSession(events, now);
        return false;
      }
      Optional<String> invalid =
          batch.signatureValid() == null
              ? NetworkNode.checkFromPeer(candidate, block)
              : NetworkNode.checkFromPeer(candidate, block, batch.signatureValid()[i]);
      if (invalid.isPresent()) {
        drop(events, peer, "it sent an invalid block: " + invalid.get(), now);
        return false;
      }
      candidate.appendSignatureChecked(block);
      branch.add(block);
    }
    return true;
  }

  private void adoptIfPreferred(List<SyncEvent> events, long peer) {
    if (candidate == null || !ForkChoice.prefers(candidate.head(), node.head())) {
      return;
    }
    List<SignedBlock> added = branch;
    SignedChainState next = candidate;
    long fork = forkIndex;
    candidate = null;
    branch = null;
    Optional<List<SignedBlock>> removed =
        node.switchTo(fork, added, next, reason -> events.add(new SyncEvent.NotStored(reason)));
    if (removed.isPresent()) {
      Peer p = peers.get(peer);
      if (p != null) {
        p.restarts = 0;
      }
      events.add(new SyncEvent.ChainChanged(peer, fork, removed.get(), added));
    } else {
      endSession();
    }
  }

  private void request(List<SyncEvent> events, Instant now) {
    Peer p = peers.get(target);
    long end = p != null && p.statusKnown ? p.index : nextFrom - 1;
    while (inFlight.size() < limits.requestsInFlight && nextFrom <= end) {
      int count = (int) Math.min(limits.blocksPerRequest, end - nextFrom + 1);
      inFlight.put(nextFrom, new Pending(count, now));
      events.add(new SyncEvent.Request(target, nextFrom, count));
      nextFrom += count;
    }
    if (inFlight.isEmpty() && arrived.isEmpty()) {
      // Everything asked for was answered: the session is over.
      if (p != null) {
        p.statusKnown = false;
      }
      endSession();
      startSession(events, now);
    }
  }

  /** Starts following the peer whose status names the best head, if it beats the node's own. */
  private void startSession(List<SyncEvent> events, Instant now) {
    Block head = node.head();
    long best = -1;
    Peer bestPeer = null;
    for (Map.Entry<Long, Peer> entry : peers.entrySet()) {
      Peer p = entry.getValue();
      if (!p.statusKnown || !ForkChoice.prefers(p.index, p.head, head.index(), head.hash())) {
        continue;
      }
      if (bestPeer == null
          || ForkChoice.prefers(p.index, p.head, bestPeer.index, bestPeer.head)
          || (p.index == bestPeer.index && p.head.equals(bestPeer.head) && entry.getKey() < best)) {
        best = entry.getKey();
        bestPeer = p;
      }
    }
    if (bestPeer == null) {
      return;
    }
    target = best;
    walkedBack = false;
    nextFrom = Math.max(1, head.index());
    expected = nextFrom;
    request(events, now);
  }

  private void endSession() {
    target = -1;
    inFlight.clear();
    arrived.clear();
    candidate = null;
    branch = null;
  }

  private void drop(List<SyncEvent> events, long peer, String reason, Instant now) {
    events.add(new SyncEvent.Drop(peer, reason));
    peers.remove(peer);
    if (peer == target) {
      endSession();
      startSession(events, now);
    }
  }
}
