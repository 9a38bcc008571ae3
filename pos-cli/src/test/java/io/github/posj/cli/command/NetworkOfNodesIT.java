package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosProcess;
import io.github.posj.cli.command.DevnetTable.NodeReport;
import io.github.posj.net.store.FileSignedChainStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14 with real processes on the loopback: {@code pos node}s that peer with each other
 * converge on one chain, a node killed with SIGKILL catches up on restart and loses no final block,
 * and a partition heals on the fork choice's winner. Every wait polls the nodes' HTTP status with a
 * deadline; a timeout says what each node reported last and ends with its last log lines.
 */
final class NetworkOfNodesIT {
  /** {@code --epoch-slots}: the finality depth is two epochs, 8 blocks. */
  private static final int EPOCH_SLOTS = 4;

  private static final int FINALITY_DEPTH = 2 * EPOCH_SLOTS;

  /** The children are small: a serial GC, the C1 compiler only (2 cores for 10 to 15 JVMs). */
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m", "-Xss512k");

  private static final Duration POLL = Duration.ofMillis(150);
  private static final Duration START = Duration.ofSeconds(30);
  private static final Duration STOP = Duration.ofSeconds(20);
  private static final Duration AGREE = Duration.ofSeconds(20);
  private static final int LOG_LINES = 8;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLLED_BACK_LINE =
      "fork choice: switched to a peer's chain; rolled back blocks";

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();
  private final List<PosProcess> children = new ArrayList<>();
  private final List<PosProcess> validators = new ArrayList<>();
  private final List<PeerProxy> proxies = new ArrayList<>();
  private final List<NodeRun> nodes = new ArrayList<>();
  private Path devnet;
  private final long started = System.nanoTime();

