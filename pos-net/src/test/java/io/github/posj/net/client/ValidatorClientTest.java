package io.github.posj.net.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.net.protocol.ServerMessage;
import io.github.posj.net.server.Await;
import io.github.posj.net.server.ServerConfig;
import io.github.posj.net.server.ServerListener;
import io.github.posj.net.server.ValidatorServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ValidatorClient}'s handshake and its listener's contract, against real sockets. */
final class ValidatorClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  static ValidatorServer startServer(ServerConfig.Builder config) {
    return ValidatorServer.start(
        config
            .port(0)
            .roundDuration(Duration.ofHours(1))
            .broadcastInterval(Duration.ofHours(1))
            .build(),
        ServerListener.NONE);
  }

  @Test
  void connect_serverThatNeverGreets_saysItConnectedButHadNoWelcome() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () ->
                  ValidatorClient.connect(
                      "127.0.0.1", silent.getLocalPort(), Duration.ofMillis(300), event -> {}))
          .isInstanceOf(HandshakeException.class)
          .hasMessage("connected, but the server sent no welcome within 300 ms");
      try (Socket accepted = silent.accept()) {
        assertThat(accepted.isConnected()).isTrue();
      }
    }
  }

  @Test
  void listener_serverStops_getsEveryMessageInOrderThenClosedOnce() throws Exception {
    List<ClientEvent> events = new CopyOnWriteArrayList<>();
    try (ValidatorServer server = startServer(ServerConfig.builder())) {
      ValidatorClient client =
          ValidatorClient.connect("127.0.0.1", server.port(), WAIT, events::add);
      client.register(5);
      client.propose(72);
      Await.until("the proposal accepted", () -> received(events, "ProposalAccepted"));
      server.runRoundNow().get(10, TimeUnit.SECONDS);
      Await.until("the new block", () -> received(events, "BlockAdded"));
    }

    Await.until(
        "the end of the connection",
        () -> events.stream().anyMatch(ClientEvent.Closed.class::isInstance));
    assertThat(events)
        .extracting(ValidatorClientTest::kind)
        .containsExactly(
            "Welcome",
            "Registered",
            "ProposalAccepted",
            "RoundResult",
            "BlockAdded",
            "Closing",
            "Closed");
    assertThat(((ClientEvent.Closed) events.get(events.size() - 1)).reason())
        .isEqualTo("the server is shutting down");
  }

  @Test
  void listener_thatThrows_endsTheConnectionWithClosedLast() throws Exception {
    List<ClientEvent> events = new CopyOnWriteArrayList<>();
    ClientListener failing =
        event -> {
          events.add(event);
          if (event instanceof ClientEvent.Received received
              && received.message() instanceof ServerMessage.ProposalAccepted) {
            throw new IllegalStateException("boom");
          }
        };
    try (ValidatorServer server = startServer(ServerConfig.builder());
        ValidatorClient client =
            ValidatorClient.connect("127.0.0.1", server.port(), WAIT, failing)) {
      client.register(5);
      client.propose(72);

      Await.until(
          "the end of the connection",
          () -> events.stream().anyMatch(ClientEvent.Closed.class::isInstance));
      assertThat(events.get(events.size() - 1))
          .isEqualTo(new ClientEvent.Closed("the client's listener failed: boom"));
      // The client proposed: the server closes its side once this round's result is sent.
      server.runRoundNow().get(10, TimeUnit.SECONDS);
      Await.until("the server saw the close", () -> server.connectionCount() == 0);
    }
  }

  @Test
  void register_stakeAboveTheMaximum_throwsStakeRefusedWithTheServersWords() throws Exception {
    try (ValidatorServer server = startServer(ServerConfig.builder().maxStake(10));
        ValidatorClient client =
            ValidatorClient.connect("127.0.0.1", server.port(), WAIT, new ClientInbox())) {
      assertThatThrownBy(() -> client.register(50))
          .isInstanceOfSatisfying(
              StakeRefusedException.class, e -> assertThat(e.stake()).isEqualTo(50))
          .hasMessageContaining("at most 10");
    }
  }

  @Test
  void inbox_twoReadersAtOnce_theSecondIsRefused() throws Exception {
    ClientInbox inbox = new ClientInbox();
    Thread first =
        new Thread(
            () -> {
              try {
                inbox.awaitClosed(WAIT);
              } catch (java.io.IOException e) {
                throw new AssertionError(e);
              }
            });
    first.start();
    Await.until("the first reader waits", () -> first.getState() == Thread.State.TIMED_WAITING);

    assertThatThrownBy(() -> inbox.poll(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another thread is reading this inbox");
    inbox.onEvent(new ClientEvent.Closed("done"));
    first.join(WAIT.toMillis());
    assertThat(first.isAlive()).isFalse();
  }

  @Test
  void inbox_full_dropsAndSaysSoOnTheNextRead() {
    ClientInbox inbox = new ClientInbox(1);
    inbox.onEvent(new ClientEvent.Received(new ServerMessage.ProposalAccepted(1)));
    inbox.onEvent(new ClientEvent.Received(new ServerMessage.ProposalAccepted(2)));

    assertThatThrownBy(() -> inbox.poll(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("1 message was dropped");
  }

  private static boolean received(List<ClientEvent> events, String kind) {
    return events.stream().map(ValidatorClientTest::kind).anyMatch(kind::equals);
  }

  private static String kind(ClientEvent event) {
    return event instanceof ClientEvent.Received received
        ? received.message().getClass().getSimpleName()
        : event.getClass().getSimpleName();
  }
}
