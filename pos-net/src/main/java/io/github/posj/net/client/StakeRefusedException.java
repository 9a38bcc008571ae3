package io.github.posj.net.client;

import java.io.IOException;

/** The server answered a stake with an {@code error} or a {@code closing} line. */
public final class StakeRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long stake;

  /**
   * A refusal of {@code stake}.
   *
   * @param stake the tokens offered
   * @param reason the server's words
   */
  public StakeRefusedException(long stake, String reason) {
    super(reason);
    this.stake = stake;
  }

  /** The tokens offered. */
  public long stake() {
    return stake;
  }
}
