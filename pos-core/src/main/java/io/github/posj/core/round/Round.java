package io.github.posj.core.round;

import io.github.posj.core.block.Block;
import io.github.posj.core.chain.AppendResult;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.selection.StakeWeightedSelector;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One round of forging, as a pure function: the chain at the round's end, the blocks proposed
 * during it (in arrival order) and the validators' stakes go in; {@link #resolve} draws the winner
 * and returns the outcome.
 *
 * <p>The rules are the tutorial's with its defects fixed:
 *
 * <ul>
 *   <li>a candidate that does not extend the current head (Index, PrevHash or Hash wrong for the
 *       chain's scheme) is discarded, never appended (the original appended stale blocks: B9);
 *   <li>only validators that proposed in this round, are in the stake table and have a positive
 *       stake are eligible (the original also let unknown or evicted ones in: B2, B10);
 *   <li>each validator is entered once however many blocks it proposed, and its <em>first</em>
 *       valid proposal is the one forged (as the tutorial takes the first);
 *   <li>the winner is drawn with probability stake / total by {@link
 *       StakeWeightedSelector#selectOnce}; with no eligible validator the round is skipped with a
 *       reason (the original panicked: B2).
 * </ul>
 *
 * <p>The outcome depends only on the head, the first valid proposals in the order they were made,
 * the stakes and the randomness stream. Each eligible validator wins with probability exactly
 * {@code stake / total} whatever that order; the same candidates in another order may give another
 * winner for the same seed (the proposers are laid out in arrival order, so that the lottery is
 * O(n): docs/adr/0003).
 *
 * <p>Immutable; thread-safe.
 *
 * @param chain the chain the round builds on
 * @param candidates the blocks proposed during the round, in arrival order
 * @param stakes the stakes of the known, unslashed validators
 */
public record Round(Chain chain, List<Block> candidates, StakeTable stakes) {
  /** Checks and copies the components. */
  public Round {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(stakes, "stakes");
    candidates = List.copyOf(candidates);
  }

  /** Draws the winner among the eligible proposers and appends its block. */
  public RoundOutcome resolve(RandomnessSource randomness) {
    Objects.requireNonNull(randomness, "randomness");
    Map<ValidatorId, Block> firstProposal = new LinkedHashMap<>();
    List<Long> proposerStakes = new ArrayList<>();
    long totalStake = 0;
    int stale = 0;
    int ineligible = 0;
    for (Block candidate : candidates) {
      long stake = stakes.stakeOf(candidate.validator()).orElse(0);
      if (chain.checkNext(candidate).isPresent()) {
        stale++;
      } else if (stake <= 0) {
        ineligible++;
      } else if (firstProposal.putIfAbsent(candidate.validator(), candidate) == null) {
        proposerStakes.add(stake);
        // A subset of the table's positive stakes, whose total fits a long.
        totalStake += stake;
      }
    }
    RoundOutcome.Tally tally =
        new RoundOutcome.Tally(
            candidates.size(), stale, ineligible, firstProposal.size(), totalStake);
    if (candidates.isEmpty()) {
      return new RoundOutcome.Skipped(RoundOutcome.SkipReason.NO_PROPOSALS, tally);
    }
    ValidatorId[] proposers = firstProposal.keySet().toArray(new ValidatorId[0]);
    long[] amounts = proposerStakes.stream().mapToLong(Long::longValue).toArray();
    return StakeWeightedSelector.selectOnce(proposers, amounts, randomness)
        .<RoundOutcome>map(
            winner -> {
              Block block = firstProposal.get(winner);
              AppendResult appended = chain.append(block);
              // checkNext above accepted this very block against this very chain.
              Chain next = ((AppendResult.Accepted) appended).chain();
              return new RoundOutcome.Forged(next, block, winner, tally);
            })
        .orElseGet(
            () -> new RoundOutcome.Skipped(RoundOutcome.SkipReason.NO_ELIGIBLE_VALIDATOR, tally));
  }
}
