package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;
import java.util.List;

/**
 * What a {@link NetworkValidator} reports: one method per kind of event, so that a caller (the CLI
 * prints one line each) handles every kind. Text that came from the node (a chain id, a reason) is
 * already escaped for display.
 *
 * <p>Each method is called on the validator's event thread, one at a time, in the order the events
 * happen; it should return quickly (the validator signs on that thread). A method that throws
 * closes the validator. Implementations need not be thread-safe for the validator's sake.
 */
public interface ValidatorListener {
  /** The node welcomed the validator, on the expected chain; the login follows. */
  void onConnected(NodeMessage.Welcome welcome);

  /** The node accepted the login: the validator's stake, onion position and first duties. */
  void onLoggedIn(NodeMessage.LoggedIn loggedIn);

  /** The node sent the duties of the epochs ahead (at each epoch's start). */
  void onDuties(List<Long> slots);

  /**
   * The node switched to another chain after Index {@code forkIndex}; the validator's onion now
   * stands where that chain says.
   */
  default void onSwitched(long forkIndex) {}

  /** The validator signed {@code block} and sent it. */
  void onProposed(SignedBlock block);

  /** The node accepted the validator's block. */
  void onAccepted(NodeMessage.Accepted accepted);

  /** The node refused the validator's block (never a slashing); nothing changed on the chain. */
  void onRefused(NodeMessage.Refused refused);

  /** The validator made no block in its duty slot {@code slot}; {@code detail} says more. */
  void onSkipped(long slot, SkipReason reason, String detail);

  /** The node announced a new head (any validator's block, this one's included). */
  void onAnnounced(SignedBlock block);

  /**
   * Something went wrong without ending the connection: the node answered a line with an error, or
   * sent a line the validator could not read or did not expect.
   */
  void onError(String reason);

  /**
   * The connection is over (the node closed it, it failed, the validator refused to go on, or
   * {@link NetworkValidator#close()}); the last event, exactly once.
   */
  void onClosed(String reason);
}
