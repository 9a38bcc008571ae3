package io.github.posj.core.chain;

import io.github.posj.core.block.Block;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of checking a whole chain received from elsewhere ({@link Chain#validate}).
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface ChainValidation {
  /**
   * Every block keeps every rule.
   *
   * <p>Immutable; thread-safe.
   *
   * @param chain the validated chain
   */
  record Valid(Chain chain) implements ChainValidation {
    /** Checks the component. */
    public Valid {
      Objects.requireNonNull(chain, "chain");
    }
  }

  /**
   * The first block that breaks a rule.
   *
   * <p>Immutable; thread-safe.
   *
   * @param position 0-based position of the block in the list that was checked
   * @param block the block, absent only for {@link ChainRule#NOT_EMPTY}
   * @param rule the rule it breaks
   * @param detail expected and actual values, for a person
   */
  record Invalid(int position, Optional<Block> block, ChainRule rule, String detail)
      implements ChainValidation {
    /** Checks the components. */
    public Invalid {
      Objects.requireNonNull(block, "block");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(detail, "detail");
    }

    /** One line for a person, e.g. {@code block at position 3 (Index 3): PrevHash is ...}. */
    public String describe() {
      return block
          .map(
              b ->
                  "block at position "
                      + position
                      + " (Index "
                      + b.index()
                      + ") breaks the rule \""
                      + rule.description()
                      + "\": "
                      + detail)
          .orElse(rule.description() + ": " + detail);
    }
  }
}
