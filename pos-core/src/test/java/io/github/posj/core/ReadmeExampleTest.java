package io.github.posj.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.round.Round;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's pos-core example, compiled and run so that it stays true. */
final class ReadmeExampleTest {
  @Test
  void readmeExample_forgesABlock() {
    // --- README example start
    Chain chain = Chain.genesis(HashScheme.posj(), GoTimestamp.format(Instant.now()));
    ValidatorId alice = ValidatorId.derive("alice".getBytes(StandardCharsets.UTF_8));
    ValidatorId bob = ValidatorId.derive("bob".getBytes(StandardCharsets.UTF_8));
    StakeTable stakes = StakeTable.empty().with(alice, 100).with(bob, 300);

    String now = GoTimestamp.format(Instant.now());
    List<Block> proposals = List.of(chain.nextBlock(72, now, alice), chain.nextBlock(65, now, bob));
    RoundOutcome outcome =
        new Round(chain, proposals, stakes).resolve(RandomnessSource.from(new SecureRandom()));

    if (outcome instanceof RoundOutcome.Forged forged) { // bob wins 3 times in 4
      chain = forged.chain();
      System.out.println("winning validator: " + forged.winner());
    }
    System.out.println(ChainJson.write(chain.blocks()));
    // --- README example end

    assertThat(chain.size()).isEqualTo(2);
  }
}
