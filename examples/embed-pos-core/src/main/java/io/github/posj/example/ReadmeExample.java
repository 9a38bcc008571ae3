package io.github.posj.example;

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

/**
 * The README's "Use pos-core from Java" example: one round between two validators, then the chain
 * as JSON. The code between the markers is the README's {@code java} block, word for word:
 * pos-core's {@code ReadmeExampleTest} compiles and runs it and fails when the two drift apart, and
 * posj's build runs this project against the published artifacts.
 */
public final class ReadmeExample {
  private ReadmeExample() {}

  /** Runs the example and fails unless the round forged a block. */
  public static void main(String[] args) {
    Chain chain = run();
    if (chain.size() != 2) {
      throw new IllegalStateException("expected genesis and one forged block, got " + chain.size());
    }
  }

  /** Runs the example, printing the winner and the chain, and returns the chain. */
  public static Chain run() {
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
    return chain;
  }
}
