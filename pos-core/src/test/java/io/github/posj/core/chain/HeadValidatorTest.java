package io.github.posj.core.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTutorialHashScheme;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.testing.TestBlocks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class HeadValidatorTest {
  private final HashScheme posj = HashScheme.posj();

  @Test
  void invalid_noBlocks_isNotEmptyAsInValidate() {
    HeadValidator validator = new HeadValidator(posj);

    assertThat(validator.invalid()).contains(invalidOf(Chain.validate(List.of(), posj)));
    assertThat(validator.invalid().orElseThrow().describe())
        .isEqualTo("a chain has at least a genesis block: the list has no blocks");
    assertThat(validator.head()).isEmpty();
  }

  @Test
  void validate_validChain_takesEveryBlockAndKeepsOnlyTheHead() {
    Chain chain = TestBlocks.chain(posj, 50);
    HeadValidator validator = new HeadValidator(posj);

    for (Block block : chain.blocks()) {
      assertThat(validator.validate(block)).isEmpty();
    }

    assertThat(validator.invalid()).isEmpty();
    ChainHead head = validator.head().orElseThrow();
    assertThat(head.block()).isEqualTo(chain.head());
    assertThat(head.size()).isEqualTo(50);
    assertThat(validator.scheme()).isSameAs(posj);
  }

  @Test
  void validate_afterABrokenBlock_returnsThatFirstViolationForEveryLaterBlock() {
    List<Block> blocks = new ArrayList<>(TestBlocks.chain(posj, 6).blocks());
    blocks.set(2, TestBlocks.withBpm(blocks.get(2), 999));
    blocks.set(4, TestBlocks.withBpm(blocks.get(4), 999));
    HeadValidator validator = new HeadValidator(posj);

    List<Optional<ChainValidation.Invalid>> results = new ArrayList<>();
    for (Block block : blocks) {
      results.add(validator.validate(block));
    }

    ChainValidation.Invalid first = invalidOf(Chain.validate(blocks, posj));
    assertThat(first.position()).isEqualTo(2);
    assertThat(results)
        .containsExactly(
            Optional.empty(),
            Optional.empty(),
            Optional.of(first),
            Optional.of(first),
            Optional.of(first),
            Optional.of(first));
    assertThat(validator.invalid()).contains(first);
    assertThat(validator.head().orElseThrow().size()).as("the valid chain before it").isEqualTo(2);
  }

  @Test
  void validate_brokenGenesis_leavesNoHead() {
    Block genesis = TestBlocks.withBpm(posj.genesis("t"), 5);
    HeadValidator validator = new HeadValidator(posj);

    validator.validate(genesis);

    assertThat(validator.head()).isEmpty();
    assertThat(validator.invalid()).contains(invalidOf(Chain.validate(List.of(genesis), posj)));
  }

  /**
   * What {@code pos verify}'s hint rests on: a chain from the Go program breaks GENESIS_HASH at
   * position 0 under posj, with the Go program's constant genesis hash, and validates under
   * go-tutorial, as {@link Chain#validate} says.
   */
  @Test
  void validate_goProgramsChain_breaksGenesisHashUnderPosjAndIsValidUnderGoTutorial() {
    HashScheme go = HashScheme.goTutorial();
    List<Block> blocks = TestBlocks.chain(go, 5).blocks();
    HeadValidator underPosj = new HeadValidator(posj);
    HeadValidator underGo = new HeadValidator(go);

    blocks.forEach(underPosj::validate);
    blocks.forEach(underGo::validate);

    ChainValidation.Invalid invalid = underPosj.invalid().orElseThrow();
    assertThat(invalid).isEqualTo(invalidOf(Chain.validate(blocks, posj)));
    assertThat(invalid.position()).isZero();
    assertThat(invalid.rule()).isEqualTo(ChainRule.GENESIS_HASH);
    assertThat(invalid.block().orElseThrow().hash().hex())
        .isEqualTo(GoTutorialHashScheme.GENESIS_HASH_HEX);
    assertThat(underGo.invalid()).isEmpty();
    assertThat(underGo.head().orElseThrow().size()).isEqualTo(5);
  }

  private static ChainValidation.Invalid invalidOf(ChainValidation validation) {
    assertThat(validation).isInstanceOf(ChainValidation.Invalid.class);
    return (ChainValidation.Invalid) validation;
  }
}
