package io.github.posj.cli.options;

import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.net.http.HttpSettings;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --http-port} and {@code --http-bind}, for the commands that run a node ({@code pos
 * server}, {@code pos node}): the HTTP API, the live page and the metrics (docs/api.md), off unless
 * a port is given. Not thread-safe; confine to the command's thread.
 */
public final class HttpOptions {
  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description =
          "Serve the HTTP API, the live page (/) and /metrics on this port; 0 picks a free one."
              + " Off unless given (docs/api.md).")
  Integer port;

  @Option(
      names = "--http-bind",
      paramLabel = "ADDR",
      defaultValue = HttpSettings.DEFAULT_BIND_ADDRESS,
      description =
          "Address the HTTP API listens on (default ${DEFAULT-VALUE}: this machine only; it has"
              + " no authentication).")
  String bind;

  /**
   * The API's settings, when {@code --http-port} is given.
   *
   * @throws CommandFailure a usage error for a port outside 0 to 65535
   */
  public Optional<HttpSettings> settings() {
    if (port == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(HttpSettings.onPort(port).withBindAddress(bind));
    } catch (IllegalArgumentException e) {
      throw new CommandFailure("--http-port: " + e.getMessage(), PosCommand.USAGE);
    }
  }

  /** The line a node prints once its API listens on {@code boundPort}. */
  public String listening(int boundPort) {
    return "HTTP API on http://"
        + (bind.contains(":") ? "[" + bind + "]" : bind)
        + ":"
        + boundPort
        + "/ (the live page; the API under /posj/v1/, metrics at /metrics)";
  }
}
