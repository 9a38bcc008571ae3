package io.github.posj.core.chain;

import java.util.Objects;

/**
 * A rule a block breaks, with the expected and actual values for a person.
 *
 * <p>Immutable; thread-safe.
 *
 * @param rule the rule
 * @param detail what was expected and what was found
 */
public record RuleViolation(ChainRule rule, String detail) {
  /** Checks the components. */
  public RuleViolation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(detail, "detail");
  }

  /** {@code the rule "...": detail}. */
  public String describe() {
    return "the rule \"" + rule.description() + "\" (" + rule.name() + "): " + detail;
  }
}
