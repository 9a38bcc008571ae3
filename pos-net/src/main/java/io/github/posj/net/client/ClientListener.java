package io.github.posj.net.client;

/**
 * Receives what the server says to one {@link ValidatorClient}.
 *
 * <p>Contract: the client calls {@link #onEvent} from its own reader thread only, one call at a
 * time, in the order the server sent the lines; every JSON line the server sends after the hello is
 * delivered as a {@link ClientEvent.Received} (the {@code welcome} and {@code registered} answers
 * included), and the last call is always one {@link ClientEvent.Closed}, exactly once, after which
 * no call follows. The first call may come before {@link ValidatorClient#connect} returns.
 *
 * <p>A listener must return quickly: while it runs the client reads nothing, so a slow listener
 * slows its own connection (and a server drops a connection that falls too far behind). A listener
 * that throws ends the connection: the client closes it and delivers {@link ClientEvent.Closed}.
 */
@FunctionalInterface
public interface ClientListener {
  /** Handles one event; called on the client's reader thread. */
  void onEvent(ClientEvent event);
}
