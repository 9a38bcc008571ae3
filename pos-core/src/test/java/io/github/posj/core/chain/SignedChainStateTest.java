package io.github.posj.core.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.crypto.Signature;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.LeaderSchedule;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class SignedChainStateTest {
  private final TestNetwork network = TestNetwork.withSlots(30, 4, 10, 20, 30, 40);

  private SignedBlock resign(
      SignedBlock b, SigningKey key, long slot, String timestamp, Hash reveal) {
    return SignedBlock.sign(
        key,
        network.genesis().hash(),
        b.index(),
        slot,
        b.block().prevHash(),
        reveal,
        b.block().bpm(),
        timestamp);
  }

  private static SignedBlock withBlock(SignedBlock b, Block block) {
    return new SignedBlock(block, b.slot(), b.publicKey(), b.reveal(), b.signature());
  }

  private Optional<RuleViolation> appendTo(SignedChainState state, SignedBlock block) {
    Block headBefore = state.head();
    Optional<RuleViolation> result = state.append(block);
    if (result.isPresent()) {
      assertThat(state.head())
          .as("a refused block leaves the state as it was")
          .isEqualTo(headBefore);
    }
    return result;
  }

  @Test
  void aChainOfLeadersBlocksIsValidThroughEmptySlotsAndEpochs() {
    SignedChainState state = network.start();
    network.forgeSlots(state, 1, 5);
    network.forgeSlots(state, 14, 30); // epochs 4 to 7 without blocks before it
    assertThat(state.head().index()).isEqualTo(22);
    assertThat(state.headSlot()).isEqualTo(30);
  }

  @Test
  void block0MustBeTheGenesisOwn() {
    Genesis genesis = network.genesis();
    assertThat(SignedChainState.checkBlock0(genesis, genesis.block0())).isEmpty();
    Block other =
        new Block(
            0, "2026-12-01 00:00:01 +0000 UTC", 0, genesis.hash(), Hash.EMPTY, ValidatorId.NONE);
    assertThat(SignedChainState.checkBlock0(genesis, other).orElseThrow().rule())
        .isEqualTo(ChainRule.GENESIS_MATCHES);
  }

  @Test
  void eachRuleIsNamedWhenBroken() {
    SignedChainState state = network.start();
    network.forgeSlots(state, 1, 3);
    SignedBlock good = network.forge(state, 4, 72);
    SigningKey leaderKey = network.keyOf(good.block().validator());
    Block b = good.block();

    assertThat(
            rule(
                state,
                withBlock(
                    good,
                    new Block(5, b.timestamp(), b.bpm(), b.hash(), b.prevHash(), b.validator()))))
        .isEqualTo(ChainRule.INDEX_FOLLOWS);
    assertThat(
            rule(
                state,
                withBlock(
                    good, new Block(4, b.timestamp(), b.bpm(), b.hash(), b.hash(), b.validator()))))
        .isEqualTo(ChainRule.PREV_HASH_LINKS);
    assertThat(rule(state, resign(good, leaderKey, 3, network.timestampIn(3, 10), good.reveal())))
        .isEqualTo(ChainRule.SLOT_ADVANCES);
    assertThat(rule(state, resign(good, leaderKey, 4, network.timestampIn(5, 0), good.reveal())))
        .isEqualTo(ChainRule.TIMESTAMP_IN_SLOT);
    assertThat(rule(state, resign(good, leaderKey, 4, network.timestampIn(4, -1), good.reveal())))
        .isEqualTo(ChainRule.TIMESTAMP_IN_SLOT);
    assertThat(
            rule(
                state,
                resign(good, leaderKey, 4, "2026-12-01 00:02:00.50 +0000 UTC", good.reveal())))
        .isEqualTo(ChainRule.TIMESTAMP_IN_SLOT);
    ValidatorId someoneElse =
        network.genesis().validators().stream()
            .map(v -> v.address())
            .filter(a -> !a.equals(b.validator()))
            .findFirst()
            .orElseThrow();
    assertThat(
            rule(
                state,
                withBlock(
                    good,
                    new Block(4, b.timestamp(), b.bpm(), b.hash(), b.prevHash(), someoneElse))))
        .isEqualTo(ChainRule.VALIDATOR_IS_KEY);
    assertThat(
            rule(
                state,
                withBlock(
                    good, new Block(4, b.timestamp(), 73, b.hash(), b.prevHash(), b.validator()))))
        .isEqualTo(ChainRule.HASH_MATCHES);
    // A block for slot 4 made and signed by a validator that does not lead it.
    SigningKey other = network.keyOf(someoneElse);
    SignedBlock byOther =
        SignedBlock.sign(
            other,
            network.genesis().hash(),
            4,
            4,
            b.prevHash(),
            network
                .onionOf(someoneElse)
                .revealAfter(state.lastReveal(someoneElse).orElseThrow())
                .orElseThrow(),
            72,
            b.timestamp());
    assertThat(rule(state, byOther)).isEqualTo(ChainRule.LEADER_FOR_SLOT);
    assertThat(
            rule(state, resign(good, leaderKey, 4, b.timestamp(), Hash.fromHex("ab".repeat(32)))))
        .isEqualTo(ChainRule.REVEAL_CHAINS);
    byte[] sig = good.signature().toByteArray();
    sig[5] ^= 1;
    assertThat(
            rule(state, new SignedBlock(b, 4, good.publicKey(), good.reveal(), Signature.of(sig))))
        .isEqualTo(ChainRule.SIGNATURE_VALID);
    SignedBlock otherChain =
        SignedBlock.sign(
            leaderKey,
            Hash.fromHex("cd".repeat(32)),
            4,
            4,
            b.prevHash(),
            good.reveal(),
            72,
            b.timestamp());
    assertThat(rule(state, otherChain))
        .as("a block for another genesis")
        .isEqualTo(ChainRule.HASH_MATCHES);

    assertThat(appendTo(state, good)).isEmpty();
  }

  @Test
  void aReplayedRevealDoesNotChain() {
    SignedChainState state = network.start();
    SignedBlock first = network.forgeSlots(state, 1, 1).get(0);
    ValidatorId v = first.block().validator();
    long slot = 2;
    while (!state.leaderOf(slot).equals(v)) {
      slot++;
    }
    network.forgeSlots(state, 2, slot - 1);
    SignedBlock again =
        SignedBlock.sign(
            network.keyOf(v),
            network.genesis().hash(),
            state.head().index() + 1,
            slot,
            state.head().hash(),
            first.reveal(),
            70,
            network.timestampIn(slot, 5));
    assertThat(rule(state, again)).isEqualTo(ChainRule.REVEAL_CHAINS);
  }

  /** A login signature can never be a block signature: the preimages' domain tags differ. */
  @Test
  void aLoginSignatureIsNotABlockSignature() {
    SignedChainState state = network.start();
    SignedBlock good = network.forge(state, 1, 72);
    SigningKey key = network.keyOf(good.block().validator());
    // A malicious node sends the block's hash as a "nonce" to get it signed at login.
    Signature login =
        io.github.posj.core.crypto.Login.sign(key, network.genesis().hash(), good.hash());
    SignedBlock withLogin =
        new SignedBlock(good.block(), good.slot(), good.publicKey(), good.reveal(), login);
    assertThat(rule(state, withLogin)).isEqualTo(ChainRule.SIGNATURE_VALID);
  }

  @Test
  void signatureCheckedAppendSkipsOnlyTheSignature() {
    SignedChainState state = network.start();
    SignedBlock good = network.forge(state, 1, 72);
    byte[] sig = good.signature().toByteArray();
    sig[0] ^= 1;
    SignedBlock forged =
        new SignedBlock(good.block(), 1, good.publicKey(), good.reveal(), Signature.of(sig));
    assertThat(state.checkExceptSignature(forged)).isEmpty();
    assertThat(state.appendSignatureChecked(forged)).isEmpty();
    assertThat(state.head()).isEqualTo(good.block());
  }

  /** The state's bounded bookkeeping against the definition, recomputed from the whole chain. */
  @Test
  void seedsMatchTheDefinitionRecomputedFromTheWholeChain() {
    SplittableRandom random = new SplittableRandom(7);
    SignedChainState state = network.start();
    LeaderSchedule schedule = state.schedule();
    List<SignedBlock> blocks = new ArrayList<>();
    long slot = 0;
    for (int i = 0; i < 120; i++) {
      slot += 1 + (random.nextInt(4) == 0 ? random.nextInt(12) : 0);
      long epoch = network.genesis().epochOf(slot);
      Hash mix = schedule.initialMix();
      for (SignedBlock b : blocks) {
        if (network.genesis().epochOf(b.slot()) <= epoch - 2) {
          mix = LeaderSchedule.mix(mix, b.reveal());
        }
      }
      assertThat(state.seedOf(epoch)).isEqualTo(schedule.seed(epoch, mix));
      SignedBlock block = network.forge(state, slot, i);
      assertThat(appendTo(state, block)).isEmpty();
      blocks.add(block);
    }
  }

  /** 200,000 slots over 10 validators with stakes 1..10: wins in proportion to stake. */
  @Test
  void leadersAreDrawnInProportionToStake() {
    TestNetwork ten = TestNetwork.withSlots(30, 32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    LeaderSchedule schedule = LeaderSchedule.of(ten.genesis());
    java.util.Map<ValidatorId, Integer> wins = new java.util.HashMap<>();
    int slots = 200_000;
    for (long s = 1; s <= slots; s++) {
      Hash seed = schedule.seed(ten.genesis().epochOf(s), schedule.initialMix());
      wins.merge(schedule.leader(s, seed), 1, Integer::sum);
    }
    double chi2 = 0;
    for (var v : ten.genesis().validators()) {
      double expected = slots * (double) v.stake() / ten.genesis().totalStake();
      double d = wins.getOrDefault(v.address(), 0) - expected;
      chi2 += d * d / expected;
    }
    // 9 degrees of freedom: P(chi2 > 27.877) = 0.001. Deterministic seeds: never flaky.
    assertThat(chi2).isLessThan(27.877);
  }

  @Test
  void timestampsAreParsedStrictly() {
    assertThat(GoTimestamp.parseCanonical("2026-12-01 00:00:07.5 +0000 UTC")).isPresent();
    assertThat(GoTimestamp.parseCanonical("2026-12-01 00:00:07.50 +0000 UTC")).isEmpty();
    assertThat(GoTimestamp.parseCanonical("2026-02-30 00:00:07 +0000 UTC")).isEmpty();
    assertThat(GoTimestamp.parseCanonical("2026-12-01 01:00:07 +0100 CET")).isEmpty();
  }

  private ChainRule rule(SignedChainState state, SignedBlock block) {
    return appendTo(state, block).orElseThrow(() -> new AssertionError("accepted " + block)).rule();
  }
}
