package io.github.posj.net.metrics;

import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.store.ChainStore;
import io.github.posj.net.codec.ReasonText;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * A node's Prometheus metrics ({@code GET /metrics}, {@code docs/api.md}): the {@code posj_}
 * counters, gauges and histograms of rounds, proposals, slashings, connections, the chain and the
 * store, the build's version, and the JVM's standard {@code jvm_} and {@code process_} metrics.
 *
 * <p>No label names a validator: every label has a fixed, small set of values, so the number of
 * series does not grow with the validators (Prometheus' naming practice; per-validator numbers are
 * in the REST API).
 *
 * <p>Thread-safe: events and gauges are recorded on the node's owner thread, the store's latency
 * where the store is called (the same thread), and a scrape may run on any thread.
 */
public final class NodeMetrics {
  /** The content type of {@link #scrape}: Prometheus' text format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final LongSupplier nanoTime;
  private final Counter rounds;
  private final Counter proposals;
  private final Counter slashings;
  private final Gauge height;
  private final Gauge validators;
  private final Gauge stake;
  private final Gauge connections;
  private final Gauge forgingStopped;
  private final Histogram storeAppend;
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
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(subscribers, "subscribers");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    rounds =
        Counter.builder()
            .name("posj_rounds_total")
            .help("Rounds ended, by outcome (forged, skipped) and the reason nothing was forged")
            .labelNames("outcome", "reason")
            .register(registry);
    rounds.initLabelValues("forged", "none");
    for (RoundOutcome.SkipReason reason : RoundOutcome.SkipReason.values()) {
      rounds.initLabelValues("skipped", ReasonText.skipReason(reason));
    }
    proposals =
        Counter.builder()
            .name("posj_proposals_received_total")
            .help("Proposals received, by result (accepted, or why they were refused)")
            .labelNames("result")
            .register(registry);
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
            .register(registry);
    slashings.initLabelValues("malformed-bpm");
    height =
        Gauge.builder().name("posj_chain_height").help("The head block's Index").register(registry);
    validators =
        Gauge.builder().name("posj_validators").help("Registered validators").register(registry);
    stake =
        Gauge.builder()
            .name("posj_stake_bonded_tokens")
            .help("The registered validators' stake, in tokens")
            .register(registry);
    connections =
        Gauge.builder()
            .name("posj_connections")
            .help("Open validator-protocol connections, by mode (text, json)")
            .labelNames("mode")
            .register(registry);
    connections.initLabelValues("text");
    connections.initLabelValues("json");
    forgingStopped =
        Gauge.builder()
            .name("posj_forging_stopped")
            .help("1 when the node has stopped forging (its store is broken), else 0")
            .register(registry);
    GaugeWithCallback.builder()
        .name("posj_sse_subscribers")
        .help("Open event-stream (SSE) subscriptions")
        .callback(callback -> callback.call(subscribers.getAsInt()))
        .register(registry);
    storeAppend =
        Histogram.builder()
            .name("posj_store_append_seconds")
            .help("Time to store a forged block durably (append and fsync), in seconds")
            .classicOnly()
            .classicUpperBounds(
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register(registry);
    roundDuration =
        Histogram.builder()
            .name("posj_round_duration_seconds")
            .help("Time from one round's end to the next's, in seconds")
            .classicOnly()
            .classicUpperBounds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300)
            .register(registry);
    Info.builder()
        .name("posj_build_info")
        .help("The posj version this node runs")
        .labelNames("version")
        .register(registry)
        .addLabelValues(version);
    if (jvm) {
      JvmMetrics.builder().register(registry);
    }
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
    height.set(chainHeight);
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
    return new TimedChainStore(store, this);
  }

  void storeAppendNanos(long nanos) {
    storeAppend.observe(nanos / 1e9);
  }

  long nanoTime() {
    return nanoTime.getAsLong();
  }

  /** Writes every metric in the text format ({@link #CONTENT_TYPE}) to {@code out}. */
  public void scrape(OutputStream out) {
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
      height.set(event.height());
      return null;
    }

    @Override
    public Void blockNotStored(NodeEvent.BlockNotStored event) {
      return null;
    }

    @Override
    public Void forgingStopped(NodeEvent.ForgingStopped event) {
      forgingStopped.set(1);
      return null;
    }
  }
}
