package io.github.posj.net.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Objects;

/**
 * Why a server could not listen, in words an operator can act on.
 *
 * <p>Stateless; thread-safe.
 */
public final class BindFailure {
  private BindFailure() {}

  /** The exception to throw when binding {@code address:port} failed with {@code cause}. */
  public static IllegalStateException of(String address, int port, Exception cause) {
    return new IllegalStateException(
        "cannot listen on "
            + address
            + ":"
            + port
            + ": "
            + Objects.requireNonNullElse(cause.getMessage(), "the address cannot be used")
            + hint(address),
        cause);
  }

  /** Why a bind may have failed: the address is not this machine's, or the port is taken. */
  private static String hint(String address) {
    try {
      InetAddress inet = InetAddress.getByName(address);
      if (!inet.isAnyLocalAddress() && NetworkInterface.getByInetAddress(inet) == null) {
        return " ("
            + address
            + " is not an address of this machine; use 127.0.0.1, 0.0.0.0 for every interface,"
            + " or an address of one of its network interfaces)";
      }
    } catch (IOException e) {
      return " (" + address + " is not a known host name or address)";
    }
    return " (is another server using the port? choose another one, or 0 for any free port)";
  }
}
