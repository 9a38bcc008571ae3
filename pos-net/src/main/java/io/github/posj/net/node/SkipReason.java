package io.github.posj.net.node;

/**
 * Why a {@link NetworkValidator} made no block in one of its duty slots.
 *
 * <p>Immutable; thread-safe.
 */
public enum SkipReason {
  /** The slot was over by the validator's clock before it could sign (it never signs late). */
  WINDOW_PASSED,
  /** The chain already holds a block at or after the slot. */
  SLOT_TAKEN,
  /** The {@link SigningGuard} refused: signing could make two blocks for one slot. */
  GUARD_REFUSED
}
