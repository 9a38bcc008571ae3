package io.github.posj.net.metrics;

import io.github.posj.core.node.NetworkEvent;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.net.codec.ReasonText;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * A network node's Prometheus metrics ({@code pos node}, {@code GET /metrics}, {@code
 * docs/api.md}): slots begun and missed, blocks accepted and refused by code, equivocation
 * evidence, logins, connections and the head's and the node's slots, in a {@link MetricsRegistry}
 * with what every node reports.
 *
 * <p>No label names a validator: every label has a fixed, small set of values.
 *
 * <p>Thread-safe: recorded on the node's owner thread, scraped on any thread.
 */
public final class NetworkMetrics {
  private final MetricsRegistry registry;
  private final Counter slotsStarted;
  private final Counter slotsMissed;
  private final Counter accepted;
  private final Counter refused;
  private final Counter evidence;
  private final Counter logins;
  private final Gauge connections;
  private final Gauge loggedIn;
  private final Gauge headSlot;
  private final Gauge slot;

  /**
   * Metrics with every counter at zero.
   *
   * @param version the build's version, for {@code posj_build_info}
   * @param subscribers the open event-stream subscriptions, read at each scrape
   * @param nanoTime the clock that times store appends ({@code System::nanoTime}; a test's own)
   * @param jvm whether to add the JVM's metrics
   */
  public NetworkMetrics(
      String version, IntSupplier subscribers, LongSupplier nanoTime, boolean jvm) {
    registry = new MetricsRegistry(version, subscribers, nanoTime, jvm);
    PrometheusRegistry prometheus = registry.prometheus();
    slotsStarted =
        Counter.builder()
            .name("posj_slots_started_total")
            .help("Slots the node began")
            .register(prometheus);
    slotsMissed =
        Counter.builder()
            .name("posj_slots_missed_total")
            .help("Slots that ended without a block from their leader")
            .register(prometheus);
    accepted =
        Counter.builder()
            .name("posj_blocks_accepted_total")
            .help("Blocks accepted, stored and announced")
            .register(prometheus);
    refused =
        Counter.builder()
            .name("posj_blocks_refused_total")
            .help("Blocks refused, by refusal code (docs/network.md section 11)")
            .labelNames("code")
            .register(prometheus);
    for (NetworkEvent.Refusal reason : NetworkEvent.Refusal.values()) {
      refused.initLabelValues(ReasonText.refusalCode(reason));
    }
    evidence =
        Counter.builder()
            .name("posj_evidence_total")
            .help("Equivocations seen: a second block signed by one key for one slot")
            .register(prometheus);
    logins =
        Counter.builder()
            .name("posj_logins_total")
            .help("Validator logins, by result (ok, failed)")
            .labelNames("result")
            .register(prometheus);
    logins.initLabelValues("ok");
    logins.initLabelValues("failed");
    connections =
        Gauge.builder()
            .name("posj_connections")
            .help("Open node-protocol connections, validators and watchers (mode: node)")
            .labelNames("mode")
            .register(prometheus);
    connections.initLabelValues("node");
    loggedIn =
        Gauge.builder()
            .name("posj_validators_logged_in")
            .help("Validators logged in to this node")
            .register(prometheus);
    headSlot =
        Gauge.builder().name("posj_head_slot").help("The head block's slot").register(prometheus);
    slot =
        Gauge.builder()
            .name("posj_slot")
            .help("The slot the node is in (the last it began)")
            .register(prometheus);
  }

  /** The registry {@code /metrics} scrapes. */
  public MetricsRegistry registry() {
    return registry;
  }

  /** The chain's head: its Index and slot (at the start, and after each accepted block). */
  public void head(long height, long slotOfHead) {
    registry.chainHeight(height);
    headSlot.set(slotOfHead);
  }

  /** Slot {@code number} began. */
  public void slotStarted(long number) {
    slotsStarted.inc();
    slot.set(number);
  }

  /** A slot ended without a block. */
  public void slotMissed() {
    slotsMissed.inc();
  }

  /** A block was accepted and became the head. */
  public void accepted(long height, long slotOfHead) {
    accepted.inc();
    head(height, slotOfHead);
  }

  /** A block was refused with {@code code} ({@link ReasonText#refusalCode}). */
  public void refused(String code) {
    refused.labelValues(code).inc();
  }

  /** A second block signed by one key for one slot was seen. */
  public void evidence() {
    evidence.inc();
  }

  /** A validator's login succeeded or failed. */
  public void login(boolean ok) {
    logins.labelValues(ok ? "ok" : "failed").inc();
  }

  /** The open connections, and the validators logged in among them. */
  public void connections(int total, int validators) {
    connections.labelValues("node").set(total);
    loggedIn.set(validators);
  }

  /** The node stopped accepting blocks: its store is broken. */
  public void forgingStopped() {
    registry.forgingStopped();
  }

  /** {@code store}, with the time of each append in {@code posj_store_append_seconds}. */
  public SignedChainStore timed(SignedChainStore store) {
    return new TimedSignedChainStore(store, registry);
  }
}