  @AfterEach
  void killEverything() throws InterruptedException {
    for (PosProcess child : children) {
      child.close();
    }
    for (PeerProxy proxy : proxies) {
      proxy.close();
    }
    // Gone before @TempDir deletes their directories.
    for (PosProcess child : children) {
      Optional<ProcessHandle> handle = ProcessHandle.of(child.pid());
      if (handle.isPresent()) {
        try {
          handle.get().onExit().get(STOP.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          throw new AssertionError("pid " + child.pid() + " still runs after SIGKILL", e);
        }
      }
    }
  }

  @Test
  void fiveNodesConvergeAndEveryChainVerifies() throws Exception {
    DevnetManifest manifest = init(5, 10, 8);
    for (DevnetManifest.Node node : manifest.nodes()) {
      nodes.add(new NodeRun(node, node.nodeArguments(devnet)));
    }
    startNodes();
    startValidators(manifest);

    awaitNodes(
        "every node at height 12 or more",
        Duration.ofSeconds(65),
        reports -> reports.stream().allMatch(r -> r.height() >= 12));
    long heightAt = elapsedMillis();
    stopValidators();
    NodeReport agreed = awaitAgreement(nodes, AGREE);
    String head = agreed.head();
    stopNodes();

    byte[] first = Files.readAllBytes(nodes.get(0).chainFile());
    for (NodeRun node : nodes) {
      verify(node);
      assertThat(Files.readAllBytes(node.chainFile()))
          .as("%s's chain file is node-1's, byte for byte (common head %s)", node.name(), head)
          .isEqualTo(first);
    }
    String log1 = nodes.get(0).out();
    log(
        "5 nodes at height 12 after %d ms; agreed on height %d, head %s; 5 identical files;"
            + " node-1 logged %d empty slots and refused %d blocks",
        heightAt,
        agreed.height(),
        head.substring(0, 16),
        log1.lines().filter(l -> l.contains(": empty, no block")).count(),
        log1.lines().filter(l -> l.contains("refused block")).count());
  }

  @Test
  void aNodeKilledMidSlotCatchesUpAndLosesNothing() throws Exception {
    DevnetManifest manifest = init(3, 6, 6);
    for (DevnetManifest.Node node : manifest.nodes()) {
      nodes.add(new NodeRun(node, node.nodeArguments(devnet)));
    }
    startNodes();
    startValidators(manifest);
    awaitNodes(
        "every node at height 12 or more",
        Duration.ofSeconds(60),
        reports -> reports.stream().allMatch(r -> r.height() >= 12));

    NodeRun third = nodes.get(2);
    List<String> before = blockHashes(third);
    long oldHeight = before.size() - 1;
    third.kill();

    List<NodeRun> others = nodes.subList(0, 2);
    awaitAll(
        others,
        "nodes 1 and 2 five blocks past node 3's height " + oldHeight,
        Duration.ofSeconds(30),
        reports -> reports.stream().allMatch(r -> r.height() >= oldHeight + 5));
    long othersHeight =
        reports(others).stream().mapToLong(r -> r.orElseThrow().height()).max().orElseThrow();

    long restartedAt = System.nanoTime();
    third.start();
    Matcher opened = third.process.awaitOut("head: height (\\d+)", START);
    assertThat(Long.parseLong(opened.group(1)))
        .as("the height node 3 read from its data directory; it had shown " + oldHeight)
        .isGreaterThanOrEqualTo(oldHeight);
    third.process.awaitOut("listening on port", START);
    awaitAll(
        nodes,
        "node 3 back at the others' head (height " + othersHeight + " or more)",
        Duration.ofSeconds(20),
        reports -> {
          NodeReport restarted = reports.get(2);
          return restarted.height() >= othersHeight
              && (restarted.head().equals(reports.get(0).head())
                  || restarted.head().equals(reports.get(1).head()));
        });

    long caughtUpMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
    stopValidators();
    awaitAgreement(nodes, AGREE);
    List<String> after = blockHashes(third);
    Set<String> rolledBack = rolledBackHashes(third);
    for (int i = 0; i < before.size(); i++) {
      if (i <= oldHeight - FINALITY_DEPTH) {
        assertThat(after.get(i))
            .as("final block %d (node 3 had height %d before the kill)", i, oldHeight)
            .isEqualTo(before.get(i));
      } else if (i >= after.size() || !after.get(i).equals(before.get(i))) {
        assertThat(rolledBack)
            .as("block %d that node 3 had before the kill is no longer in its chain", i)
            .contains(before.get(i));
      }
    }
    stopNodes();
    for (NodeRun node : nodes) {
      verify(node);
    }
    log(
        "node 3 killed at height %d, reopened at height %s, at the others' head %d ms after its"
            + " restart; %d of its blocks rolled back since",
        oldHeight, opened.group(1), caughtUpMillis, rolledBack.size());
  }

  @Test
  void aPartitionHealsOnTheForkChoiceWinner() throws Exception {
    DevnetManifest manifest = init(4, 8, 6);
    List<DevnetManifest.Node> layout = manifest.nodes();
    for (DevnetManifest.Node node : layout) {
      proxies.add(PeerProxy.to(node.peerPort()));
    }
    // Groups {1, 2} and {3, 4}: direct within a group, through the proxies across.
    for (int i = 0; i < layout.size(); i++) {
      List<String> peers = new ArrayList<>();
      for (int j = 0; j < layout.size(); j++) {
        if (j != i) {
          peers.add(j / 2 == i / 2 ? layout.get(j).peerAddress() : proxies.get(j).address());
        }
      }
      nodes.add(new NodeRun(layout.get(i), nodeArguments(layout.get(i), peers)));
    }
    startNodes();
    startValidators(manifest);
    awaitNodes(
        "every node with 3 peers at one head of height 3 or more",
        Duration.ofSeconds(45),
        reports ->
            reports.stream().allMatch(r -> r.height() >= 3 && connected(r) >= 3)
                && reports.stream().map(NodeReport::head).distinct().count() == 1);

    long cutAt = System.nanoTime();
    proxies.forEach(PeerProxy::cut);
    NodeRun a = nodes.get(0);
    NodeRun b = nodes.get(2);
    long[] forkIndex = new long[1];
    awaitNodes(
        "the groups cut off (1 peer each) for 6 s or more, each with a block the other lacks",
        Duration.ofSeconds(30),
        reports -> {
          if (reports.stream().anyMatch(r -> connected(r) != 1)
              || System.nanoTime() - cutAt < TimeUnit.SECONDS.toNanos(6)) {
            return false;
          }
          long index = Math.min(reports.get(0).height(), reports.get(2).height());
          Optional<String> inA = blockHash(a, index);
          Optional<String> inB = blockHash(b, index);
          forkIndex[0] = index;
          return inA.isPresent() && inB.isPresent() && !inA.equals(inB);
        });
    long cutMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
    long healedAt = System.nanoTime();
    proxies.forEach(PeerProxy::heal);

    awaitNodes(
        "every node at one head above block " + forkIndex[0] + ", where the groups differed",
        Duration.ofSeconds(30),
        reports ->
            reports.stream().allMatch(r -> r.height() > forkIndex[0])
                && reports.stream().map(NodeReport::head).distinct().count() == 1);
    long healMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAt);
    List<NodeRun> switched = new ArrayList<>();
    awaitAll(
        nodes,
        "a node saying: " + ROLLED_BACK_LINE,
        Duration.ofSeconds(5),
        reports -> {
          switched.clear();
          nodes.stream().filter(n -> n.out().contains(ROLLED_BACK_LINE)).forEach(switched::add);
          return !switched.isEmpty();
        });

    stopValidators();
    awaitAgreement(nodes, AGREE);
    stopNodes();
    for (NodeRun node : switched) {
      assertThat(node.dataDir().resolve(FileSignedChainStore.ROLLED_BACK_FILE))
          .as("%s switched chains", node.name())
          .isNotEmptyFile();
    }
    for (NodeRun node : nodes) {
      verify(node);
    }
    log(
        "partition: %d connections through the proxies; cut for %d ms, the groups differed at"
            + " block %d; one head %d ms after the heal; switched chains: %s",
        proxies.stream().mapToInt(PeerProxy::forwarded).sum(),
        cutMillis,
        forkIndex[0],
        healMillis,
        switched.stream().map(NodeRun::name).collect(Collectors.joining(", ")));
  }

