package io.github.posj.net.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The servers and connections a protocol test opens, closed after each test (connections first):
 * register with {@code @RegisterExtension final ServerResources servers = new ServerResources();}.
 */
final class ServerResources implements AfterEachCallback {
  private final List<AutoCloseable> resources = new ArrayList<>();

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
    resources.clear();
  }

  /** Starts a server with {@code config}. */
  ValidatorServer start(ServerConfig.Builder config) {
    ValidatorServer server = TestServers.start(config);
    resources.add(server);
    return server;
  }

  /** A raw socket to {@code server}, for byte-for-byte checks. */
  RawPeer raw(ValidatorServer server) throws IOException {
    RawPeer peer = RawPeer.connect(server.port());
    resources.add(0, peer);
    return peer;
  }

  /** A version 1 JSON client of {@code server}. */
  TestClient client(ValidatorServer server, Duration timeout) throws IOException {
    TestClient client = TestClient.connect(server.port(), timeout);
    resources.add(0, client);
    return client;
  }

  /** Closes {@code resource} after the test, before everything added so far. */
  <T extends AutoCloseable> T add(T resource) {
    resources.add(0, resource);
    return resource;
  }

  /** Closes {@code server} after the test, after everything added so far (a server goes last). */
  <T extends AutoCloseable> T addLast(T server) {
    resources.add(server);
    return server;
  }

  /**
   * Waits at most 10 s for {@code latch}, for a listener that holds the owner thread on purpose;
   * never throws (an interrupt is kept).
   */
  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
