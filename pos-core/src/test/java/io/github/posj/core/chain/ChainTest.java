package io.github.posj.core.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class ChainTest {
  private final HashScheme posj = HashScheme.posj();

  static List<HashScheme> schemes() {
    return HashScheme.all();
  }

  @Test
  void genesis_hasTheTutorialsShape() {
    Chain chain = TestBlocks.genesis(posj);

    Block genesis = chain.head();
    assertThat(genesis.index()).isZero();
    assertThat(genesis.bpm()).isZero();
    assertThat(genesis.prevHash()).isEqualTo(Hash.EMPTY);
    assertThat(genesis.validator().isNone()).isTrue();
    assertThat(genesis.timestamp()).isEqualTo(TestBlocks.timestamp(0));
    assertThat(chain.size()).isEqualTo(1);
    assertThat(chain.height()).isZero();
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void append_nextBlock_isAccepted(HashScheme scheme) {
    Chain chain = TestBlocks.genesis(scheme);
    Block next = chain.nextBlock(72, TestBlocks.timestamp(1), TestValidators.validator(1));

    AppendResult result = chain.append(next);

    assertThat(result).isInstanceOf(AppendResult.Accepted.class);
    Chain longer = ((AppendResult.Accepted) result).chain();
    assertThat(longer.head()).isEqualTo(next);
    assertThat(longer.blocks()).hasSize(2);
    assertThat(chain.blocks()).as("the old snapshot is unchanged").hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void genesisAndNextBlock_timestampOverTheLimit_isRejectedWithLimitAndLength(HashScheme scheme) {
    String tooLong = "x".repeat(500);
    String expected =
        "a block's Timestamp has at most " + Block.MAX_TIMESTAMP_LENGTH + " characters, got 500";
    Chain chain = TestBlocks.genesis(scheme);

    assertThatThrownBy(() -> Chain.genesis(scheme, tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
    assertThatThrownBy(() -> chain.nextBlock(72, tooLong, TestValidators.validator(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
  }

  @Test
  void append_wrongIndex_isRejected() {
    Chain chain = TestBlocks.chain(posj, 2);
    Block head = chain.head();
    Block skip = posj.seal(head.index() + 2, "t", 1, head.hash(), TestValidators.validator(1));

    assertRejected(chain.append(skip), ChainRule.INDEX_FOLLOWS, "expected Index 2, got 3");
  }

  @Test
  void append_wrongPrevHash_isRejected() {
    Chain chain = TestBlocks.chain(posj, 2);
    Block stale = posj.seal(2, "t", 1, chain.genesisBlock().hash(), TestValidators.validator(1));

    assertRejected(chain.append(stale), ChainRule.PREV_HASH_LINKS, chain.head().hash().hex());
  }

  @Test
  void append_tamperedBpm_isRejected() {
    Chain chain = TestBlocks.genesis(posj);
    Block tampered = TestBlocks.withBpm(chain.nextBlock(72, "t", TestValidators.validator(1)), 200);

    assertRejected(chain.append(tampered), ChainRule.HASH_MATCHES, "posj scheme");
  }

  @Test
  void append_twoBranchesFromOneSnapshot_areIndependent() {
    Chain base = TestBlocks.chain(posj, 3);
    Block a = base.nextBlock(1, "a", TestValidators.validator(1));
    Block b = base.nextBlock(2, "b", TestValidators.validator(2));

    Chain withA = TestBlocks.append(base, a);
    Chain withB = TestBlocks.append(base, b);

    assertThat(withA.head()).isEqualTo(a);
    assertThat(withB.head()).isEqualTo(b);
    assertThat(withA.blocks().subList(0, 3)).isEqualTo(base.blocks());
    assertThat(base.size()).isEqualTo(3);
  }

  @Test
  void append_manyBlocks_growsPastTheInitialCapacity() {
    Chain chain = TestBlocks.chain(posj, 100);

    assertThat(chain.size()).isEqualTo(100);
    assertThat(Chain.validate(chain.blocks(), posj)).isInstanceOf(ChainValidation.Valid.class);
  }

  @Test
  void blocks_isUnmodifiable() {
    List<Block> blocks = TestBlocks.chain(posj, 2).blocks();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> blocks.add(blocks.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void validate_validChain_isValid(HashScheme scheme) {
    Chain chain = TestBlocks.chain(scheme, 10);

    ChainValidation result = Chain.validate(new ArrayList<>(chain.blocks()), scheme);

    assertThat(result).isInstanceOf(ChainValidation.Valid.class);
    assertThat(((ChainValidation.Valid) result).chain().blocks()).isEqualTo(chain.blocks());
  }

  @Test
  void validate_nullBlock_namesItsPosition() {
    List<Block> onlyNull = new ArrayList<>();
    onlyNull.add(null);
    List<Block> nullAfterGenesis = new ArrayList<>(TestBlocks.chain(posj, 3).blocks());
    nullAfterGenesis.set(2, null);

    assertThatThrownBy(() -> Chain.validate(onlyNull, posj))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("blocks holds null at position 0 of 1");
    assertThatThrownBy(() -> Chain.validate(nullAfterGenesis, posj))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("blocks holds null at position 2 of 3");
  }

  @Test
  void validate_empty_isInvalid() {
    assertInvalid(Chain.validate(List.of(), posj), 0, ChainRule.NOT_EMPTY);
  }

  @Test
  void validate_tamperedMiddleBlock_namesThatBlock() {
    List<Block> blocks = new ArrayList<>(TestBlocks.chain(posj, 6).blocks());
    blocks.set(3, TestBlocks.withBpm(blocks.get(3), 999));

    ChainValidation.Invalid invalid =
        assertInvalid(Chain.validate(blocks, posj), 3, ChainRule.HASH_MATCHES);
    assertThat(invalid.describe()).contains("position 3 (Index 3)").contains("Hash recomputes");
  }

  @Test
  void validate_reattributedBlock_isCaughtByPosjOnly() {
    List<Block> posjBlocks = new ArrayList<>(TestBlocks.chain(posj, 4).blocks());
    posjBlocks.set(2, TestBlocks.withValidator(posjBlocks.get(2), TestValidators.validator(9)));
    List<Block> goBlocks = new ArrayList<>(TestBlocks.chain(HashScheme.goTutorial(), 4).blocks());
    goBlocks.set(2, TestBlocks.withValidator(goBlocks.get(2), TestValidators.validator(9)));

    assertInvalid(Chain.validate(posjBlocks, posj), 2, ChainRule.HASH_MATCHES);
    assertThat(Chain.validate(goBlocks, HashScheme.goTutorial()))
        .as("the Go formula does not cover Validator (B12)")
        .isInstanceOf(ChainValidation.Valid.class);
  }

  @Test
  void validate_brokenLinkOrIndex_namesTheRule() {
    List<Block> blocks = new ArrayList<>(TestBlocks.chain(posj, 5).blocks());
    List<Block> dropped = new ArrayList<>(blocks);
    dropped.remove(2);
    List<Block> relinked = new ArrayList<>(blocks);
    Block b3 = blocks.get(3);
    relinked.set(3, posj.seal(3, b3.timestamp(), b3.bpm(), blocks.get(1).hash(), b3.validator()));

    assertInvalid(Chain.validate(dropped, posj), 2, ChainRule.INDEX_FOLLOWS);
    assertInvalid(Chain.validate(relinked, posj), 3, ChainRule.PREV_HASH_LINKS);
  }

  @Test
  void validate_badGenesis_isInvalid() {
    List<Block> blocks = new ArrayList<>(TestBlocks.chain(posj, 2).blocks());
    List<Block> wrongShape = new ArrayList<>(blocks);
    wrongShape.set(0, posj.seal(1, "t", 0, Hash.EMPTY, blocks.get(0).validator()));
    List<Block> wrongHash = new ArrayList<>(blocks);
    wrongHash.set(0, TestBlocks.withBpm(blocks.get(0), 5));

    assertInvalid(Chain.validate(wrongShape, posj), 0, ChainRule.GENESIS_SHAPE);
    assertInvalid(Chain.validate(wrongHash, posj), 0, ChainRule.GENESIS_HASH);
  }

  @Test
  void validate_goGenesisWithBpmOrValidator_breaksGenesisShape() {
    // The go-tutorial genesis hash is a constant: only the shape rule can catch these fields.
    HashScheme go = HashScheme.goTutorial();
    Block genesis = go.genesis("2026-11-24 05:37:39.918131413 +0000 UTC m=+0.002041026");
    Block withBpm = TestBlocks.withBpm(genesis, 72);
    Block withValidator = TestBlocks.withValidator(genesis, TestValidators.validator(1));

    ChainValidation.Invalid bpm =
        assertInvalid(Chain.validate(List.of(withBpm), go), 0, ChainRule.GENESIS_SHAPE);
    ChainValidation.Invalid validator =
        assertInvalid(Chain.validate(List.of(withValidator), go), 0, ChainRule.GENESIS_SHAPE);

    assertThat(bpm.detail())
        .isEqualTo(
            "expected Index 0, BPM 0, PrevHash \"\" and Validator \"\" (the go-tutorial genesis),"
                + " got Index 0, BPM 72, PrevHash \"\" and Validator \"\"");
    assertThat(validator.detail())
        .endsWith(
            "BPM 0, PrevHash \"\" and Validator \"" + TestValidators.validator(1).hex() + "\"");
    assertThat(bpm.describe()).contains("go-tutorial: also BPM 0 and no Validator");
    assertThat(Chain.validate(List.of(genesis), go)).isInstanceOf(ChainValidation.Valid.class);
  }

  @Test
  void validate_posjGenesisWithBpm_isValidBecauseItsHashCoversIt() {
    Block genesis = posj.seal(0, "t", 72, Hash.EMPTY, TestValidators.validator(1));

    assertThat(Chain.validate(List.of(genesis), posj)).isInstanceOf(ChainValidation.Valid.class);
    assertInvalid(
        Chain.validate(List.of(TestBlocks.withBpm(genesis, 73)), posj), 0, ChainRule.GENESIS_HASH);
  }

  @Test
  void validate_goGenesisRecomputedFromItsFields_isAlsoAccepted() {
    Block genesis =
        HashScheme.goTutorial()
            .seal(0, "2026", 0, Hash.EMPTY, io.github.posj.core.stake.ValidatorId.NONE);

    assertThat(Chain.validate(List.of(genesis), HashScheme.goTutorial()))
        .isInstanceOf(ChainValidation.Valid.class);
  }

  @Test
  void preferLonger_longerChainFromSameGenesis_wins() {
    Chain shorter = TestBlocks.chain(posj, 3);
    Chain longer = TestBlocks.chain(posj, 5);
    Chain otherGenesis = Chain.genesis(posj, "another start");
    Chain otherLonger =
        TestBlocks.append(
            otherGenesis, otherGenesis.nextBlock(1, "x", TestValidators.validator(1)));
    otherLonger =
        TestBlocks.append(otherLonger, otherLonger.nextBlock(1, "y", TestValidators.validator(1)));
    otherLonger =
        TestBlocks.append(otherLonger, otherLonger.nextBlock(1, "z", TestValidators.validator(1)));
    otherLonger =
        TestBlocks.append(otherLonger, otherLonger.nextBlock(1, "w", TestValidators.validator(1)));

    assertThat(shorter.preferLonger(longer)).isSameAs(longer);
    assertThat(longer.preferLonger(shorter)).isSameAs(longer);
    assertThat(shorter.preferLonger(otherLonger)).as("different genesis").isSameAs(shorter);
  }

  private static void assertRejected(AppendResult result, ChainRule rule, String detailPart) {
    assertThat(result).isInstanceOf(AppendResult.Rejected.class);
    AppendResult.Rejected rejected = (AppendResult.Rejected) result;
    assertThat(rejected.rule()).isEqualTo(rule);
    assertThat(rejected.detail()).contains(detailPart);
  }

  private static ChainValidation.Invalid assertInvalid(
      ChainValidation result, int position, ChainRule rule) {
    assertThat(result).isInstanceOf(ChainValidation.Invalid.class);
    ChainValidation.Invalid invalid = (ChainValidation.Invalid) result;
    assertThat(invalid.position()).isEqualTo(position);
    assertThat(invalid.rule()).isEqualTo(rule);
    return invalid;
  }
}
