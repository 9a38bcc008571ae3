package io.github.posj.net.codec;

import io.github.posj.net.protocol.ServerMessage;
import java.util.Objects;

/**
 * A server message and the mode to write it in, as the session chose it when it sent the message;
 * what {@link MessageEncoder} writes. The mode travels with each message (rather than living in a
 * channel attribute read at encoding time) so that a message is written in the mode the connection
 * was in when it was sent: the prompt every connection is greeted with stays text, and no JSON line
 * can overtake the {@code welcome}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param message the message
 * @param mode the form to write it in
 */
public record OutboundMessage(ServerMessage message, WireMode mode) {
  /** Checks the components. */
  public OutboundMessage {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(mode, "mode");
  }
}