  // ---------------------------------------------------------------------------------------------

  /** One {@code pos node} of the devnet, started (again) with the same arguments. */
  private final class NodeRun {
    private final DevnetManifest.Node node;
    private final List<String> arguments;
    private PosProcess process;
    private boolean killed;
    private Optional<NodeReport> last = Optional.empty();

    NodeRun(DevnetManifest.Node node, List<String> arguments) {
      this.node = node;
      this.arguments = List.copyOf(arguments);
    }

    String name() {
      return node.name();
    }

    Path dataDir() {
      return devnet.resolve(node.dataDir());
    }

    Path chainFile() {
      return dataDir().resolve("chain.jsonl");
    }

    void start() throws IOException {
      process = child(arguments);
      killed = false;
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs. */
    void kill() throws InterruptedException {
      killed = true;
      process.close();
      process.waitFor(STOP);
    }

    /** Whether it exited though the test did not kill it. */
    boolean died() {
      return !killed
          && process != null
          && !ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    String out() {
      return process == null ? "" : process.out();
    }

    Optional<NodeReport> status() {
      last = get(node.httpPort(), DevnetUpCommand.STATUS_PATH).flatMap(DevnetTable::parseStatus);
      return last;
    }

    String tail() {
      StringBuilder text = new StringBuilder();
      text.append("--- ")
          .append(name())
          .append(killed ? " (killed)" : "")
          .append(", last status ")
          .append(last.map(NetworkOfNodesIT::shown).orElse("none"))
          .append(":\n");
      if (process != null) {
        lastLines(process.out()).forEach(l -> text.append("  ").append(l).append('\n'));
        lastLines(process.err()).forEach(l -> text.append("  err: ").append(l).append('\n'));
      }
      return text.toString();
    }
  }

  private static String shown(NodeReport r) {
    return "height "
        + r.height()
        + " head "
        + r.head().substring(0, 16)
        + " finalized "
        + (r.finalizedHeight().isPresent() ? r.finalizedHeight().getAsLong() : "-")
        + " peers "
        + (r.peers().isPresent() ? r.peers().getAsLong() : "-");
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * {@code pos devnet init} in DIR/devnet on free ports, 1 s slots, {@value #EPOCH_SLOTS} slots an
   * epoch, the genesis {@code genesisDelaySeconds} from now; its manifest.
   */
  private DevnetManifest init(int nodeCount, int validatorCount, int genesisDelaySeconds)
      throws IOException {
    int basePort = DevnetPorts.freeBasePort(nodeCount);
    Instant genesis =
        Instant.now().plusSeconds(genesisDelaySeconds).truncatedTo(ChronoUnit.SECONDS);
    CliRun init = new CliRun(dir);
    assertThat(
            init.run(
                "devnet",
                "init",
                "--nodes",
                Integer.toString(nodeCount),
                "--validators",
                Integer.toString(validatorCount),
                "--base-port",
                Integer.toString(basePort),
                "--slot-seconds",
                "1",
                "--epoch-slots",
                Integer.toString(EPOCH_SLOTS),
                "--genesis-time",
                genesis.toString(),
                "--onion-length",
                "1000",
                "--dir",
                "devnet"))
        .as(init.err())
        .isZero();
    devnet = dir.resolve("devnet");
    return DevnetManifest.parse(
        Files.readString(devnet.resolve(DevnetManifest.FILE), StandardCharsets.UTF_8));
  }

  /** The arguments of {@code node} with these {@code --peer}s instead of the manifest's. */
  private List<String> nodeArguments(DevnetManifest.Node node, List<String> peers) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "node",
                "--genesis",
                devnet.resolve(DevnetInitCommand.GENESIS_FILE).toString(),
                "--port",
                Integer.toString(node.port()),
                "--peer-port",
                Integer.toString(node.peerPort()),
                "--http-port",
                Integer.toString(node.httpPort()),
                "--data-dir",
                devnet.resolve(node.dataDir()).toString()));
    for (String peer : peers) {
      arguments.add("--peer");
      arguments.add(peer);
    }
    return arguments;
  }

