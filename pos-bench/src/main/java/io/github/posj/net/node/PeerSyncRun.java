package io.github.posj.net.node;

import com.sun.management.OperatingSystemMXBean;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainGenerator;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.crypto.Login;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.net.store.FileSignedChainStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Nodes that talk to each other, timed (not JMH; issue #14's two targets). Every node is an
 * in-process {@link NetworkServer} on 127.0.0.1 with its chain in a {@link FileSignedChainStore} in
 * a fresh temporary directory ({@code java.io.tmpdir}: every block a node takes is forced to disk
 * before it is announced), with the default peer settings ({@link PeerSettings#listening}: ranges
 * of 64 blocks, 4 in flight).
 *
 * <ol>
 *   <li><b>Catch-up.</b> A chain of {@code --blocks} valid signed blocks ({@code --validators}
 *       validators, 1-second slots, 8-slot epochs, a genesis time far enough in the past that every
 *       slot is over by the system clock) is made and stored in node A's directory; A starts on it.
 *       Then, {@code --runs} times, node B starts with an empty store and A as its one peer, first
 *       in this JVM (whose JIT is warm from making the chain), then as many times in a JVM of its
 *       own (cold, as a node that joins a network). The time is from just before B's store is
 *       opened to the moment B's owner thread has stored and applied A's head (B's listener hears
 *       of each accepted block on that thread). Also printed: the time B spent in its store (writes
 *       and their fsyncs), the CPU of B's owner thread and of B's process, and, after the runs, the
 *       time to check every block's signature alone on one thread.
 *   <li><b>Propagation.</b> {@code --nodes} nodes in a full mesh share a manual clock; the genesis
 *       has one validator, so it leads every slot. For each block (after {@code --warmup} blocks
 *       that are not counted), the clock moves to the next slot, every node ticks, the validator
 *       (logged in at node 1 over the node protocol) proposes the block, and the time runs from its
 *       reading node 1's {@code accepted} answer (the block is stored on node 1 by then) to a
 *       watcher connection on each other node reading that node's announcement of the block (a node
 *       announces a block once it has stored it). Printed: p50, p99 and max over the blocks of the
 *       time until the last of the other nodes has it, and of each node's own time.
 * </ol>
 *
 * <p>Run: {@code pos-bench/run-peer-sync [--blocks 10000] [--validators 100] [--runs 3] [--nodes 5]
 * [--gossip-blocks 200] [--warmup 20] [--only catch-up|propagation]}, which builds the jar and runs
 * {@code java -cp pos-bench/target/benchmarks.jar io.github.posj.net.node.PeerSyncRun ...}. Every
 * wait has a deadline.
 */
public final class PeerSyncRun {
  /** The chain id of the chains this run makes. */
  private static final String CHAIN_ID = "posj-peer-sync";

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Duration BLOCK_WAIT = Duration.ofSeconds(10);

  /** The first argument of a child JVM that runs node B alone. */
  private static final String NODE_B = "--node-b";

  /** How a child JVM reports its seconds to the parent. */
  private static final String SECONDS_LINE = "node-b-seconds ";

  private static final List<String> OPTIONS =
      List.of(
          "--blocks", "--validators", "--runs", "--nodes", "--gossip-blocks", "--warmup", "--only");

  private PeerSyncRun() {}

  /**
   * {@code --blocks N} (default 10000), {@code --validators V} (100), {@code --runs R} (3), {@code
   * --nodes M} (5), {@code --gossip-blocks K} (200), {@code --warmup W} (20), {@code --only
   * catch-up|propagation} (both by default).
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(NODE_B)) {
      nodeBMain(List.of(args).subList(1, args.length));
      return;
    }
    Map<String, String> options = new HashMap<>();
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in pairs: --blocks N ...; " + OPTIONS);
    }
    for (int i = 0; i < args.length; i += 2) {
      if (!OPTIONS.contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + OPTIONS);
      }
      options.put(args[i], args[i + 1]);
    }
    int blocks = intOption(options, "--blocks", 10_000, 1, 1_000_000);
    int validators = intOption(options, "--validators", 100, 1, Genesis.MAX_VALIDATORS);
    int runs = intOption(options, "--runs", 3, 1, 50);
    int nodes = intOption(options, "--nodes", 5, 2, PeerSettings.DEFAULT_MAX_PEERS);
    int gossipBlocks = intOption(options, "--gossip-blocks", 200, 1, 100_000);
    int warmup = intOption(options, "--warmup", 20, 0, 100_000);
    String only = options.getOrDefault("--only", "both");
    if (!List.of("both", "catch-up", "propagation").contains(only)) {
      throw new IllegalArgumentException("--only catch-up or --only propagation, got " + only);
    }
    System.out.printf(
        Locale.ROOT,
        "peer sync run: %d cores, %s %s, max heap %d MiB, load average %.2f%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Path base = Files.createTempDirectory("posj-peer-sync");
    try {
      if (!only.equals("propagation")) {
        catchUp(base, blocks, validators, runs);
      }
      if (!only.equals("catch-up")) {
        propagation(base, nodes, gossipBlocks, warmup);
      }
    } finally {
      deleteTree(base);
    }
  }

  // ---- catch-up ------------------------------------------------------------------------------

  private static void catchUp(Path base, int blocks, int validators, int runs) throws Exception {
    long slots = 2L * blocks + 64;
    Instant genesisTime = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(slots + 3_600);
    long start = System.nanoTime();
    SignedChainGenerator forger =
        SignedChainGenerator.of(validators, blocks, CHAIN_ID, genesisTime, 1, 1_000_000_000L);
    List<SignedBlock> chain = forger.next(blocks);
    Genesis genesis = forger.genesis();
    long headSlot = forger.state().headSlot();
    if (genesis.slotAt(Instant.now()) <= headSlot) {
      throw new IllegalStateException(
          "slot " + headSlot + " has not ended yet: the genesis time is too recent");
    }
    System.out.printf(
        Locale.ROOT,
        "%ncatch-up: made %,d signed blocks (%,d validators, 1 s slots, %,d epochs of %d slots,"
            + " %,d empty slots) in %.1f s%n",
        blocks,
        validators,
        headSlot / genesis.epochSlots() + 1,
        genesis.epochSlots(),
        forger.skippedSlots(),
        (System.nanoTime() - start) / 1e9);

    Path dirA = Files.createDirectory(base.resolve("a"));
    try (FileSignedChainStore writing = new FileSignedChainStore(dirA)) {
      writing.open(genesis);
      writing.replaceFrom(0, chain);
    }
    start = System.nanoTime();
    FileSignedChainStore storeA = new FileSignedChainStore(dirA);
    SignedChainStore.Opened openedA = storeA.open(genesis);
    System.out.printf(
        Locale.ROOT,
        "node A: file store of %,d bytes, opened and checked in %.2f s%n",
        Files.size(dirA.resolve("chain.jsonl")),
        (System.nanoTime() - start) / 1e9);
    NetworkServerConfig configA =
        NetworkServerConfig.defaults(genesis)
            .withAddress("127.0.0.1", 0)
            .withPeers(PeerSettings.listening(OptionalInt.of(0), List.of()));
    double[] inProcess = new double[runs];
    double[] ownJvm = new double[runs];
    try (NetworkServer a =
        NetworkServer.start(
            configA, openedA, storeA, EvidenceLog.NONE, new NetworkServerListener() {})) {
      String peerA = "127.0.0.1:" + a.peerPort().getAsInt();
      Block target = a.headNow();
      System.out.println("node B in this JVM (the JIT already warm from making the chain):");
      for (int run = 0; run < runs; run++) {
        Path dirB = Files.createDirectory(base.resolve("b" + run));
        inProcess[run] = nodeB(genesis, peerA, target.hash(), dirB, "run " + (run + 1));
        deleteTree(dirB);
      }
      System.out.println("node B in a JVM of its own (cold, as a node that joins):");
      for (int run = 0; run < runs; run++) {
        Path dirB = Files.createDirectory(base.resolve("jvm-b" + run));
        ownJvm[run] =
            nodeBInItsOwnJvm(
                List.of(
                    Integer.toString(validators),
                    Integer.toString(blocks),
                    Long.toString(genesisTime.getEpochSecond()),
                    peerA,
                    target.hash().hex(),
                    dirB.toString()),
                "run " + (run + 1));
        deleteTree(dirB);
      }
    }
    // The signatures alone, as B's owner thread checks them: one thread, every block once.
    start = System.nanoTime();
    for (SignedBlock block : chain) {
      if (!SignedChainState.signatureValid(genesis, block)) {
        throw new IllegalStateException("block " + block.index() + ": signature does not verify");
      }
    }
    double signatures = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "signatures alone (one thread, after the runs): %.2f s, %.0f us a block%n",
        signatures,
        signatures * 1e6 / blocks);
    summary("catch-up, B in this JVM", blocks, inProcess);
    summary("catch-up, B in its own JVM", blocks, ownJvm);
  }

  private static void summary(String what, int blocks, double[] seconds) {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    int runs = sorted.length;
    double median = sorted[(runs - 1) / 2];
    System.out.printf(
        Locale.ROOT,
        "%s, %,d blocks, %d runs: min %.2f s, median %.2f s (%,.0f blocks/s), max %.2f s;"
            + " target <= 5 s: %s%n",
        what,
        blocks,
        runs,
        sorted[0],
        median,
        blocks / median,
        sorted[runs - 1],
        median <= 5 ? "met" : "NOT met");
  }

  /**
   * Starts node B on an empty store in {@code dirB}, dialling {@code peerA}, waits until its head
   * is {@code target}, prints the run's line and returns its seconds.
   */
  private static double nodeB(Genesis genesis, String peerA, Hash target, Path dirB, String name)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    HeadWatch watch = new HeadWatch(target);
    long cpuBefore = os.getProcessCpuTime();
    long began = System.nanoTime();
    TimedStore storeB = new TimedStore(new FileSignedChainStore(dirB));
    SignedChainStore.Opened openedB = storeB.open(genesis);
    NetworkServerConfig configB =
        NetworkServerConfig.defaults(genesis)
            .withAddress("127.0.0.1", 0)
            .withPeers(PeerSettings.listening(OptionalInt.empty(), List.of(peerA)));
    try (NetworkServer b = NetworkServer.start(configB, openedB, storeB, EvidenceLog.NONE, watch)) {
      long reached = watch.reached.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      long cpuAfter = os.getProcessCpuTime();
      Block head = b.headNow();
      if (!head.hash().equals(target)) {
        throw new IllegalStateException("node B's head is not node A's");
      }
      long ownerCpu = threads.getThreadCpuTime(watch.ownerThread.get());
      double seconds = (reached - began) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%s: B took %,d blocks in %.2f s (%,.0f blocks/s); first block stored after %.0f ms;"
              + " in B's store %.2f s (%d writes, each forced to disk); B's owner thread CPU"
              + " %.2f s; process CPU %.2f s (%.2f cores)%n",
          name,
          head.index(),
          seconds,
          head.index() / seconds,
          (watch.firstAt - began) / 1e6,
          storeB.nanos / 1e9,
          storeB.writes,
          ownerCpu / 1e9,
          (cpuAfter - cpuBefore) / 1e9,
          (cpuAfter - cpuBefore) / (double) (reached - began));
      return seconds;
    }
  }

  /**
   * Runs {@link #nodeB} in a new JVM (this one's java, class path and heap options, and the options
   * in the environment variable {@code POSJ_NODE_B_OPTS}, split at spaces), passes its lines on,
   * and returns its seconds (from its {@code main} to B's head; the time from the JVM's launch is
   * printed apart).
   */
  private static double nodeBInItsOwnJvm(List<String> arguments, String name) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("-Xm")) {
        command.add(option);
      }
    }
    String extra = System.getenv().getOrDefault("POSJ_NODE_B_OPTS", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(PeerSyncRun.class.getName());
    command.add(NODE_B);
    command.add(name);
    command.addAll(arguments);
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    double seconds = Double.NaN;
    long untilHead = 0;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith(SECONDS_LINE)) {
          seconds = Double.parseDouble(line.substring(SECONDS_LINE.length()));
        } else {
          if (line.startsWith(name + ": B took")) {
            untilHead = System.nanoTime() - started;
          }
          System.out.println(line);
        }
      }
    }
    if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("node B's JVM failed: " + command);
    }
    System.out.printf(
        Locale.ROOT, "%s: from the launch of B's JVM to B's head: %.2f s%n", name, untilHead / 1e9);
    return seconds;
  }

  /** {@code NAME VALIDATORS BLOCKS GENESIS_EPOCH_SECOND PEER TARGET_HASH DIR}: B in this JVM. */
  private static void nodeBMain(List<String> arguments) throws Exception {
    SignedChainGenerator forger =
        SignedChainGenerator.of(
            Integer.parseInt(arguments.get(1)),
            Long.parseLong(arguments.get(2)),
            CHAIN_ID,
            Instant.ofEpochSecond(Long.parseLong(arguments.get(3))),
            1,
            1_000_000_000L);
    double seconds =
        nodeB(
            forger.genesis(),
            arguments.get(4),
            Hash.fromHex(arguments.get(5)),
            Path.of(arguments.get(6)),
            arguments.get(0));
    System.out.println(SECONDS_LINE + seconds);
  }

  /**
   * B's listener: when (and on which thread) B first stored a block, and when it stored A's head.
   */
  private static final class HeadWatch implements NetworkServerListener {
    private final Hash target;
    final CompletableFuture<Long> reached = new CompletableFuture<>();
    final AtomicLong ownerThread = new AtomicLong(-1);
    volatile long firstAt;

    HeadWatch(Hash target) {
      this.target = target;
    }

    @Override
    public void accepted(SignedBlock block) {
      long now = System.nanoTime();
      if (ownerThread.compareAndSet(-1, Thread.currentThread().getId())) {
        firstAt = now;
      }
      if (block.hash().equals(target)) {
        reached.complete(now);
      }
    }
  }

  /** A store that adds up the wall time of its writes (appends and switches, with their fsync). */
  private static final class TimedStore implements SignedChainStore {
    private final SignedChainStore store;
    volatile long nanos;
    volatile int writes;

    TimedStore(SignedChainStore store) {
      this.store = store;
    }

    @Override
    public Opened open(Genesis genesis) {
      return store.open(genesis);
    }

    @Override
    public void append(SignedBlock block) {
      long start = System.nanoTime();
      store.append(block);
      nanos += System.nanoTime() - start;
      writes++;
    }

    @Override
    public void replaceFrom(long forkIndex, List<SignedBlock> branch) {
      long start = System.nanoTime();
      store.replaceFrom(forkIndex, branch);
      nanos += System.nanoTime() - start;
      writes++;
    }

    @Override
    public void close() {
      store.close();
    }
  }

  // ---- propagation ---------------------------------------------------------------------------

  private static void propagation(Path base, int count, int measured, int warmup) throws Exception {
    int total = warmup + measured;
    SignedChainGenerator forger =
        SignedChainGenerator.of(
            1, total, CHAIN_ID, Instant.parse("2026-01-01T00:00:00Z"), 1, 500_000_000L);
    Genesis genesis = forger.genesis();
    AtomicReference<Instant> now = new AtomicReference<>(genesis.slotStart(1));
    InstantSource clock = now::get;
    List<NetworkServer> nodes = new ArrayList<>();
    List<Watcher> watchers = new ArrayList<>();
    // latches[i]: counted down by each node but node 1 when it announces block i + 1.
    CountDownLatch[] latches = new CountDownLatch[total];
    for (int i = 0; i < total; i++) {
      latches[i] = new CountDownLatch(count - 1);
    }
    try {
      List<String> addresses = new ArrayList<>();
      for (int n = 0; n < count; n++) {
        Path dir = Files.createDirectory(base.resolve("node" + (n + 1)));
        FileSignedChainStore store = new FileSignedChainStore(dir);
        SignedChainStore.Opened opened = store.open(genesis);
        NetworkServerConfig config =
            NetworkServerConfig.defaults(genesis)
                .withAddress("127.0.0.1", 0)
                .withClock(clock, false)
                .withPeers(PeerSettings.listening(OptionalInt.of(0), List.copyOf(addresses)));
        NetworkServer node =
            NetworkServer.start(
                config, opened, store, EvidenceLog.NONE, new NetworkServerListener() {});
        nodes.add(node);
        addresses.add("127.0.0.1:" + node.peerPort().getAsInt());
      }
      await(
          "every node has " + (count - 1) + " peers",
          Duration.ofSeconds(30),
          () -> nodes.stream().allMatch(node -> node.peerCount() == count - 1));
      for (int n = 0; n < count; n++) {
        watchers.add(new Watcher(nodes.get(n).port(), total, n == 0 ? null : latches));
      }
      System.out.printf(
          Locale.ROOT,
          "%npropagation: %d nodes in a full mesh (each with %d peers), file stores, one validator"
              + " logged in at node 1; %d blocks after %d not counted%n",
          count,
          count - 1,
          measured,
          warmup);
      double[] last = new double[measured];
      double[][] each = new double[count - 1][measured];
      double[] accept = new double[measured];
      try (LineConnection validator = new LineConnection(nodes.get(0).port())) {
        NodeMessage.Welcome welcome = validator.next(NodeMessage.Welcome.class);
        SigningKey key = forger.keyOf(genesis.validators().get(0).address());
        validator.send(
            new NodeMessage.Auth(
                key.publicKey(), Login.sign(key, genesis.hash(), welcome.nonce())));
        validator.next(NodeMessage.LoggedIn.class);
        for (int i = 0; i < total; i++) {
          SignedBlock block = forger.next();
          now.set(genesis.slotStart(block.slot()).plusMillis(600));
          for (NetworkServer node : nodes) {
            node.tick().get(BLOCK_WAIT.toSeconds(), TimeUnit.SECONDS);
          }
          long sent = System.nanoTime();
          validator.send(new NodeMessage.Propose(block));
          NodeMessage answer =
              validator.nextOf(NodeMessage.Accepted.class, NodeMessage.Refused.class);
          long accepted = System.nanoTime();
          if (answer instanceof NodeMessage.Refused refused) {
            throw new IllegalStateException(
                "node 1 refused block " + block.index() + ": " + refused.reason());
          }
          if (!latches[i].await(BLOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                "block "
                    + block.index()
                    + " did not reach every node within "
                    + BLOCK_WAIT.toSeconds()
                    + " s");
          }
          if (i < warmup) {
            continue;
          }
          int m = i - warmup;
          accept[m] = (accepted - sent) / 1e6;
          double slowest = Double.NEGATIVE_INFINITY;
          for (int n = 1; n < count; n++) {
            double millis = (watchers.get(n).receivedAt.get(i) - accepted) / 1e6;
            each[n - 1][m] = millis;
            slowest = Math.max(slowest, millis);
          }
          last[m] = slowest;
        }
      }
      Arrays.sort(accept);
      System.out.printf(
          Locale.ROOT,
          "node 1, propose sent -> accepted read (check, fsync, answer): p50 %.2f ms, p99 %.2f ms,"
              + " max %.2f ms%n",
          percentile(accept, 0.50),
          percentile(accept, 0.99),
          accept[measured - 1]);
      for (int n = 1; n < count; n++) {
        double[] times = each[n - 1];
        Arrays.sort(times);
        System.out.printf(
            Locale.ROOT,
            "node %d, accepted at node 1 -> announced by node %d: p50 %.2f ms, p99 %.2f ms, max"
                + " %.2f ms%n",
            n + 1,
            n + 1,
            percentile(times, 0.50),
            percentile(times, 0.99),
            times[measured - 1]);
      }
      Arrays.sort(last);
      double p99 = percentile(last, 0.99);
      System.out.printf(
          Locale.ROOT,
          "accepted at node 1 -> on the last of the other %d nodes, %d blocks: p50 %.2f ms, p99"
              + " %.2f ms, max %.2f ms; target p99 <= 500 ms: %s%n",
          count - 1,
          measured,
          percentile(last, 0.50),
          p99,
          last[measured - 1],
          p99 <= 500 ? "met" : "NOT met");
    } finally {
      watchers.forEach(Watcher::close);
      nodes.forEach(NetworkServer::close);
    }
  }

  /**
   * A watcher connection: one thread reads the node's lines and stamps each block announcement with
   * {@link System#nanoTime} as soon as its line is read.
   */
  private static final class Watcher implements AutoCloseable {
    private final LineConnection connection;
    final AtomicLongArray receivedAt;

    Watcher(int port, int blocks, CountDownLatch[] latches) {
      connection = new LineConnection(port);
      receivedAt = new AtomicLongArray(blocks);
      connection.next(NodeMessage.Welcome.class);
      Thread reader =
          new Thread(
              () -> {
                while (true) {
                  String line = connection.lineOrNull();
                  long at = System.nanoTime();
                  if (line == null) {
                    return;
                  }
                  if (!line.startsWith("{\"type\":\"block\"")) {
                    continue;
                  }
                  NodeMessage.Announced announced =
                      (NodeMessage.Announced) NodeWire.decodeFromNode(line);
                  int i = (int) announced.block().index() - 1;
                  if (i < blocks && receivedAt.compareAndSet(i, 0, at) && latches != null) {
                    latches[i].countDown();
                  }
                }
              },
              "watcher-" + port);
      reader.setDaemon(true);
      reader.start();
    }

    @Override
    public void close() {
      connection.close();
    }
  }

  /** A node-protocol client: JSON lines over a loopback socket, reads bounded by a timeout. */
  private static final class LineConnection implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    LineConnection(int port) {
      try {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) WAIT.toMillis());
        in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void send(NodeMessage message) {
      try {
        out.write((NodeWire.encode(message) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The next line, or null at the end of the stream (or once closed). */
    String lineOrNull() {
      try {
        return in.readLine();
      } catch (IOException e) {
        return null;
      }
    }

    /** The next message of {@code type}, skipping others (slots, duties, announcements). */
    <T extends NodeMessage> T next(Class<T> type) {
      return type.cast(nextOf(type, type));
    }

    /** The next message of either type, skipping others. */
    NodeMessage nextOf(Class<? extends NodeMessage> one, Class<? extends NodeMessage> other) {
      while (true) {
        String line = lineOrNull();
        if (line == null) {
          throw new IllegalStateException("the node closed the connection");
        }
        NodeMessage message = NodeWire.decodeFromNode(line);
        if (one.isInstance(message) || other.isInstance(message)) {
          return message;
        }
        if (message instanceof NodeMessage.Closing closing) {
          throw new IllegalStateException("the node closed the connection: " + closing.reason());
        }
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  // ---- the chain -----------------------------------------------------------------------------

  // ---- helpers -------------------------------------------------------------------------------

  private static int intOption(
      Map<String, String> options, String name, int fallback, int min, int max) {
    String text = options.get(name);
    if (text == null) {
      return fallback;
    }
    int value = Integer.parseInt(text.replace(",", "").replace("_", ""));
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " is " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  /** The nearest-rank percentile of sorted values. */
  private static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + timeout.toSeconds() + " s: " + what);
      }
      Thread.sleep(10);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
