package io.github.posj.net.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.Block;
import io.github.posj.net.protocol.ServerMessage;
import io.github.posj.net.server.Await;
import io.github.posj.net.server.ServerConfig;
import io.github.posj.net.server.ValidatorServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ValidatorFleet} against a real server whose rounds run when the test says. */
final class ValidatorFleetTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration STEP = Duration.ofMillis(20);

  private final AtomicLong nanos = new AtomicLong();
  private final Ticker ticker = nanos::get;
  private final Recorder recorder = new Recorder();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeResources() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  /** Records what the fleet reports; called on the test's thread only. */
  private static final class Recorder implements FleetListener {
    final List<FleetMember> connected = new ArrayList<>();
    final List<FleetMember> accepted = new ArrayList<>();
    final List<ServerMessage.RoundResult> rounds = new ArrayList<>();
    final List<Optional<FleetMember>> winners = new ArrayList<>();

    @Override
    public void onConnected(FleetMember member, int total) {
      connected.add(member);
    }

    @Override
    public void onProposalAccepted(FleetMember member, long index) {
      accepted.add(member);
    }

    @Override
    public void onRound(ServerMessage.RoundResult result, Optional<FleetMember> winner) {
      rounds.add(result);
      winners.add(winner);
    }

    @Override
    public void onBlock(FleetMember member, Block block) {}

    @Override
    public void onError(FleetMember member, String message) {}
  }

  private ValidatorServer server(ServerConfig.Builder config) {
    ValidatorServer server = ValidatorClientTest.startServer(config);
    resources.add(server);
    return server;
  }

  private ValidatorFleet fleet(
      ValidatorServer server, Schedule schedule, long rounds, Long... stakes) throws IOException {
    FleetConfig config =
        new FleetConfig("127.0.0.1", server.port(), WAIT, List.of(stakes), 72, schedule, rounds);
    ValidatorFleet fleet = ValidatorFleet.connect(config, recorder, ticker);
    resources.add(0, fleet);
    return fleet;
  }

  /** Advances the fleet until {@code condition} holds, for at most {@link #WAIT}. */
  private static void advanceUntil(ValidatorFleet fleet, String what, BooleanSupplier condition) {
    Await.until(
        what,
        () -> {
          try {
            fleet.advance(STEP);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return condition.getAsBoolean();
        });
  }

  private static void round(ValidatorServer server) throws Exception {
    server.runRoundNow().get(10, TimeUnit.SECONDS);
  }

  @Test
  void advance_everyRound_proposesAfterEachResultAndIsDoneAtTheRoundLimit() throws Exception {
    ValidatorServer server = server(ServerConfig.builder());
    ValidatorFleet fleet = fleet(server, new Schedule.EveryRound(), 2, 1L, 2L, 3L);
    assertThat(recorder.connected).extracting(FleetMember::stake).containsExactly(1L, 2L, 3L);
    advanceUntil(fleet, "the first proposals", () -> recorder.accepted.size() == 3);

    round(server);
    advanceUntil(fleet, "the proposals after round 1", () -> recorder.accepted.size() == 6);
    round(server);
    advanceUntil(fleet, "done", () -> fleet.state() instanceof FleetState.Done);

    FleetSummary summary = fleet.summary();
    assertThat(summary.rounds()).isEqualTo(2);
    assertThat(summary.forged()).isEqualTo(2);
    assertThat(summary.wins()).isEqualTo(2);
    assertThat(recorder.rounds)
        .extracting(ServerMessage.RoundResult::round)
        .containsExactly(1L, 2L);
    assertThat(recorder.winners).allSatisfy(winner -> assertThat(winner).isPresent());
    assertThat(summary.members())
        .allSatisfy(member -> assertThat(member.proposalsAccepted()).isEqualTo(2));
  }

  @Test
  void advance_once_proposesOnlyAtTheStart() throws Exception {
    ValidatorServer server = server(ServerConfig.builder());
    ValidatorFleet fleet = fleet(server, new Schedule.Once(), 0, 5L);
    advanceUntil(fleet, "the first proposal", () -> recorder.accepted.size() == 1);

    round(server);
    advanceUntil(fleet, "round 1", () -> recorder.rounds.size() == 1);
    round(server);
    advanceUntil(fleet, "round 2", () -> recorder.rounds.size() == 2);

    assertThat(recorder.rounds.get(0).forged()).isTrue();
    assertThat(recorder.rounds.get(1).forged()).as("nobody proposed again").isFalse();
    assertThat(fleet.summary().members().get(0).roundsSeen()).isEqualTo(2);
    assertThat(fleet.state()).isInstanceOf(FleetState.Running.class);
  }

  @Test
  void advance_every_proposesWhenTheTickerHasMovedAnInterval() throws Exception {
    ValidatorServer server = server(ServerConfig.builder());
    ValidatorFleet fleet = fleet(server, new Schedule.Every(Duration.ofSeconds(5)), 0, 5L, 7L);
    advanceUntil(fleet, "the first proposals", () -> recorder.accepted.size() == 2);

    nanos.addAndGet(Duration.ofSeconds(4).toNanos());
    fleet.advance(Duration.ZERO);
    round(server);
    advanceUntil(fleet, "round 1", () -> recorder.rounds.size() == 1);
    assertThat(recorder.accepted).as("4 s: not due yet").hasSize(2);

    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    advanceUntil(fleet, "the proposals at 5 s", () -> recorder.accepted.size() == 4);
  }

  @Test
  void advance_serverStopsMidRun_endsDisconnectedAndKeepsWhatItSaw() throws Exception {
    ValidatorServer server = server(ServerConfig.builder());
    ValidatorFleet fleet = fleet(server, new Schedule.EveryRound(), 10, 3L, 4L);
    advanceUntil(fleet, "the first proposals", () -> recorder.accepted.size() == 2);
    round(server);
    advanceUntil(fleet, "round 1", () -> recorder.rounds.size() == 1);

    server.close();
    advanceUntil(fleet, "the end", () -> !(fleet.state() instanceof FleetState.Running));

    assertThat(fleet.state())
        .isInstanceOfSatisfying(
            FleetState.Disconnected.class,
            end -> assertThat(end.reason()).isEqualTo("the server is shutting down"));
    assertThat(fleet.summary().rounds()).isEqualTo(1);
    assertThat(fleet.summary().wins()).isEqualTo(1);
  }

  @Test
  void connect_aStakeRefused_throwsAndClosesTheMembersConnectedSoFar() {
    ValidatorServer server = server(ServerConfig.builder().maxStake(10));

    assertThatThrownBy(() -> fleet(server, new Schedule.EveryRound(), 0, 5L, 50L))
        .isInstanceOfSatisfying(
            StakeRefusedException.class, e -> assertThat(e.stake()).isEqualTo(50));
    Await.until("every connection closed", () -> server.connectionCount() == 0);
  }
}