  private PosProcess child(List<String> arguments) throws IOException {
    PosProcess child =
        PosProcess.start(dir, JVM_OPTIONS, Map.of(), arguments.toArray(String[]::new));
    children.add(child);
    return child;
  }

  private void startNodes() throws IOException {
    for (NodeRun node : nodes) {
      node.start();
    }
    for (NodeRun node : nodes) {
      node.process.awaitOut("listening on port", START);
    }
  }

  private void startValidators(DevnetManifest manifest) throws IOException {
    String genesis = devnet.resolve(DevnetInitCommand.GENESIS_FILE).toString();
    for (DevnetManifest.Node node : manifest.nodes()) {
      for (String keyFile : node.validators()) {
        List<String> arguments = new ArrayList<>(node.validatorArguments(devnet, keyFile));
        arguments.addAll(List.of("--genesis", genesis));
        validators.add(child(arguments));
      }
    }
  }

  /** SIGTERM to every validator, then waits for them all (some may have exited already). */
  private void stopValidators() throws InterruptedException {
    for (PosProcess validator : validators) {
      ProcessHandle.of(validator.pid()).ifPresent(ProcessHandle::destroy);
    }
    for (PosProcess validator : validators) {
      validator.waitFor(STOP);
    }
  }

  /** SIGTERM to every node, then waits for them all: each exits with 0. */
  private void stopNodes() throws InterruptedException {
    for (NodeRun node : nodes) {
      ProcessHandle.of(node.process.pid()).ifPresent(ProcessHandle::destroy);
    }
    for (NodeRun node : nodes) {
      assertThat(node.process.waitFor(STOP)).as(node.tail()).isZero();
    }
  }

  private void verify(NodeRun node) {
    CliRun run = new CliRun(dir);
    assertThat(run.run("verify", node.chainFile().toString()))
        .as("pos verify %s\n%s%s", node.chainFile(), run.out(), run.err())
        .isZero();
    assertThat(run.out()).contains("OK: ");
  }

