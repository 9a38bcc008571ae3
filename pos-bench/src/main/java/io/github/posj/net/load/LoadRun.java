package io.github.posj.net.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A load run (not JMH): N validators on one server over loopback, each proposing every round;
 * measures, per round, the time from the round's tick to each validator receiving the result (p50,
 * p99, max), the spread (from the first validator's receipt of the result to the last one's: what a
 * validator waits for the slowest of the others to learn the winner), the rate of accepted
 * proposals, and the server's memory and CPU.
 *
 * <p>The server runs in its own JVM ({@link LoadServer}); this process drives every validator from
 * one NIO selector thread, speaking the JSON-lines protocol. Bounded: a fixed number of rounds, and
 * every wait has a deadline.
 *
 * <p>Run: {@code pos-bench/run-load --validators 10000 --rounds 5} (which builds the jar and runs
 * {@code java -cp pos-bench/target/benchmarks.jar io.github.posj.net.load.LoadRun ...}). The first
 * {@code --warmup} rounds (default 1: the JIT compiles the round's code) are run and printed but
 * left out of the summary line.
 */
public final class LoadRun {
  private static final long WAIT_NANOS = 120_000_000_000L;

  /** Longer lines (chains) are skipped unread: every line this run counts is far shorter. */
  private static final int MAX_KEPT_LINE = 4096;

  private final int validators;
  private final int rounds;
  private final int warmup;
  private final int blocks;
  private final int version;
  private final boolean http;
  private final Selector selector;
  private final Peer[] peers;
  private int registered;
  private int accepted;
  private int results;
  private long currentRound;

  /** One validator connection: its channel, its partial input line, its result time. */
  private static final class Peer {
    final SocketChannel channel;
    final StringBuilder line = new StringBuilder();
    boolean skipping;
    long resultMicros;

    Peer(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private LoadRun(int validators, int rounds, int warmup, int blocks, int version, boolean http)
      throws IOException {
    this.validators = validators;
    this.rounds = rounds;
    this.warmup = warmup;
    this.blocks = blocks;
    this.version = version;
    this.http = http;
    this.selector = Selector.open();
    this.peers = new Peer[validators];
  }

  /**
   * {@code --validators N} (default 1000, at most 15000: each is a socket in both processes),
   * {@code --rounds R} measured rounds (default 5), {@code --warmup W} rounds before them (default
   * 1), {@code --blocks L} the chain the server starts on, genesis included (default 1), {@code
   * --version V} the validators' protocol version (default 1: the whole chain after every forged
   * block; 2: that block alone), {@code --http 1} the server also serves its HTTP API (default 0:
   * off), so that a run tells whether serving it moves the result.
   */
  public static void main(String[] args) throws Exception {
    int validators = 1000;
    int rounds = 5;
    int warmup = 1;
    int blocks = 1;
    int version = 1;
    boolean http = false;
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in pairs: --validators N --rounds R");
    }
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--validators" -> validators = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--blocks" -> blocks = Integer.parseInt(args[i + 1]);
        case "--version" -> version = Integer.parseInt(args[i + 1]);
        case "--http" -> http = Integer.parseInt(args[i + 1]) != 0;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (validators < 1
        || validators > 15_000
        || rounds < 1
        || rounds > 1000
        || warmup < 0
        || blocks < 1
        || blocks > 2_000_000
        || version < 1
        || version > 2) {
      throw new IllegalArgumentException(
          "--validators 1..15000, --rounds 1..1000, --warmup >= 0, --blocks 1..2000000, --version"
              + " 1..2; got "
              + String.join(" ", args));
    }
    new LoadRun(validators, rounds, warmup, blocks, version, http).run();
  }

  private void run() throws Exception {
    Process server =
        LoadServer.startProcess(
            String.valueOf(validators + 100), String.valueOf(blocks), http ? "http" : "");
    try {
      BufferedReader serverOut =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      OutputStream serverIn = server.getOutputStream();
      String listening = serverOut.readLine();
      if (listening == null || !listening.startsWith("listening ")) {
        throw new IllegalStateException("the load server did not start: " + listening);
      }
      int port = Integer.parseInt(listening.substring("listening ".length()).strip());
      if (http) {
        System.out.println("server: HTTP API " + serverOut.readLine());
      }
      System.out.printf(
          Locale.ROOT,
          "load run: %d validators, %d rounds after %d warm-up, server pid %d on port %d%n",
          validators,
          rounds,
          warmup,
          server.pid(),
          port);

      long connectStart = System.nanoTime();
      connectAndRegister(port);
      System.out.printf(
          Locale.ROOT,
          "connected and registered %d validators in %.2f s%n",
          validators,
          (System.nanoTime() - connectStart) / 1e9);
      System.out.println(
          "round  proposals/s   p50 ms   p99 ms   max ms  spread ms  (tick -> result; spread:"
              + " first to last receipt; w = warm-up)");
      double[] measured = new double[validators * rounds];
      double[] spreads = new double[rounds];
      double proposalRates = 0;
      for (int r = 1; r <= warmup + rounds; r++) {
        currentRound = r;
        accepted = 0;
        results = 0;
        long proposeStart = System.nanoTime();
        for (Peer peer : peers) {
          send(peer, "{\"type\":\"propose\",\"bpm\":" + (60 + r) + "}\n");
        }
        pumpUntil(() -> accepted >= validators, "proposal-accepted");
        double proposalsPerSecond = validators / ((System.nanoTime() - proposeStart) / 1e9);
        serverIn.write("round\n".getBytes(StandardCharsets.US_ASCII));
        serverIn.flush();
        String tickLine = serverOut.readLine();
        long tick = Long.parseLong(tickLine.substring("tick ".length()).strip());
        pumpUntil(() -> results >= validators, "round-result");
        String done = serverOut.readLine();
        if (http && done != null && done.startsWith("stored ")) {
          done = serverOut.readLine();
        }
        if (!"done".equals(done)) {
          throw new IllegalStateException("unexpected from the server: " + done);
        }
        double[] latencies = new double[validators];
        for (int i = 0; i < validators; i++) {
          latencies[i] = (peers[i].resultMicros - tick) / 1000.0;
        }
        Arrays.sort(latencies);
        double spread = latencies[latencies.length - 1] - latencies[0];
        if (r > warmup) {
          System.arraycopy(latencies, 0, measured, (r - warmup - 1) * validators, validators);
          spreads[r - warmup - 1] = spread;
          proposalRates += proposalsPerSecond;
        }
        System.out.printf(
            Locale.ROOT,
            "%5s  %11.0f  %7.2f  %7.2f  %7.2f  %9.3f%n",
            r <= warmup ? r + "w" : String.valueOf(r),
            proposalsPerSecond,
            percentile(latencies, 0.50),
            percentile(latencies, 0.99),
            latencies[latencies.length - 1],
            spread);
      }
      Arrays.sort(measured);
      Arrays.sort(spreads);
      System.out.printf(
          Locale.ROOT,
          "summary over %d rounds x %d validators: %.0f proposals/s; tick -> result p50 %.2f ms,"
              + " p99 %.2f ms, max %.2f ms; spread p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
          rounds,
          validators,
          proposalRates / rounds,
          percentile(measured, 0.50),
          percentile(measured, 0.99),
          measured[measured.length - 1],
          percentile(spreads, 0.50),
          percentile(spreads, 0.99),
          spreads[spreads.length - 1]);
      System.out.printf(
          Locale.ROOT,
          "server: RSS %d MiB, CPU %.2f s over the run%n",
          rssKib(server.pid()) / 1024,
          server.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN));
      serverIn.write("quit\n".getBytes(StandardCharsets.US_ASCII));
      serverIn.flush();
    } finally {
      for (Peer peer : peers) {
        if (peer != null) {
          peer.channel.close();
        }
      }
      selector.close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private void connectAndRegister(int port) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    for (int i = 0; i < validators; i++) {
      SocketChannel channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.connect(address);
      channel.configureBlocking(false);
      Peer peer = new Peer(channel);
      peers[i] = peer;
      channel.register(selector, SelectionKey.OP_READ, peer);
      send(
          peer,
          "{\"type\":\"hello\",\"version\":"
              + version
              + "}\n{\"type\":\"stake\",\"amount\":"
              + (1 + i % 1000)
              + "}\n");
      if (i % 500 == 499) {
        pumpUntil(() -> true, "registration");
      }
    }
    pumpUntil(() -> registered >= validators, "registered");
  }

  private static void send(Peer peer, String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (buffer.hasRemaining()) {
      if (peer.channel.write(buffer) == 0 && System.nanoTime() > deadline) {
        throw new IOException("could not send within the deadline");
      }
    }
  }

  private interface Condition {
    boolean met();
  }

  private void pumpUntil(Condition condition, String what) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long deadline = System.nanoTime() + WAIT_NANOS;
    do {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out waiting for "
                + what
                + " (registered "
                + registered
                + ", accepted "
                + accepted
                + ", results "
                + results
                + ")");
      }
      selector.select(100);
      for (SelectionKey key : selector.selectedKeys()) {
        Peer peer = (Peer) key.attachment();
        buffer.clear();
        int read = peer.channel.read(buffer);
        // Per read, not per select: a batch of ready connections is read one after another.
        long nowMicros = LoadServer.micros(Instant.now());
        if (read < 0) {
          throw new IllegalStateException("the server closed a connection: " + peer.line);
        }
        for (int i = 0; i < read; i++) {
          char c = (char) buffer.get(i);
          if (c == '\n') {
            if (!peer.skipping) {
              onLine(peer, peer.line.toString(), nowMicros);
            }
            peer.line.setLength(0);
            peer.skipping = false;
          } else if (peer.skipping) {
            continue;
          } else if (peer.line.length() < MAX_KEPT_LINE) {
            peer.line.append(c);
          } else {
            // A chain: nothing this run counts, and reading it char by char into a string would
            // make this one thread late for the next connection's result.
            peer.skipping = true;
            peer.line.setLength(0);
          }
        }
      }
      selector.selectedKeys().clear();
    } while (!condition.met());
  }

  private void onLine(Peer peer, String line, long nowMicros) {
    if (line.contains("\"type\":\"registered\"")) {
      registered++;
    } else if (line.contains("\"type\":\"proposal-accepted\"")) {
      accepted++;
    } else if (line.contains("\"type\":\"round-result\"")
        && line.contains("\"round\":" + currentRound + ",")) {
      peer.resultMicros = nowMicros;
      results++;
    } else if (line.contains("\"type\":\"error\"") || line.contains("\"type\":\"closing\"")) {
      throw new IllegalStateException("the server said: " + line);
    }
  }

  private static double percentile(double[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static long rssKib(long pid) {
    try {
      List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
      for (String line : status) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux, or the process is gone.
    }
    return -1;
  }
}
