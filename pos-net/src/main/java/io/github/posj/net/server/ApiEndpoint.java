package io.github.posj.net.server;

import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.store.ChainStore;
import io.github.posj.net.http.ApiServer;
import io.github.posj.net.http.EventStream;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.metrics.NodeMetrics;
import io.netty.channel.EventLoopGroup;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The tutorial server's HTTP API ({@link ServerConfig#http()}): the event stream, the metrics and
 * the snapshot publisher, wired to the server's owner thread and event loops.
 *
 * <p>Not thread-safe; the server calls it while it starts and stops.
 */
final class ApiEndpoint {
  private final HttpSettings settings;
  private final EventStream events;
  private final NodeMetrics metrics;
  private final SnapshotPublisher publisher;
  private ApiServer server;

  ApiEndpoint(ServerConfig config, HttpSettings settings) {
    this.settings = settings;
    this.events = EventStream.forNode(config.clock().instant(), settings);
    this.metrics =
        new NodeMetrics(ApiServer.version(), events::subscriberCount, System::nanoTime, true);
    this.publisher = new SnapshotPublisher(config.roundDuration(), events, metrics);
  }

  /** {@code config} with its chain store's appends timed into the metrics. */
  ServerConfig instrument(ServerConfig config) {
    Supplier<ChainStore> stores = config.chainStore();
    return config.toBuilder().chainStore(() -> metrics.timed(stores.get())).build();
  }

  /** {@code listener}, and then the publisher, hear every event. */
  ServerListener listening(ServerListener listener) {
    return new ServerListener() {
      @Override
      public void onStarted(Started started) {
        listener.onStarted(started);
        publisher.onStarted(started);
      }

      @Override
      public void onEvent(Instant time, NodeEvent event) {
        listener.onEvent(time, event);
        publisher.onEvent(time, event);
      }
    };
  }

  /** Binds the HTTP port, for {@code host}'s node; accepts nothing until {@link #started}. */
  void bind(NodeHost host, EventLoopGroup boss, EventLoopGroup workers) {
    publisher.host(host);
    server = ApiServer.bind(settings, boss, workers, publisher, events, metrics);
  }

  /** The HTTP port (the real one when the settings said 0). */
  int port() {
    return server.port();
  }

  /** After the first snapshot (on the owner thread): accepts requests and starts the ticks. */
  void started(ScheduledExecutorService owner) {
    server.startAccepting(owner, publisher::tick);
  }

  /** Stops listening; open connections end with the event loops. */
  void close() {
    if (server != null) {
      server.close();
    }
  }
}
