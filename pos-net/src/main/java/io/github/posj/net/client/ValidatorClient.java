package io.github.posj.net.client;

import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.codec.ReasonText;
import io.github.posj.net.codec.WireFormat;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.ServerMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A validator that talks to a {@code ValidatorServer} in the JSON-lines mode: connect, {@link
 * #register} a stake, {@link #propose} BPMs, and read what the server says from {@link #events()}.
 *
 * <p>A plain blocking socket and one daemon reader thread per client: simple, no event loop to
 * share or shut down, and enough for a validator (one connection) or a test with a thousand. The
 * reader turns each server line into a {@link ClientEvent} on the queue; the last event is always
 * {@link ClientEvent.Closed}.
 *
 * <p>Thread-safe: sending methods may be called from any thread; events are consumed from the queue
 * by one or more threads.
 */
public final class ValidatorClient implements AutoCloseable {
  private static final long READER_STACK_BYTES = 256 * 1024;

  private final Socket socket;
  private final OutputStream out;
  private final Duration timeout;
  private final BlockingQueue<ClientEvent> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> welcome = new CompletableFuture<>();
  private final Object registrationLock = new Object();
  private CompletableFuture<ValidatorId> registration;
  private volatile ValidatorId address;
  private volatile boolean closing;

  private ValidatorClient(Socket socket, Duration timeout) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.timeout = timeout;
  }

  /**
   * Connects to {@code host:port} and switches the connection to the JSON mode.
   *
   * @param timeout the longest wait for the connection and the server's welcome; also the default
   *     wait of {@link #register}
   * @throws IOException if the server cannot be reached or does not answer the hello in time
   */
  public static ValidatorClient connect(String host, int port, Duration timeout)
      throws IOException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(timeout, "timeout");
    Socket socket = new Socket();
    ValidatorClient client;
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
      client = new ValidatorClient(socket, timeout);
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
      client.send(WireFormat.hello());
      await(client.welcome, timeout, "the server's welcome");
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
   * @throws IOException if the server refused the stake (the message says why), closed the
   *     connection, or did not answer within the connect timeout
   */
  public ValidatorId register(long stake) throws IOException {
    CompletableFuture<ValidatorId> pending = new CompletableFuture<>();
    synchronized (registrationLock) {
      registration = pending;
    }
    send(WireFormat.encodeJson(ClientMessage.Stake.of(stake)));
    return await(pending, timeout, "the answer to the stake");
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

  /** The events, in arrival order. */
  public BlockingQueue<ClientEvent> events() {
    return events;
  }

  /**
   * Takes events until one of {@code type} arrives, dropping the others.
   *
   * @throws IOException if none arrives within {@code timeout} ({@link SocketTimeoutException}), or
   *     the connection closed first (unless {@code type} is {@link ClientEvent.Closed})
   */
  public <T extends ClientEvent> T awaitEvent(Class<T> type, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      ClientEvent event;
      try {
        event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + type.getSimpleName());
      }
      if (event == null) {
        throw new SocketTimeoutException(
            "no " + type.getSimpleName() + " event within " + timeout.toMillis() + " ms");
      }
      if (type.isInstance(event)) {
        return type.cast(event);
      }
      if (event instanceof ClientEvent.Closed closed) {
        events.add(closed);
        throw new IOException(
            "connection closed before a " + type.getSimpleName() + " event: " + closed.reason());
      }
    }
  }

  /** Closes the connection; idempotent. A {@link ClientEvent.Closed} event follows. */
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
          Optional<String> reason = dispatch(message.get());
          if (reason.isPresent()) {
            closedReason = reason.get();
          }
        }
      }
    } catch (IOException e) {
      closedReason = closing ? "closed by the client" : "connection failed: " + e.getMessage();
    }
    if (closing) {
      closedReason = "closed by the client";
    }
    IOException failure = new IOException(closedReason);
    welcome.completeExceptionally(failure);
    failRegistration(failure);
    events.add(new ClientEvent.Closed(closedReason));
    close();
  }

  /** Turns a message into an event; returns the closing reason if the server is closing. */
  private Optional<String> dispatch(ServerMessage message) {
    if (message instanceof ServerMessage.Welcome m) {
      welcome.complete(m.version());
    } else if (message instanceof ServerMessage.Registered m) {
      address = m.address();
      events.add(new ClientEvent.Registered(m.address(), m.stake()));
      synchronized (registrationLock) {
        if (registration != null) {
          registration.complete(m.address());
        }
      }
    } else if (message instanceof ServerMessage.ProposalAccepted m) {
      events.add(new ClientEvent.ProposalAccepted(m.index()));
    } else if (message instanceof ServerMessage.RoundResult m) {
      events.add(
          new ClientEvent.RoundResult(
              m.round(), m.winner(), m.height(), m.reason().map(ReasonText::skipReason)));
    } else if (message instanceof ServerMessage.ChainUpdate m) {
      events.add(new ClientEvent.ChainUpdate(m.blocks()));
    } else if (message instanceof ServerMessage.Slashed m) {
      events.add(new ClientEvent.Slashed(m.reason()));
      return Optional.of("slashed: " + m.reason());
    } else if (message instanceof ServerMessage.Error m) {
      // Fail a pending registration before publishing the event: a thread that saw the event
      // and then registers must not have its new registration failed by this old error.
      failRegistration(new IOException(m.message()));
      events.add(new ClientEvent.Error(m.message()));
    } else if (message instanceof ServerMessage.Closing m) {
      welcome.completeExceptionally(new IOException(m.reason()));
      failRegistration(new IOException(m.reason()));
      return Optional.of(m.reason());
    }
    return Optional.empty();
  }

  private void failRegistration(IOException failure) {
    synchronized (registrationLock) {
      if (registration != null) {
        registration.completeExceptionally(failure);
      }
    }
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout, String what)
      throws IOException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + what);
    } catch (TimeoutException e) {
      throw new SocketTimeoutException("no " + what + " within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io
          ? new IOException(io.getMessage(), io)
          : new IOException(cause);
    }
  }
}
