package io.github.posj.core.chain;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BlockValidator} for the chain rules ({@link ChainRule}) that keeps only the chain's head
 * ({@link ChainHead}): fed a chain's blocks in order, it reaches the verdict of {@link
 * Chain#validate} on them, with the same rule, position and detail, in memory that does not grow
 * with the chain.
 *
 * <pre>{@code
 * HeadValidator validator = new HeadValidator(HashScheme.posj());
 * blocks.forEach(validator::validate);            // e.g. from ChainJson.parseEach
 * Optional<ChainValidation.Invalid> invalid = validator.invalid();
 * }</pre>
 *
 * <p>Not thread-safe; confine to one thread.
 */
public final class HeadValidator implements BlockValidator {
  private final HashScheme scheme;
  private Optional<ChainHead> head = Optional.empty();
  private Optional<ChainValidation.Invalid> broken = Optional.empty();

  /** A validator that has taken no block yet, for a chain under {@code scheme}. */
  public HeadValidator(HashScheme scheme) {
    this.scheme = Objects.requireNonNull(scheme, "scheme");
  }

  @Override
  public Optional<ChainValidation.Invalid> validate(Block block) {
    Objects.requireNonNull(block, "block");
    if (broken.isPresent()) {
      return broken;
    }
    ChainHead.Step step =
        head.isEmpty() ? ChainHead.genesis(block, scheme) : head.get().next(block);
    if (step instanceof ChainHead.Step.Rejected rejected) {
      broken = Optional.of(rejected.invalid());
    } else {
      head = Optional.of(((ChainHead.Step.Accepted) step).head());
    }
    return broken;
  }

  /** The hash scheme the blocks are validated under. */
  public HashScheme scheme() {
    return scheme;
  }

  /**
   * The head of the valid chain taken so far: every block before the first that broke a rule.
   *
   * @return empty when no block was taken (none given, or the genesis broke a rule)
   */
  public Optional<ChainHead> head() {
    return head;
  }

  /**
   * Why the blocks given so far are not a valid chain: the first that broke a rule, or {@link
   * ChainRule#NOT_EMPTY} when none was given; what {@link Chain#validate} says of the same blocks.
   *
   * @return empty when they are a valid chain
   */
  public Optional<ChainValidation.Invalid> invalid() {
    if (broken.isEmpty() && head.isEmpty()) {
      return Optional.of(Chain.empty());
    }
    return broken;
  }
}
