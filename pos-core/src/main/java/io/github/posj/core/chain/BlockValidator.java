package io.github.posj.core.chain;

import io.github.posj.core.block.Block;
import java.util.Optional;

/**
 * Validates a chain one block at a time, oldest first, as a reader streams it (a chain file, a JSON
 * array), keeping only what the next block needs, not the blocks. A reader hands every block to
 * {@link #validate} in order; the first block it is given is the chain's genesis.
 *
 * <p>The contract every implementation keeps:
 *
 * <ul>
 *   <li>{@link #validate} takes the block when it keeps every rule, and returns empty;
 *   <li>otherwise it returns the first rule the block breaks, as the {@link
 *       ChainValidation.Invalid} that {@link Chain#validate} gives at the block's 0-based position
 *       for the rules it shares, and takes nothing from then on: every later call returns that same
 *       violation without looking at its block, since a chain is broken from its first bad block
 *       on;
 *   <li>it never throws for a block that breaks a rule (untrusted input is a result), only for a
 *       null block ({@link NullPointerException}).
 * </ul>
 *
 * <p>Implementations keep state and are not thread-safe unless they say so; confine each to one
 * thread, as a streaming reader does.
 */
public interface BlockValidator {
  /**
   * Validates {@code block} as the next block of the chain taken so far (its genesis when none was
   * taken).
   *
   * @return empty if the block was taken; else the first rule it (or an earlier block) breaks
   */
  Optional<ChainValidation.Invalid> validate(Block block);
}
