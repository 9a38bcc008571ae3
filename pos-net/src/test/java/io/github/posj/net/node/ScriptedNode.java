package io.github.posj.net.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake node on 127.0.0.1 for one validator connection: the test sends it {@link NodeMessage}s or
 * raw text and reads what the validator sent, each read bounded by {@link #TIMEOUT}.
 *
 * <p>Not thread-safe; confine to the test thread.
 */
final class ScriptedNode implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ServerSocket server;
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  ScriptedNode() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    server.setSoTimeout((int) TIMEOUT.toMillis());
  }

  int port() {
    return server.getLocalPort();
  }

  /** Accepts the validator's connection. */
  void accept() throws IOException {
    socket = server.accept();
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  void send(NodeMessage message) throws IOException {
    sendRaw(NodeWire.encode(message) + "\n");
  }

  void sendRaw(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Closes the sending side: the validator reads the end of the stream. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** The next message the validator sent, as the node would read it. */
  <T extends NodeMessage> T read(Class<T> type) throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new AssertionError("the validator closed the connection; expected a " + type);
    }
    return type.cast(NodeWire.decodeFromClient(line));
  }

  /** Every line the validator sends until it closes the connection. */
  List<String> readToEnd() throws IOException {
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null) {
      lines.add(line);
    }
    return lines;
  }

  @Override
  public void close() throws IOException {
    try {
      if (socket != null) {
        socket.close();
      }
    } finally {
      server.close();
    }
  }
}
