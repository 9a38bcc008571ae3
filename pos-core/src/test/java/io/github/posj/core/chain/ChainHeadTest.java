package io.github.posj.core.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule checked one step at a time gives what {@link Chain#validate} gives for the same blocks:
 * the same rule, position, block and detail (the same {@link ChainValidation.Invalid}).
 */
final class ChainHeadTest {
  private final HashScheme posj = HashScheme.posj();

  static List<HashScheme> schemes() {
    return HashScheme.all();
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void next_wholeChain_endsAtTheChainsHead(HashScheme scheme) {
    Chain chain = TestBlocks.chain(scheme, 10);

    ChainHead head = walk(chain.blocks(), scheme);

    assertThat(head.block()).isEqualTo(chain.head());
    assertThat(head.size()).isEqualTo(10);
    assertThat(head.height()).isEqualTo(9);
    assertThat(head.scheme()).isSameAs(scheme);
  }

  @Test
  void next_leavesTheHeadItWasCalledOnAsItWas() {
    List<Block> blocks = TestBlocks.chain(posj, 3).blocks();
    ChainHead genesis = accepted(ChainHead.genesis(blocks.get(0), posj));

    ChainHead second = accepted(genesis.next(blocks.get(1)));

    assertThat(genesis.size()).isEqualTo(1);
    assertThat(genesis.block()).isEqualTo(blocks.get(0));
    assertThat(second.size()).isEqualTo(2);
    assertThat(accepted(genesis.next(blocks.get(1))).block()).isEqualTo(second.block());
  }

  @Test
  void genesis_wrongShape_isGenesisShapeAsInValidate() {
    Block notGenesis = posj.seal(1, "t", 0, Hash.EMPTY, ValidatorId.NONE);

    assertSameAsValidate(List.of(notGenesis), posj, ChainRule.GENESIS_SHAPE);
  }

  @Test
  void genesis_goTutorialWithBpm_isGenesisShapeAsInValidate() {
    HashScheme go = HashScheme.goTutorial();
    Block genesis = TestBlocks.withBpm(go.genesis(TestBlocks.timestamp(0)), 72);

    assertSameAsValidate(List.of(genesis), go, ChainRule.GENESIS_SHAPE);
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void genesis_wrongHash_isGenesisHashAsInValidate(HashScheme scheme) {
    Block genesis = TestBlocks.withHash(scheme.genesis("t"), Hash.of(new byte[32]));

    assertSameAsValidate(List.of(genesis), scheme, ChainRule.GENESIS_HASH);
  }

  @Test
  void genesis_goProgramsGenesisUnderPosj_isGenesisHashAsInValidate() {
    Block goGenesis = HashScheme.goTutorial().genesis(TestBlocks.timestamp(0));

    ChainValidation.Invalid invalid =
        assertSameAsValidate(List.of(goGenesis), posj, ChainRule.GENESIS_HASH);
    assertThat(invalid.block().orElseThrow().hash().hex())
        .isEqualTo(io.github.posj.core.block.GoTutorialHashScheme.GENESIS_HASH_HEX);
    assertThat(ChainHead.genesis(goGenesis, HashScheme.goTutorial()))
        .isInstanceOf(ChainHead.Step.Accepted.class);
  }

  @Test
  void next_skippedIndex_isIndexFollowsAsInValidate() {
    List<Block> blocks = new ArrayList<>(TestBlocks.chain(posj, 5).blocks());
    blocks.remove(2);

    assertSameAsValidate(blocks, posj, ChainRule.INDEX_FOLLOWS);
  }

  @Test
  void next_brokenLink_isPrevHashLinksAsInValidate() {
    List<Block> blocks = new ArrayList<>(TestBlocks.chain(posj, 5).blocks());
    Block b3 = blocks.get(3);
    blocks.set(3, posj.seal(3, b3.timestamp(), b3.bpm(), blocks.get(1).hash(), b3.validator()));

    assertSameAsValidate(blocks, posj, ChainRule.PREV_HASH_LINKS);
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void next_tamperedBpm_isHashMatchesAsInValidate(HashScheme scheme) {
    List<Block> blocks = new ArrayList<>(TestBlocks.chain(scheme, 5).blocks());
    blocks.set(4, TestBlocks.withBpm(blocks.get(4), 999));

    ChainValidation.Invalid invalid = assertSameAsValidate(blocks, scheme, ChainRule.HASH_MATCHES);
    assertThat(invalid.position()).isEqualTo(4);
    assertThat(invalid.describe()).contains("position 4 (Index 4)");
  }

  @Test
  void next_reattributedBlock_isCaughtUnderPosjOnly() {
    List<Block> blocks = new ArrayList<>(TestBlocks.chain(posj, 3).blocks());
    blocks.set(2, TestBlocks.withValidator(blocks.get(2), TestValidators.validator(9)));
    List<Block> go = new ArrayList<>(TestBlocks.chain(HashScheme.goTutorial(), 3).blocks());
    go.set(2, TestBlocks.withValidator(go.get(2), TestValidators.validator(9)));

    assertSameAsValidate(blocks, posj, ChainRule.HASH_MATCHES);
    assertThat(walk(go, HashScheme.goTutorial()).size()).isEqualTo(3);
  }

  @Test
  void next_sameAsAppend_forTheBlockAfterTheHead() {
    Chain chain = TestBlocks.chain(posj, 4);
    ChainHead head = walk(chain.blocks(), posj);
    Block tampered = TestBlocks.withBpm(chain.nextBlock(1, "t", TestValidators.validator(1)), 2);

    ChainHead.Step step = head.next(tampered);
    AppendResult.Rejected rejected = chain.checkNext(tampered).orElseThrow();

    assertThat(step)
        .isEqualTo(
            new ChainHead.Step.Rejected(
                new ChainValidation.Invalid(
                    4, java.util.Optional.of(tampered), rejected.rule(), rejected.detail())));
  }

  /** Steps through {@code blocks}, failing the test if one is rejected. */
  private static ChainHead walk(List<Block> blocks, HashScheme scheme) {
    ChainHead head = accepted(ChainHead.genesis(blocks.get(0), scheme));
    for (Block block : blocks.subList(1, blocks.size())) {
      head = accepted(head.next(block));
    }
    return head;
  }

  private static ChainHead accepted(ChainHead.Step step) {
    assertThat(step).isInstanceOf(ChainHead.Step.Accepted.class);
    return ((ChainHead.Step.Accepted) step).head();
  }

  /**
   * Steps through {@code blocks} until one is rejected, and checks that the rejection is {@code
   * rule} and equals {@link Chain#validate}'s verdict on the same blocks.
   */
  private static ChainValidation.Invalid assertSameAsValidate(
      List<Block> blocks, HashScheme scheme, ChainRule rule) {
    ChainHead.Step step = ChainHead.genesis(blocks.get(0), scheme);
    for (int i = 1; i < blocks.size() && step instanceof ChainHead.Step.Accepted accepted; i++) {
      step = accepted.head().next(blocks.get(i));
    }
    assertThat(step).isInstanceOf(ChainHead.Step.Rejected.class);
    ChainValidation.Invalid invalid = ((ChainHead.Step.Rejected) step).invalid();
    assertThat(invalid.rule()).isEqualTo(rule);
    assertThat(invalid).isEqualTo(Chain.validate(blocks, scheme));
    return invalid;
  }
}
