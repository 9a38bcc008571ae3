package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosProcess;
import io.github.posj.cli.command.DevnetTable.NodeReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14 item 6 with real processes: {@code pos devnet init --nodes 3 --validators 6} and {@code
 * pos devnet up} make three nodes that agree on a chain of height 3 or more; SIGTERM to {@code
 * devnet up} stops every child it started.
 */
final class DevnetUpIT {
  /** How long the three nodes have to agree on a height of at least {@link #HEIGHT}. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** devnet up stops validators, then nodes, each group within 10 s. */
  private static final Duration STOP = Duration.ofSeconds(25);

  private static final int NODES = 3;
  private static final int VALIDATORS = 6;
  private static final long HEIGHT = 3;
  private static final Pattern STARTED = Pattern.compile("started (\\S+) \\(pid (\\d+)\\)");

  @TempDir Path dir;

  @Test
  void up_threeNodesSixValidators_agreeOnAChainAndStopWithoutOrphans() throws Exception {
    int basePort = DevnetPorts.freeBasePort(NODES);
    CliRun init = new CliRun(dir);
    assertThat(
            init.run(
                "devnet",
                "init",
                "--nodes",
                Integer.toString(NODES),
                "--validators",
                Integer.toString(VALIDATORS),
                "--base-port",
                Integer.toString(basePort),
                "--slot-seconds",
                "1",
                "--epoch-slots",
                "4",
                "--onion-length",
                "1000",
                "--dir",
                "devnet"))
        .as(init.err())
        .isZero();

    Map<String, Long> children = new LinkedHashMap<>();
    try (PosProcess up =
        PosProcess.start(dir, Map.of(), "devnet", "up", "--dir", "devnet", "--refresh", "1s")) {
      try {
        awaitAgreement(up, basePort);
        children.putAll(started(up.out()));
        assertThat(children).hasSize(NODES + VALIDATORS);
        assertThat(children.values()).allSatisfy(pid -> assertThat(alive(pid)).isTrue());

        assertThat(up.terminate(STOP)).as(up.out() + up.err()).isZero();

        assertThat(children.values()).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
        String out = up.out();
        assertThat(out).contains("stopping (Ctrl-C): the validators, then the nodes");
        for (Map.Entry<String, Long> child : children.entrySet()) {
          assertThat(out)
              .containsPattern(
                  "stopped "
                      + Pattern.quote(child.getKey())
                      + " \\(pid "
                      + child.getValue()
                      + "\\): exit code \\d+");
        }
        // Validators first, then nodes.
        assertThat(out.indexOf("stopped node-1 "))
            .isGreaterThan(out.lastIndexOf("stopped validator-"));
      } finally {
        // Whatever happened above, leave nothing running.
        children.putAll(started(up.out()));
        for (long pid : children.values()) {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  /** Polls each node's status until all report the same head at a height of HEIGHT or more. */
  private static void awaitAgreement(PosProcess up, int basePort) throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<Optional<NodeReport>> last = List.of();
    while (System.nanoTime() < deadline) {
      List<Optional<NodeReport>> reports = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        reports.add(status(http, basePort + DevnetManifest.HTTP_PORT_OFFSET + i));
      }
      last = reports;
      if (reports.stream().allMatch(Optional::isPresent)) {
        NodeReport first = reports.get(0).get();
        if (first.height() >= HEIGHT
            && reports.stream()
                .allMatch(
                    r ->
                        r.get().height() == first.height()
                            && r.get().head().equals(first.head()))) {
          return;
        }
      }
      if (!alive(up.pid())) {
        throw new AssertionError(
            "pos devnet up exited before the nodes agreed; last reports "
                + last
                + "\n"
                + up.out()
                + up.err());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    throw new AssertionError(
        "the nodes did not agree on a height of "
            + HEIGHT
            + " or more within "
            + WAIT
            + "; last reports "
            + last
            + "\n"
            + up.out()
            + up.err());
  }

  private static Optional<NodeReport> status(HttpClient http, int port)
      throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + DevnetUpCommand.STATUS_PATH))
            .timeout(Duration.ofSeconds(1))
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? DevnetTable.parseStatus(response.body())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The children {@code devnet up} said it started: name to pid. */
  private static Map<String, Long> started(String out) {
    Map<String, Long> children = new LinkedHashMap<>();
    Matcher matcher = STARTED.matcher(out);
    while (matcher.find()) {
      children.put(matcher.group(1), Long.parseLong(matcher.group(2)));
    }
    return children;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
