package io.github.posj.net.http;

import io.github.posj.net.load.LoadServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API under load (not JMH; issue #13's bars): a server in its own JVM holding a chain of
 * {@code --blocks} blocks with {@code --validators} validators connected (registered, idle) and
 * {@code --subscribers} event-stream subscribers on {@code topics=head}; measures
 *
 * <ol>
 *   <li>{@code GET /posj/v1/blocks/head}: {@code --requests} requests one after another on one
 *       keep-alive connection; p50, p99, max;
 *   <li>over {@code --rounds} forged rounds, the time from the moment the block's store append
 *       returned (where a file store has fsynced it) to each subscriber reading its {@code head}
 *       event; p50, p99, max.
 * </ol>
 *
 * <p>Run: {@code pos-bench/run-api} (which builds the jar and runs {@code java -cp
 * pos-bench/target/benchmarks.jar io.github.posj.net.http.ApiLoadRun ...}). Every socket is on
 * 127.0.0.1; every wait has a deadline.
 */
public final class ApiLoadRun {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Pattern HEAD_INDEX = Pattern.compile("^data: \\{\"index\":\"(\\d+)\"");

  private final int validators;
  private final int subscribers;
  private final int blocks;
  private final int requests;
  private final int rounds;

  /** Receive times (epoch micros) of each head event, by block index, one slot per subscriber. */
  private final ConcurrentHashMap<Long, long[]> received = new ConcurrentHashMap<>();

  private ApiLoadRun(int validators, int subscribers, int blocks, int requests, int rounds) {
    this.validators = validators;
    this.subscribers = subscribers;
    this.blocks = blocks;
    this.requests = requests;
    this.rounds = rounds;
  }

  /**
   * {@code --validators N} (default 1000), {@code --subscribers S} (default 100), {@code --blocks
   * L} the chain, genesis included (default 10000), {@code --requests Q} (default 20000), {@code
   * --rounds R} (default 20).
   */
  public static void main(String[] args) throws Exception {
    int[] values = {1000, 100, 10_000, 20_000, 20};
    List<String> names =
        List.of("--validators", "--subscribers", "--blocks", "--requests", "--rounds");
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in pairs: --validators N ...");
    }
    for (int i = 0; i < args.length; i += 2) {
      int at = names.indexOf(args[i]);
      if (at < 0) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + names);
      }
      values[at] = Integer.parseInt(args[i + 1]);
    }
    if (values[0] < 1
        || values[0] > 15_000
        || values[1] < 1
        || values[1] > 1000
        || values[2] < 1
        || values[3] < 100
        || values[4] < 1
        || values[4] > 1000) {
      throw new IllegalArgumentException(
          "--validators 1..15000, --subscribers 1..1000, --blocks >= 1, --requests >= 100,"
              + " --rounds 1..1000; got "
              + String.join(" ", args));
    }
    new ApiLoadRun(values[0], values[1], values[2], values[3], values[4]).run();
  }

  private void run() throws Exception {
    Process server =
        LoadServer.startProcess(String.valueOf(validators + 10), String.valueOf(blocks), "http");
    List<Socket> sockets = new ArrayList<>();
    try {
      BufferedReader serverOut =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      OutputStream serverIn = server.getOutputStream();
      int port = Integer.parseInt(expect(serverOut, "listening "));
      int httpPort = Integer.parseInt(expect(serverOut, "http "));
      System.out.printf(
          Locale.ROOT,
          "api load run: %d blocks, %d validators connected, %d event-stream subscribers;"
              + " server pid %d%n",
          blocks,
          validators,
          subscribers,
          server.pid());
      for (int i = 0; i < validators; i++) {
        Socket socket = connect(port);
        sockets.add(socket);
        socket
            .getOutputStream()
            .write(
                ("{\"type\":\"hello\",\"version\":2}\n{\"type\":\"stake\",\"amount\":"
                        + (1 + i % 1000)
                        + "}\n")
                    .getBytes(StandardCharsets.US_ASCII));
      }
      Socket proposer = connect(port);
      sockets.add(proposer);
      BufferedReader proposerIn =
          new BufferedReader(
              new InputStreamReader(proposer.getInputStream(), StandardCharsets.UTF_8));
      send(proposer, "{\"type\":\"hello\",\"version\":2}\n{\"type\":\"stake\",\"amount\":1000}\n");
      awaitLine(proposerIn, "\"type\":\"registered\"");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI status = URI.create("http://127.0.0.1:" + httpPort + "/posj/v1/node/status");
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!get(http, status).contains("\"validators\":\"" + (validators + 1) + "\"")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the validators did not all register in time");
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      for (int s = 0; s < subscribers; s++) {
        sockets.add(subscribe(httpPort, s));
      }

      double[] head =
          getHead(http, URI.create("http://127.0.0.1:" + httpPort + "/posj/v1/blocks/head"));
      System.out.printf(
          Locale.ROOT,
          "GET /posj/v1/blocks/head, %d requests on one connection (after %d not counted): p50"
              + " %.3f ms, p99 %.3f ms, max %.3f ms%n",
          requests,
          requests / 10,
          percentile(head, 0.50),
          percentile(head, 0.99),
          head[head.length - 1]);

      double[] latencies = new double[rounds * subscribers];
      // Round 0 is a warm-up (the JIT compiles the round's path): printed, not counted.
      for (int r = -1; r < rounds; r++) {
        send(proposer, "{\"type\":\"propose\",\"bpm\":" + (61 + r % 39) + "}\n");
        awaitLine(proposerIn, "\"type\":\"proposal-accepted\"");
        serverIn.write("round\n".getBytes(StandardCharsets.US_ASCII));
        serverIn.flush();
        expect(serverOut, "tick ");
        long stored = Long.parseLong(expect(serverOut, "stored "));
        expect(serverOut, "done");
        long index = blocks + r + 1L;
        long[] times = received.computeIfAbsent(index, k -> new long[subscribers]);
        long until = System.nanoTime() + WAIT.toNanos();
        while (Arrays.stream(times).anyMatch(t -> t == 0)) {
          if (System.nanoTime() > until) {
            throw new IllegalStateException("not every subscriber got the head event " + index);
          }
          TimeUnit.MILLISECONDS.sleep(1);
        }
        double[] round = new double[subscribers];
        for (int s = 0; s < subscribers; s++) {
          round[s] = (times[s] - stored) / 1000.0;
        }
        Arrays.sort(round);
        if (r >= 0) {
          System.arraycopy(round, 0, latencies, r * subscribers, subscribers);
        }
        System.out.printf(
            Locale.ROOT,
            "round %4s: head event to %d subscribers: first %.2f ms, p50 %.2f ms, last %.2f ms%n",
            r < 0 ? "w" : String.valueOf(r + 1),
            subscribers,
            round[0],
            percentile(round, 0.50),
            round[subscribers - 1]);
      }
      Arrays.sort(latencies);
      System.out.printf(
          Locale.ROOT,
          "head event, block stored -> read by each of %d subscribers, %d rounds: p50 %.2f ms,"
              + " p99 %.2f ms, max %.2f ms (after a warm-up round)%n",
          subscribers,
          rounds,
          percentile(latencies, 0.50),
          percentile(latencies, 0.99),
          latencies[latencies.length - 1]);
      serverIn.write("quit\n".getBytes(StandardCharsets.US_ASCII));
      serverIn.flush();
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private double[] getHead(HttpClient http, URI uri) throws Exception {
    double[] millis = new double[requests];
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(WAIT).GET().build();
    // A tenth more first, not measured: the JIT compiles the path.
    for (int i = -requests / 10; i < requests; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (i >= 0) {
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET head answered " + response.statusCode());
      }
    }
    Arrays.sort(millis);
    return millis;
  }

  /** A subscriber on its own thread, noting when each head event arrives. */
  private Socket subscribe(int httpPort, int slot) throws IOException {
    Socket socket = connect(httpPort);
    send(
        socket,
        "GET /posj/v1/events?topics=head HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream"
            + "\r\n\r\n");
    Thread reader =
        new Thread(
            () -> {
              try {
                BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  Matcher head = HEAD_INDEX.matcher(line);
                  if (head.find()) {
                    long now = micros(Instant.now());
                    received
                            .computeIfAbsent(
                                Long.parseLong(head.group(1)), k -> new long[subscribers])[slot] =
                        now;
                  }
                }
              } catch (IOException e) {
                // The run is over: its sockets are closed.
              }
            },
            "subscriber-" + slot);
    reader.setDaemon(true);
    reader.start();
    return socket;
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  private static void awaitLine(BufferedReader in, String contains) throws IOException {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.contains(contains)) {
        return;
      }
    }
    throw new IOException("the connection closed before a line with " + contains);
  }

  /** The rest of the server's next line, which must start with {@code prefix}. */
  private static String expect(BufferedReader serverOut, String prefix) throws IOException {
    String line = serverOut.readLine();
    if (line == null || !line.startsWith(prefix)) {
      throw new IllegalStateException("expected '" + prefix + "...' from the server, got " + line);
    }
    return line.substring(prefix.length()).strip();
  }

  private static String get(HttpClient http, URI uri) throws Exception {
    return http.send(
            HttpRequest.newBuilder(uri).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static double percentile(double[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
  }
}
