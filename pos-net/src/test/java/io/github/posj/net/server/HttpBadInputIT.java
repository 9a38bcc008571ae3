package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.round.RoundOutcome;
import io.github.posj.net.http.HttpSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad HTTP input: a clear 4xx (or 503 past the connection bound), never a crash or a stalled round.
 * Sockets on 127.0.0.1 only; every loop is bounded.
 */
final class HttpBadInputIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final ServerResources servers = new ServerResources();

  private ValidatorServer server(HttpSettings settings) {
    return servers.start(TestServers.config().http(settings));
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  /** The status line of the answer, e.g. {@code HTTP/1.1 414 Request-URI Too Long}. */
  private static String statusLine(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\r' && line.length() < 200; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }

  /** The sockets with something to read. */
  private static int answered(List<Socket> sockets) {
    int answered = 0;
    for (Socket socket : sockets) {
      try {
        if (socket.getInputStream().available() > 0) {
          answered++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return answered;
  }

  /** A validator proposes and a round forges a block: the node is not stalled. */
  private void assertRoundsGoOn(ValidatorServer server) throws Exception {
    TestClient client = servers.client(server, WAIT);
    client.registerAndPropose(10, 72, WAIT);
    assertThat(server.runRoundNow().get(10, TimeUnit.SECONDS))
        .isInstanceOf(RoundOutcome.Forged.class);
  }

  @Test
  void requestLine_ofOneMegabyte_is414AndTheNodeGoesOn() throws Exception {
    ValidatorServer server = server(HttpSettings.onPort(0));
    try (Socket socket = connect(server.httpPort().orElseThrow())) {
      OutputStream out = socket.getOutputStream();
      byte[] path = "a".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      out.write("GET /".getBytes(StandardCharsets.US_ASCII));
      out.write(path);
      out.write(" HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();

      assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 414 Request-URI Too Long");
    }
    assertRoundsGoOn(server);
    assertThat(new ApiClient(server).get("/posj/v1/node/health").status()).isEqualTo(200);
  }

  @Test
  void headers_tooLarge_is431() throws Exception {
    ValidatorServer server = server(HttpSettings.onPort(0));
    try (Socket socket = connect(server.httpPort().orElseThrow())) {
      String header = "X-Big: " + "b".repeat(20_000) + "\r\n";
      socket
          .getOutputStream()
          .write(("GET / HTTP/1.1\r\n" + header + "\r\n").getBytes(StandardCharsets.US_ASCII));

      assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
    }
  }

  @Test
  void garbage_insteadOfHttp_is400() throws Exception {
    ValidatorServer server = server(HttpSettings.onPort(0));
    try (Socket socket = connect(server.httpPort().orElseThrow())) {
      socket.getOutputStream().write("\u0000\u0001 hello\r\n\r\n".getBytes(StandardCharsets.UTF_8));

      assertThat(statusLine(socket)).startsWith("HTTP/1.1 400");
    }
  }

  @Test
  void idleConnections_pastTheBound_are503AndTheNodeGoesOn() throws Exception {
    int bound = 1000;
    // 10,000 as the issue asks, unless this process may not hold them: each costs two descriptors
    // here (the test's socket and the server's), and the JVM holds some already.
    var os =
        (com.sun.management.UnixOperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long spare = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 512;
    int opened = (int) Math.min(10_000, spare / 2);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        opened >= 2 * bound,
        "SKIPPED: this process may open only "
            + os.getMaxFileDescriptorCount()
            + " files; raise ulimit -n to run 10,000 idle connections");
    if (opened < 10_000) {
      System.out.println(
          "HttpBadInputIT: "
              + opened
              + " idle connections, not 10,000: the file descriptor limit is "
              + os.getMaxFileDescriptorCount());
    }
    ValidatorServer server = server(HttpSettings.onPort(0));
    int port = server.httpPort().orElseThrow();
    List<Socket> sockets = new ArrayList<>(opened);
    try {
      for (int i = 0; i < opened; i++) {
        sockets.add(connect(port));
      }
      // Which connections are over the bound depends on the order the event loops admit them.
      Await.until(
          "every connection over the bound is answered", () -> answered(sockets) == opened - bound);
      int refused = 0;
      for (Socket socket : sockets) {
        if (socket.getInputStream().available() > 0) {
          assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 503 Service Unavailable");
          refused++;
        }
      }
      assertThat(refused).isEqualTo(opened - bound);
      assertRoundsGoOn(server);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    ApiClient api = new ApiClient(server);
    Await.until(
        "the idle connections are gone", () -> api.get("/posj/v1/node/version").status() == 200);
  }
}
