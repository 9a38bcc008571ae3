package io.github.posj.core.round;

import static io.github.posj.core.testing.TestValidators.validator;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.ScriptedRandomness;
import io.github.posj.core.testing.TestBlocks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class RoundTest {
  private final Chain chain = TestBlocks.chain(HashScheme.posj(), 3);
  private final StakeTable stakes =
      StakeTable.empty().with(validator(1), 10).with(validator(2), 30).with(validator(3), 0);

  private Block propose(int validator, long bpm) {
    return chain.nextBlock(bpm, TestBlocks.timestamp(100 + bpm), validator(validator));
  }

  @Test
  void resolve_noProposals_isSkipped() {
    RoundOutcome outcome = new Round(chain, List.of(), stakes).resolve(new ScriptedRandomness());

    assertThat(outcome)
        .isEqualTo(
            new RoundOutcome.Skipped(
                RoundOutcome.SkipReason.NO_PROPOSALS, new RoundOutcome.Tally(0, 0, 0, 0, 0)));
  }

  @Test
  void resolve_onlyZeroStakeOrUnknownProposers_isSkippedNotACrash() {
    // B2: the original panics with "invalid argument to Intn" here.
    List<Block> candidates = List.of(propose(3, 70), propose(9, 71));

    RoundOutcome outcome = new Round(chain, candidates, stakes).resolve(new ScriptedRandomness());

    assertThat(outcome).isInstanceOf(RoundOutcome.Skipped.class);
    assertThat(((RoundOutcome.Skipped) outcome).reason())
        .isEqualTo(RoundOutcome.SkipReason.NO_ELIGIBLE_VALIDATOR);
    assertThat(outcome.tally().ineligible()).isEqualTo(2);
  }

  @Test
  void resolve_staleCandidate_isDiscardedNeverAppended() {
    // B9: a block built on an older head must not be forged.
    Chain older = TestBlocks.chain(HashScheme.posj(), 2);
    Block stale = older.nextBlock(80, "t", validator(2));
    Block fresh = propose(1, 72);

    RoundOutcome outcome =
        new Round(chain, List.of(stale, fresh), stakes).resolve(RandomnessSource.seeded(1));

    assertThat(outcome).isInstanceOf(RoundOutcome.Forged.class);
    RoundOutcome.Forged forged = (RoundOutcome.Forged) outcome;
    assertThat(forged.block()).isEqualTo(fresh);
    assertThat(forged.chain().head()).isEqualTo(fresh);
    assertThat(forged.tally().stale()).isEqualTo(1);
    assertThat(forged.tally().eligibleValidators()).isEqualTo(1);
  }

  @Test
  void resolve_onlyStaleCandidates_isSkipped() {
    Block stale = TestBlocks.chain(HashScheme.posj(), 2).nextBlock(80, "t", validator(2));

    RoundOutcome outcome =
        new Round(chain, List.of(stale), stakes).resolve(new ScriptedRandomness());

    assertThat(((RoundOutcome.Skipped) outcome).reason())
        .isEqualTo(RoundOutcome.SkipReason.NO_ELIGIBLE_VALIDATOR);
  }

  @Test
  void resolve_manyProposalsFromOneValidator_enterOnceAndTheFirstIsForged() {
    Block first = propose(2, 61);
    List<Block> candidates = List.of(first, propose(2, 62), propose(2, 63), propose(1, 64));
    // Tickets: validator 2 (first to propose) owns 30, validator 1 owns 10.
    RoundOutcome.Forged forged = null;
    for (long seed = 0; forged == null || !forged.winner().equals(validator(2)); seed++) {
      forged =
          (RoundOutcome.Forged)
              new Round(chain, candidates, stakes).resolve(RandomnessSource.seeded(seed));
    }

    assertThat(forged.block()).isEqualTo(first);
    assertThat(forged.tally()).isEqualTo(new RoundOutcome.Tally(4, 0, 0, 2, 40));
  }

  @Test
  void resolve_anyArrivalOrder_everyTicketGoesToItsStake() {
    List<Block> candidates = new ArrayList<>();
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < 8; i++) {
      map.put(validator(i), (long) i);
      candidates.add(chain.nextBlock(60 + i, "t", validator(i)));
    }
    StakeTable table = StakeTable.of(map);
    List<Block> reversed = new ArrayList<>(candidates);
    Collections.reverse(reversed);
    long total = table.totalEligibleStake();

    for (List<Block> order : List.of(candidates, reversed)) {
      Map<ValidatorId, Long> wins = new HashMap<>();
      for (long ticket = 0; ticket < total; ticket++) {
        // nextLong(bound) returns (value >>> 1) % bound: script 2 * ticket to draw that ticket.
        RoundOutcome outcome =
            new Round(chain, order, table).resolve(new ScriptedRandomness(2 * ticket));
        wins.merge(((RoundOutcome.Forged) outcome).winner(), 1L, Long::sum);
      }
      Map<ValidatorId, Long> eligible = new HashMap<>(map);
      eligible.values().removeIf(stake -> stake == 0);
      assertThat(wins).isEqualTo(eligible);
    }
  }

  @Test
  void resolve_sameCandidatesAndSeed_sameWinner() {
    List<Block> candidates = new ArrayList<>();
    Map<ValidatorId, Long> map = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      map.put(validator(i), (long) i + 1);
      candidates.add(chain.nextBlock(60 + i, "t", validator(i)));
    }
    StakeTable table = StakeTable.of(map);

    for (long seed = 0; seed < 50; seed++) {
      RoundOutcome a = new Round(chain, candidates, table).resolve(RandomnessSource.seeded(seed));
      RoundOutcome b =
          new Round(chain, List.copyOf(candidates), table).resolve(RandomnessSource.seeded(seed));
      assertThat(((RoundOutcome.Forged) a).block()).isEqualTo(((RoundOutcome.Forged) b).block());
    }
  }

  @Test
  void resolve_manyRounds_winsFollowTheStakes() {
    List<Block> candidates = List.of(propose(1, 70), propose(2, 71));
    RandomnessSource randomness = RandomnessSource.seeded(99);
    int rounds = 4_000;
    int winsOf2 = 0;

    for (int i = 0; i < rounds; i++) {
      RoundOutcome.Forged forged =
          (RoundOutcome.Forged) new Round(chain, candidates, stakes).resolve(randomness);
      winsOf2 += forged.winner().equals(validator(2)) ? 1 : 0;
    }

    // Expected 3000 (p = 0.75), sd ~ 27: five standard deviations either side; fixed seed.
    assertThat(winsOf2).isBetween(3000 - 137, 3000 + 137);
  }
}
