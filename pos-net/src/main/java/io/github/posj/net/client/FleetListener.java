package io.github.posj.net.client;

import io.github.posj.core.block.Block;
import io.github.posj.net.protocol.ServerMessage;
import java.util.Optional;

/**
 * What a {@link ValidatorFleet} reports as it runs. Every method is called on the thread that calls
 * {@link ValidatorFleet#connect} (for {@link #onConnected}) or {@link ValidatorFleet#advance} (for
 * the rest), never concurrently, and for one member in the order the server sent the messages.
 */
public interface FleetListener {
  /** A member connected and registered; {@code total} members are being connected. */
  void onConnected(FleetMember member, int total);

  /** A member's proposal became a candidate block with this Index. */
  void onProposalAccepted(FleetMember member, long index);

  /**
   * A round ended; called once per round number, for the first member that reports it.
   *
   * @param winner the winning member, empty if the round was skipped or the winner is not ours
   */
  void onRound(ServerMessage.RoundResult result, Optional<FleetMember> winner);

  /** A member was sent a newly forged block (the chain's new head). */
  void onBlock(FleetMember member, Block block);

  /** The server refused a member's request; the connection stays open. */
  void onError(FleetMember member, String message);
}
