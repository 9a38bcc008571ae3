package io.github.posj.core.chain;

import io.github.posj.core.block.Block;
import java.util.Objects;

/**
 * The outcome of {@link Chain#append}: the longer chain, or why the block was refused.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface AppendResult {
  /**
   * The block was appended.
   *
   * <p>Immutable; thread-safe.
   *
   * @param chain the new chain, whose head is the block
   */
  record Accepted(Chain chain) implements AppendResult {
    /** Checks the component. */
    public Accepted {
      Objects.requireNonNull(chain, "chain");
    }
  }

  /**
   * The block was refused; the chain is unchanged.
   *
   * <p>Immutable; thread-safe.
   *
   * @param block the refused block
   * @param rule the rule it breaks
   * @param detail expected and actual values, for a person
   */
  record Rejected(Block block, ChainRule rule, String detail) implements AppendResult {
    /** Checks the components. */
    public Rejected {
      Objects.requireNonNull(block, "block");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