  // ---------------------------------------------------------------------------------------------

  private long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }

  /** A line for the test's report (target/failsafe-reports). */
  private static void log(String format, Object... values) {
    System.out.println("NetworkOfNodesIT: " + String.format(format, values));
  }

  private static long connected(NodeReport report) {
    return report.peers().orElse(-1);
  }

  /** Every node's status, polled until {@code done} holds for all of them together. */
  private void awaitNodes(String what, Duration timeout, Predicate<List<NodeReport>> done)
      throws InterruptedException {
    awaitAll(nodes, what, timeout, done);
  }

  /** Waits until all the nodes report and the reports satisfy {@code done}, at most timeout. */
  private List<NodeReport> awaitAll(
      List<NodeRun> group, String what, Duration timeout, Predicate<List<NodeReport>> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Optional<NodeReport>> reports = reports(group);
      if (reports.stream().allMatch(Optional::isPresent)) {
        List<NodeReport> all = reports.stream().map(Optional::orElseThrow).toList();
        if (done.test(all)) {
          return all;
        }
      }
      for (NodeRun node : group) {
        if (node.died()) {
          throw new AssertionError(node.name() + " exited while waiting for " + what + report());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + timeout + report());
      }
      LockSupport.parkNanos(POLL.toNanos());
      if (Thread.interrupted()) {
        throw new InterruptedException(what);
      }
    }
  }

  /** Waits until every node of {@code group} reports the same head; one of the reports. */
  private NodeReport awaitAgreement(List<NodeRun> group, Duration timeout)
      throws InterruptedException {
    return awaitAll(
            group,
            "agreement on one head once the validators stopped",
            timeout,
            reports -> reports.stream().map(NodeReport::head).distinct().count() == 1)
        .get(0);
  }

  private List<Optional<NodeReport>> reports(List<NodeRun> group) {
    return group.stream().map(NodeRun::status).toList();
  }

  /** What each node said last and its last log lines, for a failure message. */
  private String report() {
    return "\n" + nodes.stream().map(NodeRun::tail).collect(Collectors.joining());
  }

  private static List<String> lastLines(String text) {
    List<String> lines = text.lines().toList();
    return lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size());
  }

  /** The hash of every block {@code node} has, by Index, from its {@code /blocks} pages. */
  private List<String> blockHashes(NodeRun node) throws IOException {
    List<String> hashes = new ArrayList<>();
    while (true) {
      String body =
          get(node.node.httpPort(), "/posj/v1/blocks?from=" + hashes.size() + "&count=1000")
              .orElseThrow(() -> new AssertionError(node.name() + " did not list its blocks"));
      JsonNode page = JSON.readTree(body);
      for (JsonNode block : page.path("data")) {
        assertThat(block.path("index").asText()).isEqualTo(Integer.toString(hashes.size()));
        hashes.add(block.path("hash").asText());
      }
      if (page.path("next_from").isNull() || page.path("data").isEmpty()) {
        return hashes;
      }
    }
  }

  /** The hash of {@code node}'s block at {@code index}, if it answers. */
  private Optional<String> blockHash(NodeRun node, long index) {
    return get(node.node.httpPort(), "/posj/v1/blocks/" + index)
        .flatMap(
            body -> {
              try {
                return Optional.of(JSON.readTree(body).path("data").path("hash").asText())
                    .filter(h -> !h.isEmpty());
              } catch (IOException e) {
                return Optional.empty();
              }
            });
  }

  /** The hashes of the blocks in {@code node}'s {@code rolled-back.jsonl}, if it has one. */
  private static Set<String> rolledBackHashes(NodeRun node) throws IOException {
    Path file = node.dataDir().resolve(FileSignedChainStore.ROLLED_BACK_FILE);
    Set<String> hashes = new HashSet<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          hashes.add(JSON.readTree(line).path("Hash").asText());
        }
      }
    }
    return hashes;
  }

  /** The body of a 200 answer to {@code GET path} on the loopback's {@code port}, if any. */
  private Optional<String> get(int port, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
