package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.StopSignal;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.chain.ChainValidation;
import io.github.posj.net.store.FileChainStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pos server} and two {@code pos validator}s in-process, on an ephemeral port. */
final class ServerAndValidatorsIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  /** A running {@code pos server} and the way to stop it. */
  private record Server(
      CliRun run, StopSignal.LatchStopSignal stop, CompletableFuture<Integer> exit, int port) {}

  private Server startServer(String... extra) {
    StopSignal.LatchStopSignal stop = new StopSignal.LatchStopSignal();
    CliRun run = new CliRun(Map.of(), dir, "", stop);
    String[] args =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(
                    "server", "--port", "0", "--round-seconds", "0.4", "--seed", "7"),
                java.util.stream.Stream.of(extra))
            .toArray(String[]::new);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run.run(args));
    Pattern listening = Pattern.compile("listening on port (\\d+)");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline && !exit.isDone()) {
      Matcher m = listening.matcher(run.out());
      if (m.find()) {
        return new Server(run, stop, exit, Integer.parseInt(m.group(1)));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new AssertionError("the server did not start: " + run.out() + run.err());
  }

  private static int stop(Server server) throws Exception {
    server.stop().stop();
    return server.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void serverAndTwoValidators_runRoundsAndPrintThem() throws Exception {
    Server server = startServer("--in-memory");
    CliRun alice = new CliRun(dir);
    CliRun bob = new CliRun(dir);
    String port = String.valueOf(server.port());

    CompletableFuture<Integer> aliceExit =
        CompletableFuture.supplyAsync(
            () ->
                alice.run(
                    "validator", "--port", port, "--stake", "100", "--bpm", "72", "--rounds", "3"));
    CompletableFuture<Integer> bobExit =
        CompletableFuture.supplyAsync(
            () ->
                bob.run(
                    "validator", "--port", port, "--stake", "300", "--bpm", "65", "--rounds", "3"));

    assertThat(aliceExit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(alice.err()).isZero();
    assertThat(bobExit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(bob.err()).isZero();
    assertThat(stop(server)).isZero();

    for (CliRun validator : List.of(alice, bob)) {
      assertThat(validator.out())
          .contains("registered: address ")
          .containsPattern("round \\d+: ")
          .contains("done: 3 rounds");
    }
    assertThat(alice.out() + bob.out()).contains("you won!");
    assertThat(server.run().out())
        .contains("genesis block: {\"Index\":0,")
        .contains("joined with stake 100")
        .contains("joined with stake 300")
        .containsPattern("round \\d+: winner [0-9a-f]{64} \\(BPM (72|65)\\)")
        .contains("stopped");
    assertThat(server.run().err()).contains("warning: winners are drawn from a predictable stream");
  }

  @Test
  void server_onDisk_keepsTheChainAcrossRestartsAndItVerifies() throws Exception {
    Server first = startServer("--data-dir", "data");
    CliRun validator = new CliRun(dir);
    assertThat(
            validator.run(
                "validator",
                "--port",
                String.valueOf(first.port()),
                "--stake",
                "5",
                "--rounds",
                "2"))
        .as(validator.err())
        .isZero();
    assertThat(stop(first)).isZero();

    List<String> lines = Files.readAllLines(dir.resolve("data").resolve(FileChainStore.CHAIN_FILE));
    String chainJson = lines.stream().skip(1).collect(Collectors.joining(",", "[", "]"));
    Chain stored =
        ((ChainValidation.Valid)
                Chain.validate(
                    ((ChainJson.ParsedChain.Parsed) ChainJson.parse(chainJson)).blocks(),
                    HashScheme.posj()))
            .chain();
    assertThat(stored.height()).isGreaterThanOrEqualTo(1);
    Files.writeString(dir.resolve("chain.json"), chainJson);
    CliRun verify = new CliRun(dir);
    assertThat(verify.run("verify", "chain.json")).isZero();
    CliRun verifyFile = new CliRun(dir);
    assertThat(verifyFile.run("verify", "data/chain.jsonl")).as(verifyFile.err()).isZero();
    assertThat(verifyFile.out()).contains("height " + stored.height()).contains("posj scheme");

    Server second = startServer("--data-dir", "data");
    assertThat(stop(second)).isZero();
    // A restarted server says it kept the chain: its height and head, not a new genesis block.
    assertThat(second.run().out())
        .contains(
            "chain: height "
                + stored.height()
                + " loaded, head "
                + stored.head().hash().hex()
                + ", posj hash scheme")
        .doesNotContain("genesis block");
  }

  @Test
  void validator_noServer_exitsOneWithAHint() {
    CliRun validator = new CliRun(dir);

    assertThat(validator.run("validator", "--port", "1", "--timeout", "2s")).isEqualTo(1);
    assertThat(validator.err()).contains("cannot connect to 127.0.0.1:1").contains("pos server");
  }

  @Test
  void validator_manyFromOneProcess_printsTheFairnessSummary() throws Exception {
    Server server = startServer("--in-memory");
    CliRun many = new CliRun(dir);

    int exit =
        many.run(
            "validator",
            "--port",
            String.valueOf(server.port()),
            "--count",
            "20",
            "--stake-range",
            "1..50",
            "--rounds",
            "3");

    assertThat(exit).as(many.err()).isZero();
    assertThat(stop(server)).isZero();
    assertThat(many.out())
        .contains("connected and registered 20 validators (stakes 1..50)")
        .contains("done: 3 rounds")
        .contains("chi-square:");
  }

  @Test
  void validator_oneRound_saysRoundInTheSingular() throws Exception {
    Server server = startServer("--in-memory");
    CliRun one = new CliRun(dir);

    int exit = one.run("validator", "--port", String.valueOf(server.port()), "--rounds", "1");

    assertThat(stop(server)).isZero();
    assertThat(exit).as(one.err()).isZero();
    assertThat(one.out()).containsPattern("done: 1 round, [01] forged, won [01]\\R");
  }

  @Test
  void validator_countWhenTheServerStops_printsTheSummaryThenExitsOne() throws Exception {
    Server server = startServer("--in-memory");
    CliRun many = new CliRun(dir);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> many.run("validator", "--port", String.valueOf(server.port()), "--count", "3"));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!many.out().contains("round ") && System.nanoTime() < deadline && !exit.isDone()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }

    assertThat(stop(server)).isZero();

    assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(many.err()).isEqualTo(1);
    assertThat(many.out())
        .containsPattern("done: \\d+ rounds?, \\d+ forged")
        .contains("chi-square");
    assertThat(many.err())
        .isEqualTo(
            "pos validator: the server closed the connection: the server is shutting down"
                + System.lineSeparator());
  }

  @Test
  void validator_countOnATerminal_erasesTheProgressAndShowsUpTo50Rows() throws Exception {
    Server server = startServer("--in-memory");
    String port = String.valueOf(server.port());
    CliRun all = CliRun.onTerminal(dir);
    CliRun top = new CliRun(dir);

    int allExit =
        all.run("validator", "--port", port, "--count", "25", "--seed", "2", "--rounds", "1");
    int topExit =
        top.run(
            "validator",
            "--port",
            port,
            "--count",
            "25",
            "--seed",
            "2",
            "--rounds",
            "1",
            "--top",
            "3");

    assertThat(stop(server)).isZero();
    assertThat(allExit).as(all.err()).isZero();
    assertThat(all.err()).startsWith("\rconnecting 1/25").endsWith("\rconnecting 25/25\r\033[K");
    assertThat(all.out())
        .startsWith(
            "connected and registered 25 validators (stakes 1..100)" + System.lineSeparator());
    assertThat(all.out().lines().filter(line -> line.matches("v\\d+ .*"))).hasSize(25);
    assertThat(all.out()).doesNotContain("largest stakes");
    assertThat(topExit).as(top.err()).isZero();
    assertThat(top.err()).as("no terminal, no progress").isEmpty();
    assertThat(top.out().lines().filter(line -> line.matches("v\\d+ .*"))).hasSize(3);
    assertThat(top.out()).contains("(the 3 largest stakes of 25 validators)");
  }

  @Test
  void server_portInUse_exitsOneWithTheReason() throws Exception {
    Server first = startServer("--in-memory");
    CliRun second = new CliRun(dir);

    int exit = second.run("server", "--in-memory", "--port", String.valueOf(first.port()));

    assertThat(exit).isEqualTo(1);
    assertThat(second.err()).contains("cannot listen on 127.0.0.1:" + first.port());
    assertThat(stop(first)).isZero();
  }

  @Test
  void server_bindAddressNotOnThisMachine_saysSoWithoutBlamingThePort() {
    CliRun server = new CliRun(dir);

    // 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, never a machine's address.
    int exit = server.run("server", "--in-memory", "--port", "0", "--bind", "192.0.2.1");

    assertThat(exit).isEqualTo(1);
    assertThat(server.err())
        .startsWith("pos server: cannot listen on 192.0.2.1:0: ")
        .contains("192.0.2.1 is not an address of this machine")
        .doesNotContain("another server");
  }
}
