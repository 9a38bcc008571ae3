package io.github.posj.net.node;

import io.github.posj.core.genesis.Genesis;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A test peer: raw peer-protocol lines over a loopback socket ({@link LineClient}'s), reads bounded
 * by 10 s.
 */
final class PeerLine implements AutoCloseable {
  private final LineClient lines;

  PeerLine(int port) {
    lines = new LineClient(port);
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
      lines.send(line);
    } catch (UncheckedIOException e) {
      // The node may have closed already; what it said is read next.
    }
  }

  void send(PeerMessage message) {
    send(PeerWire.encode(message));
  }

  /** The next message; fails after 10 s or at the end of the stream. */
  PeerMessage next() {
    String line =
        lines.line().orElseThrow(() -> new AssertionError("the node closed the connection"));
    return PeerWire.decode(line);
  }

  /**
   * The reason of the node's {@code closing} line, skipping other messages, after which the node
   * closes the connection (checked: end of stream or a reset).
   */
  String closing() {
    for (int i = 0; i < 10_000; i++) {
      PeerMessage message = next();
      if (message instanceof PeerMessage.Closing c) {
        if (lines.line().isPresent()) {
          throw new AssertionError("the node sent more after closing");
        }
        return c.reason();
      }
    }
    throw new AssertionError("no closing among 10,000 messages");
  }

  @Override
  public void close() {
    lines.close();
  }
}
