package io.github.posj.net.session;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-connection limits a {@link ValidatorSession} and its {@link SessionHandler} enforce.
 *
 * <p>Immutable; thread-safe.
 *
 * @param maxStakeAttempts invalid stakes tolerated before the connection is closed, at least 1;
 *     also, counted apart, the other refused requests (unknown type, propose, second hello) before
 *     a stake
 * @param maxLineLength the longest line in bytes (for the message when a line is longer)
 * @param maxPendingLines the most lines of one connection read but not yet handled by the owner
 *     thread; at this many the server stops reading from the connection until half are handled; at
 *     least 1
 * @param maxBlankLines empty lines in a row tolerated at the text mode's BPM prompt (each is
 *     answered with the prompt); one more closes the connection; at least 0
 * @param idleTimeout how long a connection may stay unregistered and silent (for the message)
 * @param maxIdleRounds rounds in a row without an accepted proposal after which a registered
 *     validator is closed; 0: never
 * @param closeGracePeriod how long the server waits for a client to take the last line (a {@code
 *     closing} or {@code slashed} line) before it closes the connection anyway; positive
 */
public record SessionLimits(
    int maxStakeAttempts,
    int maxLineLength,
    int maxPendingLines,
    int maxBlankLines,
    Duration idleTimeout,
    int maxIdleRounds,
    Duration closeGracePeriod) {
  /** Checks the components. */
  public SessionLimits {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(closeGracePeriod, "closeGracePeriod");
    if (maxStakeAttempts < 1) {
      throw new IllegalArgumentException("maxStakeAttempts must be >= 1, got " + maxStakeAttempts);
    }
    if (maxPendingLines < 1) {
      throw new IllegalArgumentException("maxPendingLines must be >= 1, got " + maxPendingLines);
    }
    if (maxIdleRounds < 0) {
      throw new IllegalArgumentException("maxIdleRounds must be >= 0, got " + maxIdleRounds);
    }
    if (maxBlankLines < 0) {
      throw new IllegalArgumentException("maxBlankLines must be >= 0, got " + maxBlankLines);
    }
    if (closeGracePeriod.isNegative() || closeGracePeriod.isZero()) {
      throw new IllegalArgumentException(
          "closeGracePeriod must be positive, got " + closeGracePeriod.toMillis() + " ms");
    }
  }
}
