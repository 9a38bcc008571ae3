package io.github.posj.net.metrics;

import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.store.ChainStore;
import io.github.posj.net.codec.ReasonText;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The tutorial server's Prometheus metrics ({@code GET /metrics}, {@code docs/api.md}): the {@code
 * posj_} counters, gauges and histograms of rounds, proposals, slashings, validators, stake and
 * connections, in a {@link MetricsRegistry} with what every node reports.
 *
 * <p>No label names a validator: every label has a fixed, small set of values, so the number of
 * series does not grow with the validators (Prometheus' naming practice; per-validator numbers are
 * in the REST API).
 *
 * <p>Thread-safe: events and gauges are recorded on the node's owner thread, the store's latency
 * where the store is called (the same thread), and a scrape may run on any thread.
 */
public final class NodeMetrics {
  private final MetricsRegistry registry;
  private final Counter rounds;
  private final Counter proposals;
  private final Counter slashings;
  private final Gauge validators;
  private final Gauge stake;
  private final Gauge connections;
  private final Histogram roundDuration;
  private final Recorder recorder = new Recorder();

  /** Owner thread only: when the last round ended. */
  private Optional<Instant> lastRoundEnd = Optional.empty();

  /**
   * Metrics with every counter at zero.
   *
   * @param version the build's version, for {@code posj_build_info}
   * @param subscribers the open event-stream subscriptions, read at each scrape
   * @param nanoTime the clock that times store appends ({@code System::nanoTime}; a test's own)
   * @param jvm whether to add the JVM's metrics (memory, GC, threads, ...; the process's once per
   *     registry)
   */
  public NodeMetrics(String version, IntSupplier subscribers, LongSupplier nanoTime, boolean jvm) {
    registry = new MetricsRegistry(version, subscribers, nanoTime, jvm);
    PrometheusRegistry prometheus = registry.prometheus();
    rounds =
        Counter.builder()
            .name("posj_rounds_total")
            .help("Rounds ended, by outcome (forged, skipped) and the reason nothing was forged")
            .labelNames("outcome", "reason")
            .register(prometheus);
    rounds.initLabelValues("forged", "none");
    for (RoundOutcome.SkipReason reason : RoundOutcome.SkipReason.values()) {
      rounds.initLabelValues("skipped", ReasonText.skipReason(reason));
    }
    proposals =
        Counter.builder()
            .name("posj_proposals_received_total")
            .help("Proposals received, by result (accepted, or why they were refused)")
            .labelNames("result")
            .register(prometheus);
    proposals.initLabelValues("accepted");
    for (NodeEvent.ProposalRefused.Reason reason : NodeEvent.ProposalRefused.Reason.values()) {
      proposals.initLabelValues(word(reason));
    }
    proposals.initLabelValues("malformed");
    slashings =
        Counter.builder()
            .name("posj_slashings_total")
            .help("Validators slashed, by reason")
            .labelNames("reason")
            .register(prometheus);
    slashings.initLabelValues("malformed-bpm");
    validators =
        Gauge.builder().name("posj_validators").help("Registered validators").register(prometheus);
    stake =
        Gauge.builder()
            .name("posj_stake_bonded_tokens")
            .help("The registered validators' stake, in tokens")
            .register(prometheus);
    connections =
        Gauge.builder()
            .name("posj_connections")
            .help("Open validator-protocol connections, by mode (text, json)")
            .labelNames("mode")
            .register(prometheus);
    connections.initLabelValues("text");
    connections.initLabelValues("json");
    roundDuration =
        Histogram.builder()
            .name("posj_round_duration_seconds")
            .help("Time from one round's end to the next's, in seconds")
            .classicOnly()
            .classicUpperBounds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300)
            .register(prometheus);
  }

  /** The registry {@code /metrics} scrapes. */
  public MetricsRegistry registry() {
    return registry;
  }

  /** Records what {@code event}, which happened at {@code time}, counts for. */
  public void record(Instant time, NodeEvent event) {
    if (event instanceof NodeEvent.RoundEnded) {
      Instant previous = lastRoundEnd.orElse(time);
      lastRoundEnd = Optional.of(time);
      if (time.isAfter(previous)) {
        roundDuration.observe(Duration.between(previous, time).toNanos() / 1e9);
      }
    }
    event.accept(recorder);
  }

  /** Sets the gauges of the chain and the stake table. */
  public void chainAndStakes(long chainHeight, int validatorCount, long totalStake) {
    registry.chainHeight(chainHeight);
    validators.set(validatorCount);
    stake.set(totalStake);
  }

  /** Sets the connection gauges. */
  public void connections(int text, int json) {
    connections.labelValues("text").set(text);
    connections.labelValues("json").set(json);
  }

  /**
   * {@code store}, with the time of each {@link ChainStore#append} in {@code
   * posj_store_append_seconds} (failed appends too: a slow failure is worth seeing).
   */
  public ChainStore timed(ChainStore store) {
    return new TimedChainStore(store, registry);
  }

  private static String word(Enum<?> reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Counts each kind of event; a new kind fails to compile here until it is counted. */
  private final class Recorder implements NodeEvent.Visitor<Void> {
    @Override
    public Void registered(NodeEvent.Registered event) {
      return null;
    }

    @Override
    public Void registrationRefused(NodeEvent.RegistrationRefused event) {
      return null;
    }

    @Override
    public Void proposalAccepted(NodeEvent.ProposalAccepted event) {
      proposals.labelValues("accepted").inc();
      return null;
    }

    @Override
    public Void proposalRefused(NodeEvent.ProposalRefused event) {
      proposals.labelValues(word(event.reason())).inc();
      return null;
    }

    @Override
    public Void slashed(NodeEvent.Slashed event) {
      proposals.labelValues("malformed").inc();
      slashings.labelValues("malformed-bpm").inc();
      return null;
    }

    @Override
    public Void left(NodeEvent.Left event) {
      return null;
    }

    @Override
    public Void roundEnded(NodeEvent.RoundEnded event) {
      if (event.outcome() instanceof RoundOutcome.Skipped skipped) {
        rounds.labelValues("skipped", ReasonText.skipReason(skipped.reason())).inc();
      } else {
        rounds.labelValues("forged", "none").inc();
      }
      registry.chainHeight(event.height());
      return null;
    }

    @Override
    public Void blockNotStored(NodeEvent.BlockNotStored event) {
      return null;
    }

    @Override
    public Void forgingStopped(NodeEvent.ForgingStopped event) {
      registry.forgingStopped();
      return null;
    }
  }
}
