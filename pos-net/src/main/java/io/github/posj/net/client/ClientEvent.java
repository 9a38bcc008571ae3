package io.github.posj.net.client;

import io.github.posj.net.protocol.ServerMessage;
import java.util.Objects;

/**
 * What a {@link ValidatorClient} hands its {@link ClientListener}: a message from the server, in
 * the protocol's own model ({@link ServerMessage}, the same records the server sends), or the end
 * of the connection.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface ClientEvent {
  /**
   * The server sent this message.
   *
   * @param message the decoded line
   */
  record Received(ServerMessage message) implements ClientEvent {
    /** Checks the component. */
    public Received {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The connection is closed; always the last event, delivered exactly once.
   *
   * @param reason the server's closing line, {@code slashed: …}, {@code closed by the client}, or
   *     what ended the connection
   */
  record Closed(String reason) implements ClientEvent {
    /** Checks the component. */
    public Closed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
