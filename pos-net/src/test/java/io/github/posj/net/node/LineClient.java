package io.github.posj.net.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A test client: raw lines over a loopback socket, reads bounded by a 10 s timeout. */
final class LineClient implements AutoCloseable {
  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  LineClient(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(String line) {
    try {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void send(NodeMessage message) {
    send(NodeWire.encode(message));
  }

  /** The next line; fails after 10 s; empty at the end of the stream. */
  Optional<String> line() {
    try {
      return Optional.ofNullable(in.readLine());
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no line from the node within 10 s");
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The next message from the node. */
  NodeMessage next() {
    String line = line().orElseThrow(() -> new AssertionError("the node closed the connection"));
    return NodeWire.decodeFromNode(line);
  }

  /** The next message of {@code type}, skipping others (slot starts, announcements). */
  <T extends NodeMessage> T next(Class<T> type) {
    for (int i = 0; i < 100; i++) {
      NodeMessage message = next();
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " among 100 messages");
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing
    }
  }
}
