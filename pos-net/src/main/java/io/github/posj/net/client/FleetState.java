package io.github.posj.net.client;

import java.util.Objects;

/**
 * Where a {@link ValidatorFleet} is: running, done (it saw its rounds), or ended early.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface FleetState {
  /** Still running. */
  record Running() implements FleetState {}

  /** It saw {@link FleetConfig#rounds()} round results. */
  record Done() implements FleetState {}

  /**
   * A member was slashed; the fleet stopped.
   *
   * @param member the member
   * @param reason the server's words
   */
  record Slashed(FleetMember member, String reason) implements FleetState {
    /** Checks the components. */
    public Slashed {
      Objects.requireNonNull(member, "member");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * A member's connection ended (the server stopped, or closed it); the fleet stopped.
   *
   * @param member the member
   * @param reason the server's closing line, or what ended the connection
   */
  record Disconnected(FleetMember member, String reason) implements FleetState {
    /** Checks the components. */
    public Disconnected {
      Objects.requireNonNull(member, "member");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
