package io.github.posj.net.client;

import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.protocol.ServerMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Many validators from one process: connects one {@link ValidatorClient} per stake of a {@link
 * FleetConfig}, proposes on its {@link Schedule}, and counts rounds, forged blocks and wins per
 * member. What {@code pos validator} runs, one member or two thousand.
 *
 * <p>The caller drives it: {@link #advance} handles what the members received and the proposals
 * that are due, calls the {@link FleetListener} on the caller's thread, and returns the {@link
 * FleetState}; once that is not {@link FleetState.Running}, the fleet does nothing more and {@link
 * #summary()} holds what it saw. Time comes from the {@link Ticker}, so a test moves it by hand.
 *
 * <p>Bounded: at most {@link FleetConfig#MAX_MEMBERS} members, and at most {@code 8 × members} (at
 * least 1024) received messages waiting for {@link #advance}; beyond that the members' reader
 * threads wait, so TCP slows the server down rather than the fleet's memory growing.
 *
 * <p>Not thread-safe; confine to one thread (except {@link #close()}, callable from any thread).
 */
public final class ValidatorFleet implements AutoCloseable {
  private static final Duration OFFER_RETRY = Duration.ofMillis(50);

  /** An event tagged with the member that received it. */
  private record Tagged(int member, ClientEvent event) {}

  private final FleetConfig config;
  private final FleetListener listener;
  private final Ticker ticker;
  private final BlockingQueue<Tagged> received;
  private final List<ValidatorClient> clients = new ArrayList<>();
  private final List<FleetMember> members = new ArrayList<>();
  private final Map<ValidatorId, FleetMember> byAddress = new HashMap<>();
  private final long[] roundsSeen;
  private final long[] proposalsAccepted;
  private final long[] wins;
  private volatile boolean closed;
  private long rounds;
  private long forged;
  private long lastRound;
  private long nextProposalNanos;
  private FleetState state = new FleetState.Running();

  private ValidatorFleet(FleetConfig config, FleetListener listener, Ticker ticker) {
    this.config = config;
    this.listener = listener;
    this.ticker = ticker;
    int size = config.stakes().size();
    this.received = new ArrayBlockingQueue<>(Math.max(1024, 8 * size));
    this.roundsSeen = new long[size];
    this.proposalsAccepted = new long[size];
    this.wins = new long[size];
  }

  /**
   * Connects and registers every member, one after the other, then makes the first proposals.
   *
   * @throws java.net.UnknownHostException if the host cannot be resolved
   * @throws HandshakeException if a connection was made but not welcomed
   * @throws StakeRefusedException if the server refused a stake
   * @throws IOException if the server cannot be reached; the members connected so far are closed
   */
  public static ValidatorFleet connect(FleetConfig config, FleetListener listener, Ticker ticker)
      throws IOException {
    ValidatorFleet fleet =
        new ValidatorFleet(
            Objects.requireNonNull(config, "config"),
            Objects.requireNonNull(listener, "listener"),
            Objects.requireNonNull(ticker, "ticker"));
    try {
      fleet.connectAll();
    } catch (IOException | RuntimeException e) {
      fleet.close();
      throw e;
    }
    return fleet;
  }

  private void connectAll() throws IOException {
    int total = config.stakes().size();
    for (int i = 0; i < total; i++) {
      int number = i;
      ValidatorClient client =
          ValidatorClient.connect(
              config.host(), config.port(), config.timeout(), event -> enqueue(number, event));
      synchronized (clients) {
        clients.add(client);
      }
      long stake = config.stakes().get(i);
      FleetMember member = new FleetMember(i, client.register(stake), stake);
      members.add(member);
      byAddress.put(member.address(), member);
      listener.onConnected(member, total);
    }
    proposeAll();
    if (config.schedule() instanceof Schedule.Every every) {
      nextProposalNanos = ticker.read() + every.interval().toNanos();
    }
  }

  /** The members, in order. */
  public List<FleetMember> members() {
    return List.copyOf(members);
  }

  /** Where the fleet is. */
  public FleetState state() {
    return state;
  }

  /**
   * Waits at most {@code maxWait} for what the members received, handles all of it, and makes the
   * proposals the schedule says are due; returns at once if the fleet is no longer running.
   *
   * @throws InterruptedIOException if the thread is interrupted while waiting
   */
  public FleetState advance(Duration maxWait) throws InterruptedIOException {
    if (!(state instanceof FleetState.Running)) {
      return state;
    }
    long waitNanos = maxWait.toNanos();
    if (config.schedule() instanceof Schedule.Every every) {
      long now = ticker.read();
      if (now - nextProposalNanos >= 0) {
        proposeAll();
        nextProposalNanos = now + every.interval().toNanos();
      }
      waitNanos = Math.min(waitNanos, Math.max(0, nextProposalNanos - now));
    }
    Tagged first;
    try {
      first = received.poll(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the validators' messages");
    }
    // Only what is queued now, so that a busy server cannot keep this call from returning.
    for (int left = received.size();
        first != null && state instanceof FleetState.Running;
        first = left-- > 0 ? received.poll() : null) {
      handle(members.get(first.member()), first.event());
    }
    return state;
  }

  /** What the fleet has seen so far. */
  public FleetSummary summary() {
    List<FleetSummary.MemberSummary> rows = new ArrayList<>();
    for (FleetMember member : members) {
      int i = member.number();
      rows.add(
          new FleetSummary.MemberSummary(member, roundsSeen[i], proposalsAccepted[i], wins[i]));
    }
    return new FleetSummary(rounds, forged, rows);
  }

  /** Closes every member's connection; idempotent. */
  @Override
  public void close() {
    closed = true;
    List<ValidatorClient> all;
    synchronized (clients) {
      all = List.copyOf(clients);
    }
    for (ValidatorClient client : all) {
      client.close();
    }
    received.clear();
  }

  /** On a member's reader thread: queue what the fleet acts on, waiting while the queue is full. */
  private void enqueue(int member, ClientEvent event) {
    if (event instanceof ClientEvent.Received r
        && (r.message() instanceof ServerMessage.Welcome
            || r.message() instanceof ServerMessage.Registered)) {
      return; // Handled by connect and register; keeping them out means they never wait here.
    }
    Tagged tagged = new Tagged(member, event);
    try {
      while (!closed && !received.offer(tagged, OFFER_RETRY.toNanos(), TimeUnit.NANOSECONDS)) {
        // Full: wait for advance to take some, unless the fleet closes meanwhile.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(FleetMember member, ClientEvent event) {
    if (event instanceof ClientEvent.Closed end) {
      state = new FleetState.Disconnected(member, end.reason());
      return;
    }
    ServerMessage message = ((ClientEvent.Received) event).message();
    int i = member.number();
    if (message instanceof ServerMessage.ProposalAccepted accepted) {
      proposalsAccepted[i]++;
      listener.onProposalAccepted(member, accepted.index());
    } else if (message instanceof ServerMessage.RoundResult result) {
      roundsSeen[i]++;
      if (result.round() > lastRound) {
        countRound(result);
      }
      if (config.schedule() instanceof Schedule.EveryRound && state instanceof FleetState.Running) {
        propose(member);
      }
    } else if (message instanceof ServerMessage.BlockAdded added) {
      listener.onBlock(member, added.block());
    } else if (message instanceof ServerMessage.Error error) {
      listener.onError(member, error.message());
    } else if (message instanceof ServerMessage.Slashed slashed) {
      state = new FleetState.Slashed(member, slashed.reason());
    }
    // Closing is followed by Closed, which carries its reason.
  }

  private void countRound(ServerMessage.RoundResult result) {
    lastRound = result.round();
    rounds++;
    Optional<FleetMember> winner = result.winner().map(byAddress::get);
    if (result.forged()) {
      forged++;
      winner.ifPresent(w -> wins[w.number()]++);
    }
    listener.onRound(result, winner);
    if (config.rounds() > 0 && rounds >= config.rounds()) {
      state = new FleetState.Done();
    }
  }

  private void proposeAll() {
    for (FleetMember member : members) {
      propose(member);
    }
  }

  private void propose(FleetMember member) {
    try {
      clients.get(member.number()).propose(config.bpm());
    } catch (IOException e) {
      // The connection is broken, so its reader ends too and delivers Closed with the reason
      // (often the server's closing line, which a "Socket closed" here would hide).
    }
  }
}
