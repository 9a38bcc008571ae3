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
 * {@code --warmup} rounds (default 1), and as many more as {@code --warmup-seconds} asks for
 * (default 0), are run but left out of the summary line: the JIT compiles the round's code
 * meanwhile, and until it is done its compiler threads take a core from the two this machine has
 * (seen with {@code perf sched}: nearly a whole core 4 to 7 s into a 100-validator run), which is
 * part of what the millisecond tail of short runs measured.
 */
public final class LoadRun {
  private static final long WAIT_NANOS = 120_000_000_000L;

  /**
   * The bytes of a line kept to tell what it is: the type and, for a round result, its round (see
   * {@link #onLine}); the rest of a line (a block, a chain) is only scanned for its end. So this
   * one thread, which shares the machine's cores with the server it measures, spends little per
   * line.
   */
  private static final int KEPT = 64;

  private static final byte[] REGISTERED = ascii("{\"type\":\"registered\"");
  private static final byte[] ACCEPTED = ascii("{\"type\":\"proposal-accepted\"");
  private static final byte[] RESULT = ascii("{\"type\":\"round-result\",\"round\":");
  private static final byte[] ERROR = ascii("{\"type\":\"error\"");
  private static final byte[] CLOSING = ascii("{\"type\":\"closing\"");

  /** Where each connection's reads go: direct, so that the JDK copies nothing. */
  private final ByteBuffer input = ByteBuffer.allocateDirect(64 * 1024);

  private final int validators;
  private final int rounds;
  private final int warmup;
  private final int warmupSeconds;
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

    /** The first {@link #KEPT} bytes of the line being read, and how many there are so far. */
    final byte[] line = new byte[KEPT];

    int length;
    long resultMicros;

