package io.github.posj.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP forwarder on the loopback to one node's peer port, that a test can {@link #cut} and {@link
 * #heal}: a network partition between real {@code pos node} processes. Thread-per-connection; test
 * code only.
 *
 * <p>It forwards the peer protocol line by line and hides the nodes' addresses on the way: the
 * {@code listen} of a {@code hello} is removed and a {@code peers} answer is emptied. Otherwise the
 * nodes on either side would learn each other's real peer ports (peer exchange) and dial them
 * directly, around the proxy.
 *
 * <p>Cut: every forwarded connection is closed, and new ones are accepted but held unanswered (the
 * node's hello waits in the socket). Healed: the held connections are forwarded at once, so the
 * nodes meet again without waiting for their redial backoff.
 *
 * <p>Thread-safe.
 */
final class PeerProxy implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] HELLO = "{\"type\":\"hello\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PEERS = "{\"type\":\"peers\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_PEERS =
      "{\"type\":\"peers\",\"peers\":[]}".getBytes(StandardCharsets.US_ASCII);

  private final int upstreamPort;
  private final ServerSocket server;
  private final List<Link> open = new ArrayList<>();
  private final List<Socket> held = new ArrayList<>();
  private boolean cut;
  private boolean closed;
  private int forwarded;

  private PeerProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "peer-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy, healed, on a free loopback port, to {@code 127.0.0.1:upstreamPort}. */
  static PeerProxy to(int upstreamPort) throws IOException {
    return new PeerProxy(upstreamPort);
  }

  /** The address to give a node's {@code --peer}: {@code 127.0.0.1:port}. */
  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Closes every forwarded connection and holds new ones until {@link #heal}. */
  void cut() {
    List<Link> closing;
    synchronized (this) {
      cut = true;
      closing = List.copyOf(open);
      open.clear();
    }
    for (Link link : closing) {
      link.close();
    }
  }

  /** Forwards again, starting with the connections held while cut. */
  void heal() {
    List<Socket> waiting;
    synchronized (this) {
      cut = false;
      waiting = List.copyOf(held);
      held.clear();
    }
    for (Socket client : waiting) {
      forward(client);
    }
  }

  /** How many connections were forwarded so far. */
  synchronized int forwarded() {
    return forwarded;
  }

  @Override
  public void close() {
    List<Link> links;
    List<Socket> waiting;
    synchronized (this) {
      closed = true;
      links = List.copyOf(open);
      waiting = List.copyOf(held);
      open.clear();
      held.clear();
    }
    quietly(server);
    links.forEach(Link::close);
    waiting.forEach(PeerProxy::quietly);
  }

  @Override
  public String toString() {
    return "proxy " + address() + " -> 127.0.0.1:" + upstreamPort;
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      boolean hold;
      synchronized (this) {
        if (closed) {
          quietly(client);
          return;
        }
        hold = cut;
        if (hold) {
          held.add(client);
        }
      }
      if (!hold) {
        forward(client);
      }
    }
  }

  private void forward(Socket client) {
    Socket upstream = new Socket();
    try {
      upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2000);
    } catch (IOException e) {
      // The node is down (killed, restarting): the dialling node sees a closed connection.
      quietly(upstream);
      quietly(client);
      return;
    }
    Link link = new Link(client, upstream);
    synchronized (this) {
      if (cut || closed) {
        link.close();
        return;
      }
      open.add(link);
      forwarded++;
    }
    link.start();
  }

  /** One forwarded connection: two pumps, closed together. */
  private final class Link {
    private final Socket client;
    private final Socket upstream;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      pump(client, upstream, "up");
      pump(upstream, client, "down");
    }

    private void pump(Socket from, Socket to, String direction) {
      Thread pump =
          new Thread(
              () -> {
                try (InputStream in = new BufferedInputStream(from.getInputStream(), 65_536)) {
                  OutputStream out = to.getOutputStream();
                  ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
                  for (int b; (b = in.read()) != -1; ) {
                    line.write(b);
                    if (b == '\n') {
                      out.write(hideAddresses(line.toByteArray()));
                      out.flush();
                      line.reset();
                    }
                  }
                } catch (IOException e) {
                  // closed by the other pump, by cut() or by a node
                } finally {
                  close();
                }
              },
              "peer-proxy-" + server.getLocalPort() + "-" + direction);
      pump.setDaemon(true);
      pump.start();
    }

    void close() {
      synchronized (PeerProxy.this) {
        open.remove(this);
      }
      quietly(client);
      quietly(upstream);
    }
  }

  /** {@code line} (ending in a newline) with the addresses of a hello or peers answer hidden. */
  static byte[] hideAddresses(byte[] line) {
    if (startsWith(line, PEERS)) {
      return withNewline(NO_PEERS);
    }
    if (startsWith(line, HELLO)) {
      try {
        JsonNode hello = JSON.readTree(line);
        if (hello instanceof ObjectNode object && object.has("listen")) {
          object.remove("listen");
          return withNewline(JSON.writeValueAsBytes(object));
        }
      } catch (JsonProcessingException e) {
        return line; // not JSON after all: the node says what is wrong with it
      } catch (IOException e) {
        throw new IllegalStateException("reading bytes in memory", e);
      }
    }
    return line;
  }

  private static boolean startsWith(byte[] line, byte[] prefix) {
    if (line.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (line[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] withNewline(byte[] json) {
    byte[] out = new byte[json.length + 1];
    System.arraycopy(json, 0, out, 0, json.length);
    out[json.length] = '\n';
    return out;
  }

  private static void quietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing is best effort: the socket is gone either way
    }
  }
}
