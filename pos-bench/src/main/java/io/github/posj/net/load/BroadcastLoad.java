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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cost of a chain broadcast (issue #11; not JMH): for each chain length L and count K of
 * connections that never read, a server ({@link BroadcastServer}, its own JVM, a fresh one per
 * cell) starts on a chain of L blocks with 1 s rounds; a few honest validators register and propose
 * every round, K sockets with a 4 KB receive buffer connect and never read, and for a bounded
 * number of rounds this process measures what the honest validators see: the time from the round's
 * resolution to their reading its {@code round-result} (p50, p99, max), the longest gap between two
 * results (against the round length), results missed and validators dropped, and the server's
 * memory (peak RSS, heap used after a full GC, direct buffers).
 *
 * <p>The notes say when honest validators were dropped (seconds after the non-readers began to
 * connect) and how, the server's first logged error, and how often it logged an out-of-memory error
 * or dropped a slow consumer.
 *
 * <p>Every cell is bounded: {@code --cell-seconds} (default 90) for the whole cell, server start
 * included; a cell that runs out of time, or whose server dies, is reported as such. The server's
 * heap and direct memory are capped ({@code --server-heap 2g}, {@code --server-direct 1g}) so that
 * a cell that would take the machine's memory fails instead. Loopback only.
 *
 * <p>Run: {@code pos-bench/run-broadcast} (every cell: L in 10^3..10^6, K in 0, 100, 1000), or e.g.
 * {@code pos-bench/run-broadcast --blocks 1000,10000 --non-readers 0,100 --rounds 5}. It prints a
 * line per cell as it goes, then the Markdown table of docs/benchmarks.md.
 */
public final class BroadcastLoad {
  private static final int RECEIVE_BUFFER_BYTES = 4 * 1024;
  private static final int LINE_HEAD_CHARS = 200;
  private static final Pattern ROUND_FIELD = Pattern.compile("\"round\":(\\d+)");

  private final Options options;

  private BroadcastLoad(Options options) {
    this.options = options;
  }

  /** The run's settings. */
  private record Options(
      List<Integer> blocks,
      List<Integer> nonReaders,
      int honest,
      int rounds,
      long roundMillis,
      long cellSeconds,
      String serverHeap,
      String serverDirect) {}

  /**
   * What one cell measured; latencies in ms, memory in MiB (-1: not measured). The JDK's direct
   * pool and Netty's own counter are apart: Netty counts the buffers it allocates without the JDK
   * (when it can), the JDK counts the rest, such as the temporary direct copies NIO makes to write
   * a heap buffer to a socket.
   */
  private record CellResult(
      int blocks,
      int nonReaders,
      int roundsEnded,
      int fewestResults,
      double p50,
      double p99,
      double max,
      double longestGap,
      int honestDropped,
      long peakRssMib,
      long heapAfterGcMib,
      long jdkDirectMib,
      long nettyDirectMib,
      String notes) {}

  /**
   * {@code --blocks L,L..} (default 1000,10000,100000,1000000), {@code --non-readers K,K..}
   * (default 0,100,1000), {@code --honest H} (3), {@code --rounds R} measured rounds (10), {@code
   * --round-millis} (1000), {@code --cell-seconds} (90), {@code --server-heap} (2g), {@code
   * --server-direct} (1g).
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> given = new HashMap<>();
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in pairs: --blocks 1000,10000 --rounds 10");
    }
    for (int i = 0; i < args.length; i += 2) {
      given.put(args[i], args[i + 1]);
    }
    Options options =
        new Options(
            ints(given.remove("--blocks"), "1000,10000,100000,1000000"),
            ints(given.remove("--non-readers"), "0,100,1000"),
            Integer.parseInt(given.getOrDefault("--honest", "3")),
            Integer.parseInt(given.getOrDefault("--rounds", "10")),
            Long.parseLong(given.getOrDefault("--round-millis", "1000")),
            Long.parseLong(given.getOrDefault("--cell-seconds", "90")),
            given.getOrDefault("--server-heap", "2g"),
            given.getOrDefault("--server-direct", "1g"));
    for (String key : given.keySet()) {
      if (!List.of(
              "--honest",
              "--rounds",
              "--round-millis",
              "--cell-seconds",
              "--server-heap",
              "--server-direct")
          .contains(key)) {
        throw new IllegalArgumentException("unknown option " + key);
      }
    }
    if (options.honest() < 1
        || options.honest() > 20
        || options.rounds() < 1
        || options.rounds() > 100
        || options.roundMillis() < 100
        || options.cellSeconds() < 10
        || options.cellSeconds() > 600
        || options.blocks().stream().anyMatch(b -> b < 1 || b > 2_000_000)
        || options.nonReaders().stream().anyMatch(k -> k < 0 || k > 5_000)) {
      throw new IllegalArgumentException(
          "--blocks 1..2000000, --non-readers 0..5000, --honest 1..20, --rounds 1..100,"
              + " --round-millis >= 100, --cell-seconds 10..600; got "
              + options);
    }
    new BroadcastLoad(options).run();
  }

  private static List<Integer> ints(String list, String otherwise) {
    return Arrays.stream((list == null ? otherwise : list).split(","))
        .map(String::strip)
        .map(Integer::valueOf)
        .toList();
  }

  private void run() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "broadcast load: %d honest validators, %d rounds of %d ms per cell, at most %d s per"
            + " cell; server -Xmx%s -XX:MaxDirectMemorySize=%s%n",
        options.honest(),
        options.rounds(),
        options.roundMillis(),
        options.cellSeconds(),
        options.serverHeap(),
        options.serverDirect());
    List<CellResult> results = new ArrayList<>();
    for (int blocks : options.blocks()) {
      for (int nonReaders : options.nonReaders()) {
        CellResult result = new Cell(blocks, nonReaders).run();
        results.add(result);
        System.out.println("  " + row(result));
      }
    }
    System.out.println();
    System.out.println(
        "| blocks | non-readers | results / rounds | tick → result p50 | p99 | max | longest gap"
            + " | honest dropped | server peak RSS | heap after GC | JDK direct | Netty direct"
            + " | notes |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    results.forEach(r -> System.out.println(row(r)));
  }

  private static String row(CellResult r) {
    return String.format(
        Locale.ROOT,
        "| %,d | %,d | %d / %d | %s | %s | %s | %s | %d | %s | %s | %s | %s | %s |",
        r.blocks(),
        r.nonReaders(),
        r.fewestResults(),
        r.roundsEnded(),
        millis(r.p50()),
        millis(r.p99()),
        millis(r.max()),
        millis(r.longestGap()),
        r.honestDropped(),
        mib(r.peakRssMib()),
        mib(r.heapAfterGcMib()),
        mib(r.jdkDirectMib()),
        mib(r.nettyDirectMib()),
        r.notes());
  }

  private static String millis(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f ms", value);
  }

  private static String mib(long value) {
    return value < 0 ? "–" : String.format(Locale.ROOT, "%,d MiB", value);
  }

  /** One honest validator's connection: its partial line's head, and what it has seen. */
  private static final class Honest {
    final SocketChannel channel;
    final StringBuilder head = new StringBuilder();
    final Map<Long, Long> resultMicros = new ConcurrentHashMap<>();
    final List<Long> arrivalMicros = new ArrayList<>();
    boolean registered;
    boolean dropped;
    long droppedMicros;
    String dropReason = "";

    Honest(SocketChannel channel) {
      this.channel = channel;
    }
  }

  /** One (L, K) measurement with its own server process. */
  private final class Cell {
    private final int blocks;
    private final int nonReaders;
    private final long deadline;
    private final Map<Long, Long> roundEndMicros = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<String> memory = new CompletableFuture<>();
    private final List<String> notes = new ArrayList<>();

    Cell(int blocks, int nonReaders) {
      this.blocks = blocks;
      this.nonReaders = nonReaders;
      this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.cellSeconds());
    }

    CellResult run() throws Exception {
      Path log = Files.createTempFile("broadcast-server-", ".log");
      Process server =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx" + options.serverHeap(),
                  "-XX:MaxDirectMemorySize=" + options.serverDirect(),
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                  "-cp",
                  System.getProperty("java.class.path"),
                  BroadcastServer.class.getName(),
                  String.valueOf(blocks),
                  String.valueOf(nonReaders + options.honest() + 100),
                  String.valueOf(options.roundMillis()))
              .redirectError(log.toFile())
              .start();
      readServerOutput(server);
      List<Honest> honest = new ArrayList<>();
      List<SocketChannel> idle = new ArrayList<>();
      long peakRssKib = -1;
      String memoryLine = "";
      long attackMicros = -1;
      long endMicros = -1;
      try (Selector selector = Selector.open()) {
        try {
          int serverPort = port.get(remainingNanos(), TimeUnit.NANOSECONDS);
          InetSocketAddress address = new InetSocketAddress("127.0.0.1", serverPort);
          for (int i = 0; i < options.honest(); i++) {
            honest.add(joinHonest(address, selector));
          }
          pump(selector, () -> honest.stream().allMatch(h -> h.registered || h.dropped));
          for (Honest h : honest) {
            send(h, "{\"type\":\"propose\",\"bpm\":60}\n");
          }
          attackMicros = LoadServer.micros(Instant.now());
          for (int i = 0; i < nonReaders; i++) {
            idle.add(nonReader(address));
          }
          long windowEnd =
              System.nanoTime()
                  + TimeUnit.MILLISECONDS.toNanos(options.roundMillis() * 2 * options.rounds());
          long since = attackMicros;
          pump(
              selector,
              () ->
                  System.nanoTime() - windowEnd > 0
                      // One more than measured: the last round before the end is not counted.
                      || honest.stream()
                          .allMatch(h -> h.dropped || resultsAfter(h, since) > options.rounds()));
        } catch (TimeoutException | CellTimeout e) {
          notes.add("cell time limit (" + options.cellSeconds() + " s) reached");
        } catch (ExecutionException e) {
          notes.add("the server did not start: " + e.getCause().getMessage());
        } catch (IOException e) {
          notes.add("connecting failed: " + e.getMessage());
        }
        endMicros = LoadServer.micros(Instant.now());
        peakRssKib = statusKib(server.pid(), "VmHWM:");
        memoryLine = askMemory(server);
      } finally {
        for (SocketChannel channel : idle) {
          channel.close();
        }
        for (Honest h : honest) {
          h.channel.close();
        }
        stop(server);
      }
      String errors = Files.readString(log);
      Files.delete(log);
      return result(honest, attackMicros, endMicros, peakRssKib, memoryLine, errors);
    }

    /**
     * The rounds that count are those resolved after the non-readers connected and at least a
     * round's length before the measurement ended (they had time to arrive); a gap still open at
     * the end (no result since) counts as a gap.
     */
    private CellResult result(
        List<Honest> honest,
        long since,
        long end,
        long peakRssKib,
        String memoryLine,
        String errors) {
      long lastCounted = end - options.roundMillis() * 1000;
      List<Long> rounds =
          roundEndMicros.entrySet().stream()
              .filter(e -> since >= 0 && e.getValue() >= since && e.getValue() <= lastCounted)
              .map(Map.Entry::getKey)
              .sorted()
              .toList();
      List<Double> latencies = new ArrayList<>();
      int fewest = Integer.MAX_VALUE;
      double longestGap = Double.NaN;
      for (Honest h : honest) {
        int seen = 0;
        for (long round : rounds) {
          Long arrival = h.resultMicros.get(round);
          if (arrival != null) {
            seen++;
            latencies.add((arrival - roundEndMicros.get(round)) / 1000.0);
          }
        }
        fewest = Math.min(fewest, seen);
        List<Long> arrivals = new ArrayList<>(h.arrivalMicros);
        if (since >= 0) {
          arrivals.add(end);
        }
        for (int i = 1; i < arrivals.size(); i++) {
          if (arrivals.get(i) >= since) {
            double gap = (arrivals.get(i) - arrivals.get(i - 1)) / 1000.0;
            longestGap = Double.isNaN(longestGap) ? gap : Math.max(longestGap, gap);
          }
        }
      }
      double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int dropped = (int) honest.stream().filter(h -> h.dropped).count();
      List<String> drops = new ArrayList<>();
      Set<String> dropReasons = new TreeSet<>();
      for (Honest h : honest) {
        if (h.dropped) {
          drops.add(
              since < 0
                  ? "before the non-readers"
                  : String.format(Locale.ROOT, "%+.1f s", (h.droppedMicros - since) / 1e6));
          dropReasons.add(h.dropReason);
        }
      }
      if (!drops.isEmpty()) {
        notes.add(
            "honest dropped at "
                + String.join(", ", drops)
                + " ("
                + String.join("; ", dropReasons)
                + ")");
      }
      errors
          .lines()
          .filter(line -> line.contains("Exception") || line.contains("Error"))
          .filter(line -> !line.contains("before the shutdown"))
          .findFirst()
          .ifPresent(
              line -> notes.add("first error: " + line.substring(0, Math.min(160, line.length()))));
      count(errors, "OutOfDirectMemoryError", "OutOfDirectMemoryError");
      count(errors, "OutOfMemoryError", "OutOfMemoryError");
      count(errors, "dropping a slow consumer", "slow consumers dropped");
      String[] memoryFields = memoryLine.split(" ");
      long heapMib = memoryFields.length == 4 ? Long.parseLong(memoryFields[1]) >> 20 : -1;
      long jdkDirectMib = memoryFields.length == 4 ? Long.parseLong(memoryFields[2]) >> 20 : -1;
      long nettyDirectMib =
          memoryFields.length == 4 ? Math.max(0, Long.parseLong(memoryFields[3])) >> 20 : -1;
      if (memoryFields.length != 4) {
        notes.add("no memory report from the server");
      }
      return new CellResult(
          blocks,
          nonReaders,
          rounds.size(),
          fewest == Integer.MAX_VALUE ? 0 : fewest,
          percentile(sorted, 0.50),
          percentile(sorted, 0.99),
          sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1],
          longestGap,
          dropped,
          peakRssKib < 0 ? -1 : peakRssKib >> 10,
          heapMib,
          jdkDirectMib,
          nettyDirectMib,
          String.join("; ", notes));
    }

    private void count(String text, String word, String what) {
      int count = 0;
      for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
        count++;
      }
      if (count > 0) {
        notes.add(count + " " + what);
      }
    }

    private long resultsAfter(Honest h, long sinceMicros) {
      return h.arrivalMicros.stream().filter(t -> t >= sinceMicros).count();
    }

    private void readServerOutput(Process server) {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      Thread reader =
          new Thread(
              () -> {
                try {
                  String line;
                  while ((line = out.readLine()) != null) {
                    String[] fields = line.split(" ");
                    if (fields[0].equals("listening")) {
                      port.complete(Integer.valueOf(fields[1]));
                    } else if (fields[0].equals("round")) {
                      roundEndMicros.put(Long.valueOf(fields[1]), Long.valueOf(fields[2]));
                    } else if (fields[0].equals("memory")) {
                      memory.complete(line);
                    }
                  }
                } catch (IOException e) {
                  // the server is gone
                }
                port.completeExceptionally(new IllegalStateException("the server exited"));
                memory.complete("");
              },
              "broadcast-server-output");
      reader.setDaemon(true);
      reader.start();
    }

    private String askMemory(Process server) {
      try {
        OutputStream in = server.getOutputStream();
        in.write("memory\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        return memory.get(30, TimeUnit.SECONDS);
      } catch (IOException | TimeoutException | ExecutionException e) {
        return "";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "";
      }
    }

    private Honest joinHonest(InetSocketAddress address, Selector selector) throws IOException {
      SocketChannel channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.socket().connect(address, (int) Math.max(1, remainingNanos() / 1_000_000));
      channel.configureBlocking(false);
      Honest h = new Honest(channel);
      channel.register(selector, SelectionKey.OP_READ, h);
      send(h, "{\"type\":\"hello\",\"version\":1}\n{\"type\":\"stake\",\"amount\":10}\n");
      return h;
    }

    private SocketChannel nonReader(InetSocketAddress address) throws IOException {
      SocketChannel channel = SocketChannel.open();
      try {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
        channel.socket().connect(address, (int) Math.max(1, remainingNanos() / 1_000_000));
        return channel;
      } catch (IOException e) {
        channel.close();
        throw e;
      }
    }

    private void send(Honest h, String text) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (buffer.hasRemaining() && !h.dropped) {
        if (h.channel.write(buffer) == 0 && System.nanoTime() - giveUp > 0) {
          // The server stopped reading this validator (it is behind): skip this line.
          return;
        }
      }
    }

    private void pump(Selector selector, BooleanSupplier done) throws IOException, CellTimeout {
      ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
      byte[] bytes = buffer.array();
      while (!done.getAsBoolean()) {
        if (remainingNanos() <= 0) {
          throw new CellTimeout();
        }
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          Honest h = (Honest) key.attachment();
          buffer.clear();
          int read;
          try {
            read = h.channel.read(buffer);
          } catch (IOException e) {
            read = -1;
          }
          long nowMicros = LoadServer.micros(Instant.now());
          if (read < 0) {
            drop(h, "closed by the server without a line", nowMicros);
            key.cancel();
            continue;
          }
          for (int i = 0; i < read; i++) {
            byte b = bytes[i];
            if (b == '\n') {
              onLine(h, h.head.toString(), nowMicros);
              h.head.setLength(0);
            } else if (h.head.length() < LINE_HEAD_CHARS) {
              h.head.append((char) b);
            }
          }
        }
        selector.selectedKeys().clear();
      }
    }

    private void onLine(Honest h, String head, long nowMicros) throws IOException {
      if (head.contains("\"type\":\"registered\"")) {
        h.registered = true;
      } else if (head.contains("\"type\":\"round-result\"")) {
        Matcher round = ROUND_FIELD.matcher(head);
        if (round.find()) {
          long number = Long.parseLong(round.group(1));
          h.resultMicros.put(number, nowMicros);
          h.arrivalMicros.add(nowMicros);
          send(h, "{\"type\":\"propose\",\"bpm\":" + (60 + number % 40) + "}\n");
        }
      } else if (head.contains("\"type\":\"closing\"") || head.contains("\"type\":\"slashed\"")) {
        drop(h, head, nowMicros);
      }
    }

    private void drop(Honest h, String reason, long nowMicros) {
      if (!h.dropped) {
        h.dropped = true;
        h.droppedMicros = nowMicros;
        h.dropReason = reason;
      }
    }

    private long remainingNanos() {
      return deadline - System.nanoTime();
    }
  }

  /** The cell's time limit was reached. */
  private static final class CellTimeout extends Exception {
    private static final long serialVersionUID = 1L;
  }

  private static void stop(Process server) throws InterruptedException {
    try {
      OutputStream in = server.getOutputStream();
      in.write("quit\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
    } catch (IOException e) {
      // already gone
    }
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static long statusKib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux, or the process is gone.
    }
    return -1;
  }
}
