package io.github.posj.net.client;

import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.codec.WireFormat;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.ProtocolLimits;
import io.github.posj.net.protocol.ServerMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A validator that talks to a {@code ValidatorServer} in the JSON-lines mode: {@link #connect},
 * {@link #register} a stake, {@link #propose} BPMs; what the server says goes to the {@link
 * ClientListener} given to {@link #connect}, under that interface's contract.
 *
 * <p>A plain blocking socket and one daemon reader thread per client: simple, no event loop to
 * share or shut down, and enough for a validator (one connection) or a fleet of a thousand. The
 * client keeps no queue of its own: each line is decoded and handed to the listener, which decides
 * what to keep ({@link ClientInbox} keeps them for one consumer).
 *
 * <p>Thread-safe: sending methods may be called from any thread.
 */
public final class ValidatorClient implements AutoCloseable {
  private static final long READER_STACK_BYTES = 256 * 1024;

  private final Socket socket;
  private final OutputStream out;
  private final Duration timeout;
  private final ClientListener listener;
  private final CompletableFuture<Integer> welcome = new CompletableFuture<>();
  private final Object registrationLock = new Object();
  private CompletableFuture<ValidatorId> registration;
  private long offeredStake;
  private volatile ValidatorId address;
  private volatile boolean closing;

  private ValidatorClient(Socket socket, Duration timeout, ClientListener listener)
      throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.timeout = timeout;
    this.listener = listener;
  }

  /**
   * Connects to {@code host:port} and switches the connection to the JSON mode, protocol version
   * {@link ProtocolLimits#VERSION} (each forged block arrives as a {@link
   * ServerMessage.BlockAdded}; no whole chains).
   *
   * @see #connect(String, int, Duration, ClientListener, int)
   */
  public static ValidatorClient connect(
      String host, int port, Duration timeout, ClientListener listener) throws IOException {
    return connect(host, port, timeout, listener, ProtocolLimits.VERSION);
  }

  /**
   * Connects to {@code host:port} and switches the connection to the JSON mode.
   *
   * @param timeout the longest wait for the TCP connection, and then for the server's welcome; also
   *     the wait of {@link #register}
   * @param listener receives every event of this connection, on the client's reader thread
   * @param version the protocol version to speak: 1 (the whole chain after each forged block and
   *     every broadcast interval) or 2 (each new block; ranges with {@link #requestBlocks})
   * @throws java.net.UnknownHostException if {@code host} cannot be resolved
   * @throws HandshakeException if the TCP connection was made but the server did not welcome the
   *     hello in time (or closed instead)
   * @throws IOException if the server cannot be reached
   */
  public static ValidatorClient connect(
      String host, int port, Duration timeout, ClientListener listener, int version)
      throws IOException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(listener, "listener");
    Socket socket = new Socket();
    ValidatorClient client;
    try {
      socket.setTcpNoDelay(true);
      // Socket takes an int of milliseconds: a longer wait is as good as for ever.
      int connectMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
      socket.connect(new InetSocketAddress(host, port), connectMillis);
      client = new ValidatorClient(socket, timeout, listener);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    Thread reader =
        new Thread(
            null, client::readLoop, "posj-client-" + socket.getLocalPort(), READER_STACK_BYTES);
    reader.setDaemon(true);
    reader.start();
    try {
      client.send(WireFormat.encodeJson(new ClientMessage.Hello(version)));
      await(client.welcome, timeout, "connected, but the server sent no welcome");
    } catch (IOException e) {
      client.close();
      throw e;
    }
    return client;
  }

  /**
   * Offers {@code stake} and waits for the answer.
   *
   * @return this validator's address
   * @throws StakeRefusedException if the server refused the stake (the message says why)
   * @throws HandshakeException if the connection closed, or no answer came within the connect
   *     timeout
   * @throws IOException if the stake could not be sent
   */
  public ValidatorId register(long stake) throws IOException {
    CompletableFuture<ValidatorId> pending = new CompletableFuture<>();
    synchronized (registrationLock) {
      registration = pending;
      offeredStake = stake;
    }
    send(WireFormat.encodeJson(ClientMessage.Stake.of(stake)));
    return await(pending, timeout, "connected, but the server sent no answer to the stake");
  }

  /**
   * Asks for up to {@code count} blocks from Index {@code from} (protocol version 2); the answer
   * arrives as a {@link ServerMessage.Blocks} event.
   */
  public void requestBlocks(long from, long count) throws IOException {
    send(WireFormat.getBlocks(from, count));
  }

  /** Proposes {@code bpm} for the current round; the answer arrives as an event. */
  public void propose(long bpm) throws IOException {
    send(WireFormat.encodeJson(ClientMessage.Propose.of(bpm)));
  }

  /**
   * Sends one raw line as is (with a {@code \n} appended); for tests of bad input, e.g. a propose
   * whose bpm is not an integer.
   */
  public void sendLine(String line) throws IOException {
    send(line + "\n");
  }

  /** This validator's address once registered. */
  public Optional<ValidatorId> address() {
    return Optional.ofNullable(address);
  }

  /** Closes the connection; idempotent. The listener gets {@link ClientEvent.Closed} next. */
  @Override
  public void close() {
    closing = true;
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do: the socket is unusable either way.
    }
  }

  private void send(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(bytes);
      out.flush();
    }
  }

  private void readLoop() {
    String closedReason = "connection closed by the server";
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Optional<ServerMessage> message = WireFormat.decodeServerJson(line);
        if (message.isPresent()) {
          Optional<String> reason = handle(message.get());
          listener.onEvent(new ClientEvent.Received(message.get()));
          if (reason.isPresent()) {
            closedReason = reason.get();
          }
        }
      }
    } catch (IOException e) {
      closedReason = "connection failed: " + e.getMessage();
    } catch (RuntimeException e) {
      closedReason = "the client's listener failed: " + e.getMessage();
    }
    if (closing) {
      closedReason = "closed by the client";
    }
    welcome.completeExceptionally(
        new HandshakeException(
            "the server closed the connection before its welcome: " + closedReason));
    failRegistration(
        new HandshakeException(
            "the server closed the connection before answering the stake: " + closedReason));
    close();
    listener.onEvent(new ClientEvent.Closed(closedReason));
  }

  /**
   * Completes what a caller may be waiting for; returns the closing reason if the server is
   * closing. Runs before the listener sees the message, so a listener that acts on {@code
   * registered} finds {@link #address()} set.
   */
  private Optional<String> handle(ServerMessage message) {
    if (message instanceof ServerMessage.Welcome m) {
      welcome.complete(m.version());
    } else if (message instanceof ServerMessage.Registered m) {
      address = m.address();
      synchronized (registrationLock) {
        if (registration != null) {
          registration.complete(m.address());
        }
      }
    } else if (message instanceof ServerMessage.Slashed m) {
      return Optional.of("slashed: " + m.reason());
    } else if (message instanceof ServerMessage.Error m) {
      refuseRegistration(m.message());
    } else if (message instanceof ServerMessage.Closing m) {
      welcome.completeExceptionally(new HandshakeException(m.reason()));
      refuseRegistration(m.reason());
      return Optional.of(m.reason());
    }
    return Optional.empty();
  }

  private void refuseRegistration(String reason) {
    synchronized (registrationLock) {
      if (registration != null) {
        registration.completeExceptionally(new StakeRefusedException(offeredStake, reason));
      }
    }
  }

  private void failRegistration(IOException failure) {
    synchronized (registrationLock) {
      if (registration != null) {
        registration.completeExceptionally(failure);
      }
    }
  }

  /**
   * Waits for {@code future}; on a timeout, a {@link HandshakeException} with {@code missing} and
   * the wait.
   */
  private static <T> T await(CompletableFuture<T> future, Duration timeout, String missing)
      throws IOException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting: " + missing);
    } catch (TimeoutException e) {
      throw new HandshakeException(missing + " within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw rethrown(e);
    }
  }

  /** The cause of a failed future, a fresh copy so that the stack shows the waiting caller. */
  private static IOException rethrown(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof StakeRefusedException refused) {
      return new StakeRefusedException(refused.stake(), refused.getMessage());
    }
    if (cause instanceof HandshakeException handshake) {
      return new HandshakeException(handshake.getMessage());
    }
    return cause instanceof IOException io
        ? new IOException(io.getMessage(), io)
        : new IOException(String.valueOf(cause.getMessage()), cause);
  }
}
