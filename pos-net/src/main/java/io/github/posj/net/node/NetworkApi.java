package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.net.http.ApiServer;
import io.github.posj.net.http.EventStream;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.metrics.NetworkMetrics;
import io.netty.channel.EventLoopGroup;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A network node's HTTP API ({@link NetworkServerConfig#http()}): the event stream, the metrics and
 * the snapshot publisher, wired to the node's owner thread and event loops.
 *
 * <p>Not thread-safe; the server calls it while it starts and stops.
 */
final class NetworkApi {
  private final HttpSettings settings;
  private final EventStream events;
  private final NetworkMetrics metrics;
  private final NetworkSnapshotPublisher publisher;
  private ApiServer server;

  NetworkApi(HttpSettings settings, InstantSource clock, Genesis genesis, PublishedBlocks blocks) {
    this.settings = settings;
    this.events = EventStream.forNode(clock.instant(), settings);
    this.metrics =
        new NetworkMetrics(ApiServer.version(), events::subscriberCount, System::nanoTime, true);
    this.publisher = new NetworkSnapshotPublisher(genesis, blocks, clock, events, metrics);
  }

  /** {@code store}, its appends timed into the metrics. */
  SignedChainStore instrument(SignedChainStore store) {
    return metrics.timed(store);
  }

  /**
   * Binds the HTTP port for {@code host}'s node; accepts nothing until {@link #started}.
   *
   * @throws IllegalStateException if the address cannot be bound
   */
  void bind(NetworkHost host, EventLoopGroup boss, EventLoopGroup workers) {
    publisher.host(host);
    server = ApiServer.bind(settings, boss, workers, publisher, events, metrics);
  }

  /** {@code listener}, and then the publisher, hear every event. */
  NetworkServerListener listening(NetworkServerListener listener) {
    return new Both(listener, publisher);
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

  /** Two listeners, called in order. */
  private record Both(NetworkServerListener first, NetworkServerListener second)
      implements NetworkServerListener {
    @Override
    public void started(int port, List<String> repairs) {
      first.started(port, repairs);
      second.started(port, repairs);
    }

    @Override
    public void slotStarted(long slot, long epoch, ValidatorId leader) {
      first.slotStarted(slot, epoch, leader);
      second.slotStarted(slot, epoch, leader);
    }

    @Override
    public void slotMissed(long slot, ValidatorId leader) {
      first.slotMissed(slot, leader);
      second.slotMissed(slot, leader);
    }

    @Override
    public void accepted(SignedBlock block) {
      first.accepted(block);
      second.accepted(block);
    }

    @Override
    public void refused(SignedBlock block, String code, String reason) {
      first.refused(block, code, reason);
      second.refused(block, code, reason);
    }

    @Override
    public void evidence(SignedBlock firstBlock, SignedBlock secondBlock) {
      first.evidence(firstBlock, secondBlock);
      second.evidence(firstBlock, secondBlock);
    }

    @Override
    public void loggedIn(ValidatorId validator, String remote) {
      first.loggedIn(validator, remote);
      second.loggedIn(validator, remote);
    }

    @Override
    public void loginFailed(String remote, String reason) {
      first.loginFailed(remote, reason);
      second.loginFailed(remote, reason);
    }

    @Override
    public void forgingStopped(String reason) {
      first.forgingStopped(reason);
      second.forgingStopped(reason);
    }

    @Override
    public void evidenceNotStored(String reason) {
      first.evidenceNotStored(reason);
      second.evidenceNotStored(reason);
    }

    @Override
    public void rolledBack(List<SignedBlock> removed) {
      first.rolledBack(removed);
      second.rolledBack(removed);
    }

    @Override
    public void peerConnected(String remote, boolean outbound) {
      first.peerConnected(remote, outbound);
      second.peerConnected(remote, outbound);
    }

    @Override
    public void peerUnreachable(
        String address, String reason, java.util.Optional<java.time.Duration> retryIn) {
      first.peerUnreachable(address, reason, retryIn);
      second.peerUnreachable(address, reason, retryIn);
    }

    @Override
    public void peerClosed(String remote, String reason) {
      first.peerClosed(remote, reason);
      second.peerClosed(remote, reason);
    }

    @Override
    public void peerBlocksNotStored(String reason) {
      first.peerBlocksNotStored(reason);
      second.peerBlocksNotStored(reason);
    }
  }
}
