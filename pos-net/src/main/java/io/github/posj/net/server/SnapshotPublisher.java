package io.github.posj.net.server;

import io.github.posj.core.block.Block;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.http.ApiJson;
import io.github.posj.net.http.EventStream;
import io.github.posj.net.http.EventTopic;
import io.github.posj.net.http.NodeSnapshot;
import io.github.posj.net.http.NodeView;
import io.github.posj.net.metrics.NodeMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the tutorial server shows through HTTP: it hears every node event on the owner thread (as a
 * {@link ServerListener}), keeps the numbers the API reports (each validator's wins against its
 * expected wins, the last rounds and slashings), publishes an immutable {@link NodeSnapshot} for
 * the API's handlers, events for the event stream, and the metrics.
 *
 * <p>A snapshot is published at once when a round ends or forging stops (the head and its round
 * must be fresh), and otherwise at most every tick ({@link #tick()}, a few times a second) when the
 * validators or the connections changed: a registration storm of 10,000 validators rebuilds the
 * validator list a few times, not 10,000 times.
 *
 * <p>Not thread-safe; confine to the owner thread, except {@link #snapshot()} (any thread).
 */
final class SnapshotPublisher implements ServerListener, NodeView {
  /** The rounds and slashings kept for {@code /rounds} and {@code /slashings}. */
  static final int KEPT = 100;

  private final Duration roundDuration;
  private final EventStream events;
  private final NodeMetrics metrics;
  private final Map<ValidatorId, Stats> stats = new HashMap<>();
  private final Set<ValidatorId> proposers = new LinkedHashSet<>();
  private final ArrayDeque<NodeSnapshot.RoundRecord> rounds = new ArrayDeque<>(KEPT);
  private final ArrayDeque<NodeSnapshot.SlashingRecord> slashings = new ArrayDeque<>(KEPT);
  private final Recorder recorder = new Recorder();
  private NodeHost host;
  private long roundsEnded;
  private long totalStake;
  private NodeSnapshot.Health health = NodeSnapshot.Health.READY;
  private List<NodeSnapshot.ValidatorStats> validatorList = List.of();
  private boolean validatorsChanged = true;
  private boolean changed = true;
  private int publishedConnections = -1;
  private Instant eventTime = Instant.EPOCH;
  private volatile NodeSnapshot published;

  /** One validator's numbers; owner thread only. */
  private static final class Stats {
    final long stake;
    final long joinedRound;
    long roundsEntered;
    long wins;
    double expectedWins;

    Stats(long stake, long joinedRound) {
      this.stake = stake;
      this.joinedRound = joinedRound;
    }
  }

  SnapshotPublisher(Duration roundDuration, EventStream events, NodeMetrics metrics) {
    this.roundDuration = roundDuration;
    this.events = events;
    this.metrics = metrics;
  }

  /** The host whose chain and connections are shown; set once, before the server starts. */
  void host(NodeHost value) {
    host = value;
  }

  @Override
  public NodeSnapshot snapshot() {
    NodeSnapshot snapshot = published;
    if (snapshot == null) {
      throw new IllegalStateException("no snapshot before the node has started");
    }
    return snapshot;
  }

  @Override
  public void onStarted(Started started) {
    publish();
  }

  @Override
  public void onEvent(Instant time, NodeEvent event) {
    metrics.record(time, event);
    eventTime = time;
    event.accept(recorder);
  }

  /** Publishes a snapshot if something changed since the last; a few times a second. */
  void tick() {
    if (changed || host.connectionCount() != publishedConnections) {
      publish();
    }
  }

  private void publish() {
    Chain chain = host.chain();
    if (validatorsChanged) {
      List<NodeSnapshot.ValidatorStats> list = new ArrayList<>(stats.size());
      for (Map.Entry<ValidatorId, Stats> entry : stats.entrySet()) {
        Stats s = entry.getValue();
        list.add(
            new NodeSnapshot.ValidatorStats(
                entry.getKey(), s.stake, s.joinedRound, s.roundsEntered, s.wins, s.expectedWins));
      }
      list.sort(
          Comparator.comparingLong(NodeSnapshot.ValidatorStats::stake)
              .reversed()
              .thenComparing(NodeSnapshot.ValidatorStats::address));
      validatorList = List.copyOf(list);
      validatorsChanged = false;
    }
    int connections = host.connectionCount();
    int json = Math.min(connections, host.jsonConnectionCount());
    published =
        new NodeSnapshot(
            chain,
            roundsEnded,
            roundDuration,
            health,
            validatorList,
            totalStake,
            List.copyOf(rounds),
            List.copyOf(slashings),
            new NodeSnapshot.Connections(connections, json));
    publishedConnections = connections;
    changed = false;
    metrics.chainAndStakes(chain.height(), stats.size(), totalStake);
    metrics.connections(connections - json, json);
  }

  private static <T> void keep(ArrayDeque<T> newestFirst, T element) {
    if (newestFirst.size() == KEPT) {
      newestFirst.removeLast();
    }
    newestFirst.addFirst(element);
  }

  /** Keeps the numbers up to date with each event; a new kind fails to compile until handled. */
  private final class Recorder implements NodeEvent.Visitor<Void> {
    @Override
    public Void registered(NodeEvent.Registered event) {
      stats.put(event.validator(), new Stats(event.stake(), roundsEnded + 1));
      totalStake += event.stake();
      validatorsChanged = true;
      changed = true;
      return null;
    }

    @Override
    public Void registrationRefused(NodeEvent.RegistrationRefused event) {
      return null;
    }

    @Override
    public Void proposalAccepted(NodeEvent.ProposalAccepted event) {
      proposers.add(event.validator());
      return null;
    }

    @Override
    public Void proposalRefused(NodeEvent.ProposalRefused event) {
      return null;
    }

    @Override
    public Void slashed(NodeEvent.Slashed event) {
      remove(event.validator());
      NodeSnapshot.SlashingRecord slashing =
          new NodeSnapshot.SlashingRecord(
              eventTime, event.validator(), event.forfeited(), event.bpm());
      keep(slashings, slashing);
      events.publish(EventTopic.SLASHING, ApiJson.bytes(json -> ApiJson.slashing(json, slashing)));
      return null;
    }

    @Override
    public Void left(NodeEvent.Left event) {
      remove(event.validator());
      return null;
    }

    private void remove(ValidatorId validator) {
      Stats removed = stats.remove(validator);
      if (removed != null) {
        totalStake -= removed.stake;
        validatorsChanged = true;
        changed = true;
      }
      proposers.remove(validator);
    }

    @Override
    public Void roundEnded(NodeEvent.RoundEnded event) {
      roundsEnded = event.round();
      Optional<Block> block = Optional.empty();
      Optional<RoundOutcome.SkipReason> reason = Optional.empty();
      if (event.outcome() instanceof RoundOutcome.Forged forged) {
        block = Optional.of(forged.block());
        credit(forged.winner());
        if (health.status() == NodeSnapshot.Health.Status.STORE_FAILING) {
          health = NodeSnapshot.Health.READY;
        }
      } else {
        RoundOutcome.Skipped skipped = (RoundOutcome.Skipped) event.outcome();
        reason = Optional.of(skipped.reason());
        if (skipped.reason() == RoundOutcome.SkipReason.STORE_FAILED
            && health.status() == NodeSnapshot.Health.Status.READY) {
          health =
              new NodeSnapshot.Health(
                  NodeSnapshot.Health.Status.STORE_FAILING,
                  Optional.of("round " + event.round() + "'s block could not be stored"));
        }
      }
      proposers.clear();
      NodeSnapshot.RoundRecord round =
          new NodeSnapshot.RoundRecord(
              event.round(), eventTime, block, reason, event.outcome().tally(), event.height());
      keep(rounds, round);
      publish();
      if (block.isPresent()) {
        Block head = block.get();
        events.publish(EventTopic.HEAD, ApiJson.bytes(json -> ApiJson.block(json, head)));
      }
      events.publish(EventTopic.ROUND, ApiJson.bytes(json -> ApiJson.round(json, round)));
      return null;
    }

    /**
     * Counts a forged round for its proposers: each still registered was drawn from with
     * probability stake / (their total stake), and {@code winner} won.
     */
    private void credit(ValidatorId winner) {
      long drawn = 0;
      for (ValidatorId proposer : proposers) {
        Stats s = stats.get(proposer);
        if (s != null && s.stake > 0) {
          drawn += s.stake;
        }
      }
      for (ValidatorId proposer : proposers) {
        Stats s = stats.get(proposer);
        if (s != null && s.stake > 0) {
          s.roundsEntered++;
          s.expectedWins += (double) s.stake / drawn;
        }
      }
      Stats won = stats.get(winner);
      if (won != null) {
        won.wins++;
      }
      validatorsChanged = true;
    }

    @Override
    public Void blockNotStored(NodeEvent.BlockNotStored event) {
      return null;
    }

    @Override
    public Void forgingStopped(NodeEvent.ForgingStopped event) {
      health =
          new NodeSnapshot.Health(
              NodeSnapshot.Health.Status.FORGING_STOPPED, Optional.of(event.cause()));
      publish();
      return null;
    }
  }
}
