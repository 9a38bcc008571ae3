package io.github.posj.net.metrics;

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
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The Prometheus registry that a node's {@code GET /metrics} scrapes, with the metrics every kind
 * of node reports: {@code posj_build_info}, {@code posj_sse_subscribers}, {@code
 * posj_chain_height}, {@code posj_forging_stopped}, {@code posj_store_append_seconds} and the JVM's
 * standard {@code jvm_} and {@code process_} metrics. Each kind of node adds its own ({@link
 * NodeMetrics} for the tutorial server).
 *
 * <p>Thread-safe: a scrape may run on any thread while the node records.
 */
public final class MetricsRegistry {
  /** The content type of {@link #scrape}: Prometheus' text format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final LongSupplier nanoTime;
  private final Gauge height;
  private final Gauge forgingStopped;
  private final Histogram storeAppend;

  MetricsRegistry(String version, IntSupplier subscribers, LongSupplier nanoTime, boolean jvm) {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(subscribers, "subscribers");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    height =
        Gauge.builder().name("posj_chain_height").help("The head block's Index").register(registry);
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

  /** The registry, for the metrics of one kind of node. */
  PrometheusRegistry prometheus() {
    return registry;
  }

  /** Sets {@code posj_chain_height}. */
  void chainHeight(long index) {
    height.set(index);
  }

  /** Sets {@code posj_forging_stopped} to 1. */
  void forgingStopped() {
    forgingStopped.set(1);
  }

  /**
   * Runs {@code append} (a store's append), its time in {@code posj_store_append_seconds}, failed
   * appends too: a slow failure is worth seeing.
   */
  void timeAppend(Runnable append) {
    long start = nanoTime.getAsLong();
    try {
      append.run();
    } finally {
      storeAppend.observe((nanoTime.getAsLong() - start) / 1e9);
    }
  }

  /** Writes every metric in the text format ({@link #CONTENT_TYPE}) to {@code out}. */
  public void scrape(OutputStream out) {
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
