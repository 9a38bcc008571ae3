package io.github.posj.core.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Validating one block at a time, keeping only the head, reaches {@link Chain#validate}'s verdict
 * on every chain: valid ones, and ones with a block tampered, dropped or relinked anywhere, under
 * both schemes.
 */
final class HeadValidatorPropertyTest {
  enum Damage {
    NONE,
    BPM,
    VALIDATOR,
    HASH,
    DROP,
    DUPLICATE,
    RELINK
  }

  @Property(tries = 300)
  void validate_eachBlockInTurn_givesTheVerdictOfValidate(
      @ForAll @IntRange(min = 1, max = 12) int size,
      @ForAll @IntRange(min = 0, max = 11) int at,
      @ForAll Damage damage,
      @ForAll boolean goTutorial) {
    HashScheme scheme = goTutorial ? HashScheme.goTutorial() : HashScheme.posj();
    List<Block> blocks = damaged(TestBlocks.chain(scheme, size).blocks(), at % size, damage);
    HeadValidator validator = new HeadValidator(scheme);

    blocks.forEach(validator::validate);

    ChainValidation expected = Chain.validate(blocks, scheme);
    if (expected instanceof ChainValidation.Invalid invalid) {
      assertThat(validator.invalid()).contains(invalid);
      assertThat(validator.head().map(ChainHead::size)).isEqualTo(sizeBefore(invalid.position()));
    } else {
      Chain chain = ((ChainValidation.Valid) expected).chain();
      assertThat(validator.invalid()).isEmpty();
      assertThat(validator.head().orElseThrow().block()).isEqualTo(chain.head());
      assertThat(validator.head().orElseThrow().size()).isEqualTo(chain.size());
    }
  }

  private static Optional<Integer> sizeBefore(int position) {
    return position == 0 ? Optional.empty() : Optional.of(position);
  }

  private static List<Block> damaged(List<Block> valid, int at, Damage damage) {
    List<Block> blocks = new ArrayList<>(valid);
    Block block = blocks.get(at);
    switch (damage) {
      case NONE -> {}
      case BPM -> blocks.set(at, TestBlocks.withBpm(block, block.bpm() + 1));
      case VALIDATOR ->
          blocks.set(at, TestBlocks.withValidator(block, TestValidators.validator(7)));
      case HASH -> blocks.set(at, TestBlocks.withHash(block, Hash.of(new byte[32])));
      case DROP -> blocks.remove(at);
      case DUPLICATE -> blocks.add(at, block);
      case RELINK -> blocks.set(at, TestBlocks.withHash(block, blocks.get(0).hash()));
    }
    return blocks;
  }
}
