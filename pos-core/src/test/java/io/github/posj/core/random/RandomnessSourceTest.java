package io.github.posj.core.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.posj.core.testing.ScriptedRandomness;
import io.github.posj.core.testing.Vectors;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class RandomnessSourceTest {
  @Test
  void hashChain_knownAnswerVectors_match() {
    for (JsonNode vector : Vectors.cases("hash-chain-randomness.json")) {
      byte[] seed = HexFormat.of().parseHex(vector.get("seed").asText());
      RandomnessSource values = RandomnessSource.hashChain(seed);
      for (JsonNode expected : vector.get("nextLong")) {
        assertThat(values.nextLong()).isEqualTo(Vectors.int64(expected));
      }
      RandomnessSource draws = RandomnessSource.hashChain(seed);
      for (JsonNode draw : vector.get("nextLongBounded")) {
        assertThat(draws.nextLong(Vectors.int64(draw.get("bound"))))
            .as("seed %s bound %s", vector.get("seed"), draw.get("bound"))
            .isEqualTo(Vectors.int64(draw.get("value")));
      }
    }
  }

  @Test
  void seeded_knownAnswerVectors_matchSplitMix64() {
    for (JsonNode vector : Vectors.cases("splitmix64.json")) {
      long seed = Vectors.int64(vector.get("seed"));
      RandomnessSource values = RandomnessSource.seeded(seed);
      for (JsonNode expected : vector.get("nextLong")) {
        assertThat(values.nextLong()).isEqualTo(Vectors.int64(expected));
      }
      RandomnessSource draws = RandomnessSource.seeded(seed);
      for (JsonNode draw : vector.get("nextLongBounded")) {
        assertThat(draws.nextLong(Vectors.int64(draw.get("bound"))))
            .isEqualTo(Vectors.int64(draw.get("value")));
      }
    }
    assertThat(RandomnessSource.seeded(0).nextLong()).isEqualTo(0xe220a8397b1dcdafL);
  }

  @Test
  void nextLongBounded_valueInTheIncompleteLastRange_isRedrawn() {
    // bound 3: u = (2^63 - 1) lies in the last, incomplete copy of [0, 3) and must be rejected.
    ScriptedRandomness source = new ScriptedRandomness(-1L, 10L);

    assertThat(source.nextLong(3)).isEqualTo((10 >>> 1) % 3);
    assertThat(source.consumed()).isEqualTo(2);
  }

  @Test
  void nextLongBounded_powerOfTwo_usesTheLowBits() {
    assertThat(new ScriptedRandomness(0xFFL).nextLong(16)).isEqualTo(15);
  }

  @Test
  void nextLongBounded_nonPositiveBound_isRejected() {
    assertThatThrownBy(() -> RandomnessSource.seeded(1).nextLong(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }

  @Test
  void nextLongBounded_smallBound_isUniform() {
    RandomnessSource source = RandomnessSource.seeded(7);
    int[] counts = new int[6];
    int draws = 60_000;
    for (int i = 0; i < draws; i++) {
      counts[(int) source.nextLong(6)]++;
    }
    double chiSquare = 0;
    for (int count : counts) {
      chiSquare += Math.pow(count - draws / 6.0, 2) / (draws / 6.0);
    }
    // 5 degrees of freedom: P(X > 20.52) = 0.001. Deterministic for the fixed seed.
    assertThat(chiSquare).isLessThan(20.52);
  }

  @Test
  void from_adaptsAJdkGenerator() {
    RandomnessSource adapted = RandomnessSource.from(new SplittableRandom(5));
    SplittableRandom direct = new SplittableRandom(5);

    assertThat(adapted.nextLong()).isEqualTo(direct.nextLong());
  }
}
