package io.github.posj.net.node;

import io.github.posj.core.genesis.Genesis;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test peer: raw peer-protocol lines over a loopback socket ({@link LineClient}'s), reads bounded
 * by 10 s.
 */
final class PeerLine implements AutoCloseable {
  private final LineClient lines;

  PeerLine(int port) {
    lines = new LineClient(port);
  }

  /** Node ids for {@link #helloed}: each test peer its own. */
  private static final AtomicLong NODE_IDS = new AtomicLong(0xabc);

  /**
   * A peer that read the node's hello and said its own for {@code genesis}, with a node id no other
   * test peer has: one after another, a peer that said the id of one the node has closed but not
   * yet forgotten would be refused as "already connected to this peer".
   */
  static PeerLine helloed(int port, Genesis genesis) {
    PeerLine peer = new PeerLine(port);
    PeerMessage first = peer.next();
    if (!(first instanceof PeerMessage.Hello)) {
      throw new AssertionError("expected a hello, got " + first);
    }
    String nodeId = String.format("%016x", NODE_IDS.getAndIncrement());
    peer.send(new PeerMessage.Hello(genesis.hash(), nodeId, Optional.empty()));
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
