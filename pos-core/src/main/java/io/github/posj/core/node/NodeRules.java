package io.github.posj.core.node;

/**
 * The rules a {@link Node} applies that an operator may set: the stake range and how many proposals
 * one validator may make per round.
 *
 * <p>Immutable; thread-safe.
 *
 * @param minStake the smallest stake accepted, at least 1 (the tutorial accepted 0 and negatives)
 * @param maxStake the largest stake accepted, at least {@code minStake}
 * @param maxProposalsPerRound proposals one validator may make per round, at least 1; further ones
 *     are refused ({@link NodeEvent.ProposalRefused.Reason#TOO_MANY_PROPOSALS}), not slashed
 */
public record NodeRules(long minStake, long maxStake, int maxProposalsPerRound) {
  /** The defaults: stakes from 1 to 10<sup>14</sup> tokens, 10 proposals per round. */
  public static final NodeRules DEFAULT = new NodeRules(1, 100_000_000_000_000L, 10);

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if {@code minStake < 1}, {@code maxStake < minStake} or {@code
   *     maxProposalsPerRound < 1}
   */
  public NodeRules {
    if (minStake < 1 || maxStake < minStake) {
      throw new IllegalArgumentException(
          "expected 1 <= minStake <= maxStake, got " + minStake + " and " + maxStake);
    }
    if (maxProposalsPerRound < 1) {
      throw new IllegalArgumentException(
          "maxProposalsPerRound must be >= 1, got " + maxProposalsPerRound);
    }
  }
}