    Peer(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private LoadRun(
      int validators,
      int rounds,
      int warmup,
      int warmupSeconds,
      int blocks,
      int version,
      boolean http)
      throws IOException {
    this.validators = validators;
    this.rounds = rounds;
    this.warmup = warmup;
    this.warmupSeconds = warmupSeconds;
    this.blocks = blocks;
    this.version = version;
    this.http = http;
    this.selector = Selector.open();
    this.peers = new Peer[validators];
  }

  /**
   * {@code --validators N} (default 1000, at most 15000: each is a socket in both processes),
   * {@code --rounds R} measured rounds (default 5), {@code --warmup W} rounds before them (default
   * 1), {@code --warmup-seconds S} warm-up rounds for at least that long (default 0, at most 600),
   * {@code --blocks L} the chain the server starts on, genesis included (default 1), {@code
   * --version V} the validators' protocol version (default 1: the whole chain after every forged
   * block; 2: that block alone), {@code --http 1} the server also serves its HTTP API (default 0:
   * off), so that a run tells whether serving it moves the result.
   */
  public static void main(String[] args) throws Exception {
    int validators = 1000;
    int rounds = 5;
    int warmup = 1;
    int warmupSeconds = 0;
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
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[i + 1]);
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
        || warmupSeconds < 0
        || warmupSeconds > 600
        || blocks < 1
        || blocks > 2_000_000
        || version < 1
        || version > 2) {
      throw new IllegalArgumentException(
          "--validators 1..15000, --rounds 1..1000, --warmup >= 0, --warmup-seconds 0..600,"
              + " --blocks 1..2000000, --version 1..2; got "
              + String.join(" ", args));
    }
    new LoadRun(validators, rounds, warmup, warmupSeconds, blocks, version, http).run();
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
          "load run: %d validators, %d rounds after %d warm-up (and at least %d s), server pid %d on"
              + " port %d%n",
          validators,
          rounds,
          warmup,
          warmupSeconds,
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
          "round  proposals/s   p50 ms   p99 ms   max ms  spread ms  gap ms  (tick -> result; spread:"
              + " first to last receipt; gap: the longest wait between two receipts in a row; w ="
              + " warm-up)");
      double[] measured = new double[validators * rounds];
      double[] spreads = new double[rounds];
      double[] gaps = new double[rounds];
      double proposalRates = 0;
      long warmupStart = System.nanoTime();
      long warmupEnd = warmupStart + warmupSeconds * 1_000_000_000L;
      int warmed = 0;
      boolean warming = true;
      for (int r = 1; r <= warmed + rounds; r++) {
        if (warming && r > warmup && System.nanoTime() >= warmupEnd) {
          warming = false;
          warmed = r - 1;
          System.out.printf(
              Locale.ROOT,
              "warm-up: %d rounds in %.1f s%n",
              warmed,
              (System.nanoTime() - warmupStart) / 1e9);
        }
        if (warming) {
          // Keeps the loop going until the warm-up ends.
          warmed = r;
        }
        currentRound = r;
        accepted = 0;
        results = 0;
        long proposeStart = System.nanoTime();
        ByteBuffer proposal =
            ByteBuffer.allocateDirect(32)
                .put(ascii("{\"type\":\"propose\",\"bpm\":" + (60 + r) + "}\n"))
                .flip();
        for (Peer peer : peers) {
          send(peer, proposal);
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
        double gap = 0;
        for (int i = 1; i < validators; i++) {
          gap = Math.max(gap, latencies[i] - latencies[i - 1]);
        }
        if (!warming) {
          System.arraycopy(latencies, 0, measured, (r - warmed - 1) * validators, validators);
          spreads[r - warmed - 1] = spread;
          gaps[r - warmed - 1] = gap;
          proposalRates += proposalsPerSecond;
        }
        if (warming && r > 5 && r % 100 != 0) {
          // A long warm-up prints its first rounds and every 100th.
          continue;
        }
        System.out.printf(
            Locale.ROOT,
            "%5s  %11.0f  %7.2f  %7.2f  %7.2f  %9.3f  %7.3f%n",
            warming ? r + "w" : String.valueOf(r),
            proposalsPerSecond,
            percentile(latencies, 0.50),
            percentile(latencies, 0.99),
            latencies[latencies.length - 1],
            spread,
            gap);
      }
      Arrays.sort(measured);
      Arrays.sort(spreads);
      Arrays.sort(gaps);
      System.out.printf(
          Locale.ROOT,
          "summary over %d rounds x %d validators: %.0f proposals/s; tick -> result p50 %.2f ms,"
              + " p99 %.2f ms, max %.2f ms; spread p50 %.3f ms, p99 %.3f ms, max %.3f ms; gap p50"
              + " %.3f ms, p99 %.3f ms%n",
          rounds,
          validators,
          proposalRates / rounds,
          percentile(measured, 0.50),
          percentile(measured, 0.99),
          measured[measured.length - 1],
          percentile(spreads, 0.50),
          percentile(spreads, 0.99),
          spreads[spreads.length - 1],
          percentile(gaps, 0.50),
          percentile(gaps, 0.99));
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
    send(peer, ByteBuffer.wrap(ascii(text)));
  }

  /** Writes all of {@code bytes} (from its position; left as it was, so it can go to the next). */
  private static void send(Peer peer, ByteBuffer bytes) throws IOException {
    ByteBuffer buffer = bytes.duplicate();
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (buffer.hasRemaining()) {
      if (peer.channel.write(buffer) == 0 && System.nanoTime() > deadline) {
        throw new IOException("could not send within the deadline");
      }
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private interface Condition {
    boolean met();
  }

  private void pumpUntil(Condition condition, String what) throws IOException {
    ByteBuffer buffer = input;
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
          throw new IllegalStateException("the server closed a connection: " + text(peer));
        }
        byte[] line = peer.line;
        for (int i = 0; i < read; i++) {
          byte b = buffer.get(i);
          if (b == '\n') {
            onLine(peer, nowMicros);
            peer.length = 0;
          } else if (peer.length < KEPT) {
            line[peer.length++] = b;
          }
        }
      }
      selector.selectedKeys().clear();
    } while (!condition.met());
  }

  /** Counts a line by its first {@link #KEPT} bytes: every line this run counts starts its way. */
  private void onLine(Peer peer, long nowMicros) {
    if (startsWith(peer, REGISTERED)) {
      registered++;
    } else if (startsWith(peer, ACCEPTED)) {
      accepted++;
    } else if (startsWith(peer, RESULT) && roundIs(peer, currentRound)) {
      peer.resultMicros = nowMicros;
      results++;
    } else if (startsWith(peer, ERROR) || startsWith(peer, CLOSING)) {
      throw new IllegalStateException("the server said: " + text(peer) + "...");
    }
  }

  private static boolean startsWith(Peer peer, byte[] prefix) {
    return peer.length >= prefix.length
        && Arrays.equals(peer.line, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Whether the round result in {@code peer}'s line is for {@code round}: its digits, then ','. */
  private static boolean roundIs(Peer peer, long round) {
    long value = 0;
    int i = RESULT.length;
    for (; i < peer.length && peer.line[i] >= '0' && peer.line[i] <= '9'; i++) {
      value = value * 10 + (peer.line[i] - '0');
    }
    return i > RESULT.length && i < peer.length && peer.line[i] == ',' && value == round;
  }

  private static String text(Peer peer) {
    return new String(peer.line, 0, peer.length, StandardCharsets.US_ASCII);
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
