package io.github.posj.net.node;

import io.github.posj.core.genesis.Genesis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A test peer: raw peer-protocol lines over a loopback socket, reads bounded by 10 s. */
final class PeerLine implements AutoCloseable {
  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  PeerLine(int port) {
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

  /** A peer that read the node's hello and said its own for {@code genesis}. */
  static PeerLine helloed(int port, Genesis genesis) {
    PeerLine peer = new PeerLine(port);
    PeerMessage first = peer.next();
    if (!(first instanceof PeerMessage.Hello)) {
      throw new AssertionError("expected a hello, got " + first);
    }
    peer.send(new PeerMessage.Hello(genesis.hash(), "0000000000000abc", Optional.empty()));
    return peer;
  }

  void send(String line) {
    try {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // The node may have closed already; what it said is read next.
    }
  }

  void send(PeerMessage message) {
    send(PeerWire.encode(message));
  }

  /** The next message; fails after 10 s or at the end of the stream. */
  PeerMessage next() {
    try {
      String line = in.readLine();
      if (line == null) {
        throw new AssertionError("the node closed the connection");
      }
      return PeerWire.decode(line);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no line from the node within 10 s");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The reason of the node's {@code closing} line, skipping other messages, after which the node
   * closes the connection (checked).
   */
  String closing() {
    for (int i = 0; i < 10_000; i++) {
      PeerMessage message = next();
      if (message instanceof PeerMessage.Closing c) {
        try {
          if (in.readLine() != null) {
            throw new AssertionError("the node sent more after closing");
          }
        } catch (IOException e) {
          // reset by the node: closed
        }
        return c.reason();
      }
    }
    throw new AssertionError("no closing among 10,000 messages");
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
