package io.github.posj.net.protocol;

/**
 * A message of the validator protocol, in either direction: a {@link ClientMessage} or a {@link
 * ServerMessage}. Messages are values; how they look on the wire (the tutorial's text dialogue or
 * JSON lines) is {@link io.github.posj.net.codec.WireFormat}'s business.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface Message permits ClientMessage, ServerMessage {}
