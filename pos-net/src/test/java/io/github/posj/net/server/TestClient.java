package io.github.posj.net.server;

import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.client.ClientInbox;
import io.github.posj.net.client.ValidatorClient;
import io.github.posj.net.protocol.ServerMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link ValidatorClient} with its own {@link ClientInbox}: one validator's dialogue, in order.
 */
final class TestClient implements AutoCloseable {
  private final ValidatorClient client;
  private final ClientInbox inbox;

  private TestClient(ValidatorClient client, ClientInbox inbox) {
    this.client = client;
    this.inbox = inbox;
  }

  /** A version 1 client: it is sent the whole chain, as most of these tests check. */
  static TestClient connect(int port, Duration timeout) throws IOException {
    ClientInbox inbox = new ClientInbox();
    return new TestClient(ValidatorClient.connect("127.0.0.1", port, timeout, inbox, 1), inbox);
  }

  ValidatorId register(long stake) throws IOException {
    return client.register(stake);
  }

  void propose(long bpm) throws IOException {
    client.propose(bpm);
  }

  /** Registers with {@code stake}, proposes {@code bpm} and waits until it is a candidate. */
  ValidatorId registerAndPropose(long stake, long bpm, Duration timeout) throws IOException {
    ValidatorId address = register(stake);
    propose(bpm);
    awaitEvent(ServerMessage.ProposalAccepted.class, timeout);
    return address;
  }

  void sendLine(String line) throws IOException {
    client.sendLine(line);
  }

  Optional<ValidatorId> address() {
    return client.address();
  }

  <T extends ServerMessage> T awaitEvent(Class<T> type, Duration timeout) throws IOException {
    return inbox.await(type, timeout);
  }

  String awaitClosed(Duration timeout) throws IOException {
    return inbox.awaitClosed(timeout);
  }

  ClientInbox inbox() {
    return inbox;
  }

  @Override
  public void close() {
    client.close();
  }
}
