package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A scripted raw-socket client, as {@code nc} would be: send bytes, expect exact bytes back, or the
 * end of the stream. Every read is bounded by a timeout.
 *
 * <p>Not thread-safe; confine to the test thread.
 */
public final class RawPeer implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawPeer(Socket socket) throws IOException {
    this.socket = socket;
    // Buffered: reading byte by byte must not cost a system call per byte.
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static RawPeer connect(int port) throws IOException {
    return connect(port, -1);
  }

  /** Connects, optionally with a small receive buffer (for slow-consumer tests). */
  public static RawPeer connect(int port, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    if (receiveBufferBytes > 0) {
      socket.setReceiveBufferSize(receiveBufferBytes);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    return new RawPeer(socket);
  }

  public void send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Closes only the sending side, as {@code nc -N} does at the end of its input. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Reads exactly as many bytes as {@code expected} has and asserts they are those bytes. */
  void expect(String expected) throws IOException {
    assertThat(read(expected.getBytes(StandardCharsets.UTF_8).length)).isEqualTo(expected);
  }

  /** Reads exactly {@code count} bytes. */
  String read(int count) throws IOException {
    byte[] bytes = in.readNBytes(count);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Reads up to and including the next {@code \n}. */
  String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      line.write(b);
      if (b == '\n') {
        break;
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Reads until {@code text} has been seen; returns everything read. */
  public String readUntil(String text) throws IOException {
    byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      seen.write(b);
      if (b == (wanted[wanted.length - 1] & 0xff)
          && seen.size() >= wanted.length
          && endsWith(seen.toByteArray(), wanted)) {
        return seen.toString(StandardCharsets.UTF_8);
      }
    }
    throw new IOException("stream ended before \"" + text + "\"; read: " + seen);
  }

  private static boolean endsWith(byte[] bytes, byte[] suffix) {
    int offset = bytes.length - suffix.length;
    for (int i = 0; i < suffix.length; i++) {
      if (bytes[offset + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Asserts that the server closed the connection: nothing more, then end of stream. */
  void expectEndOfStream() throws IOException {
    try {
      int b = in.read();
      assertThat(b).as("the next byte (expected end of stream)").isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + TIMEOUT, e);
    } catch (IOException e) {
      // A reset also means the server closed it.
    }
  }

  /** Reads and discards until end of stream; returns the number of bytes read. */
  long drainToEnd() throws IOException {
    long total = 0;
    byte[] buffer = new byte[8192];
    int n;
    try {
      while ((n = in.read(buffer)) != -1) {
        total += n;
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within " + TIMEOUT, e);
    } catch (IOException e) {
      // A reset also means the server closed it.
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
