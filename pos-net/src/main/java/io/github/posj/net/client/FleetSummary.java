package io.github.posj.net.client;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link ValidatorFleet} has seen so far.
 *
 * <p>Immutable; thread-safe.
 *
 * @param rounds round results seen (each round counted once, whichever member reported it)
 * @param forged those that forged a block
 * @param members one entry per member, in member order
 */
public record FleetSummary(long rounds, long forged, List<MemberSummary> members) {
  /** Copies the list. */
  public FleetSummary {
    members = List.copyOf(members);
  }

  /** The wins of all members: the rounds the fleet won. */
  public long wins() {
    return members.stream().mapToLong(MemberSummary::wins).sum();
  }

  /**
   * One member's numbers.
   *
   * @param member the member
   * @param roundsSeen round results it received
   * @param proposalsAccepted its proposals that became candidates
   * @param wins rounds it won
   */
  public record MemberSummary(
      FleetMember member, long roundsSeen, long proposalsAccepted, long wins) {
    /** Checks the member. */
    public MemberSummary {
      Objects.requireNonNull(member, "member");
    }
  }
}
