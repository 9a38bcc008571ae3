package io.github.posj.core.genesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.testing.TestNetwork;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

final class GenesisTest {
  private static final Instant TIME = Instant.parse("2026-12-01T00:00:00Z");
  private static final Hash COMMITMENT = Hash.fromHex("11".repeat(32));

  private static GenesisValidator validator(int i, long stake) {
    return new GenesisValidator(TestNetwork.key(i).publicKey(), stake, COMMITMENT);
  }

  @Test
  void theHashDoesNotDependOnTheOrderValidatorsAreGivenIn() {
    List<GenesisValidator> validators = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      validators.add(validator(i, i + 1));
    }
    Genesis a = Genesis.of("posj-devnet", TIME, 30, 8, validators);
    Collections.reverse(validators);
    Genesis b = Genesis.of("posj-devnet", TIME, 30, 8, validators);

    assertThat(b.hash()).isEqualTo(a.hash());
    assertThat(a.validators()).extracting(GenesisValidator::address).isSorted();
    assertThat(a.totalStake()).isEqualTo(21);
  }

  @Test
  void everyParameterChangesTheHash() {
    List<GenesisValidator> one = List.of(validator(0, 5));
    Hash base = Genesis.of("posj-devnet", TIME, 30, 8, one).hash();
    assertThat(Genesis.of("posj-devne", TIME, 30, 8, one).hash()).isNotEqualTo(base);
    assertThat(Genesis.of("posj-devnet", TIME.plusSeconds(1), 30, 8, one).hash())
        .isNotEqualTo(base);
    assertThat(Genesis.of("posj-devnet", TIME, 31, 8, one).hash()).isNotEqualTo(base);
    assertThat(Genesis.of("posj-devnet", TIME, 30, 9, one).hash()).isNotEqualTo(base);
    assertThat(Genesis.of("posj-devnet", TIME, 30, 8, List.of(validator(0, 6))).hash())
        .isNotEqualTo(base);
    assertThat(
            Genesis.of(
                    "posj-devnet",
                    TIME,
                    30,
                    8,
                    List.of(
                        new GenesisValidator(
                            TestNetwork.key(0).publicKey(), 5, Hash.fromHex("12".repeat(32)))))
                .hash())
        .isNotEqualTo(base);
  }

  @Test
  void block0IsDerivedFromTheGenesis() {
    Genesis genesis = Genesis.of("posj-devnet", TIME, 30, 8, List.of(validator(0, 5)));
    assertThat(genesis.block0().index()).isZero();
    assertThat(genesis.block0().timestamp()).isEqualTo("2026-12-01 00:00:00 +0000 UTC");
    assertThat(genesis.block0().hash()).isEqualTo(genesis.hash());
    assertThat(genesis.block0().prevHash()).isEqualTo(Hash.EMPTY);
    assertThat(genesis.block0().validator()).isEqualTo(ValidatorId.NONE);
  }

  @Test
  void slotsAndEpochs() {
    Genesis genesis = Genesis.of("c", TIME, 30, 8, List.of(validator(0, 5)));
    assertThat(genesis.slotStart(0)).isEqualTo(TIME);
    assertThat(genesis.slotStart(3)).isEqualTo(TIME.plusSeconds(90));
    assertThat(genesis.slotAt(TIME.minusNanos(1))).isEqualTo(-1);
    assertThat(genesis.slotAt(TIME)).isZero();
    assertThat(genesis.slotAt(TIME.plusSeconds(29).plusNanos(999_999_999))).isZero();
    assertThat(genesis.slotAt(TIME.plusSeconds(30))).isEqualTo(1);
    assertThat(genesis.epochOf(7)).isZero();
    assertThat(genesis.epochOf(8)).isEqualTo(1);
  }

  @Test
  void badGenesisesAreRefusedWithTheRuleAndTheValue() {
    List<GenesisValidator> one = List.of(validator(0, 5));
    assertThatThrownBy(() -> Genesis.of("", TIME, 30, 8, one))
        .hasMessage("a chain id is 1 to 64 characters from A-Z a-z 0-9 . _ -, got \"\"");
    assertThatThrownBy(() -> Genesis.of("a b", TIME, 30, 8, one)).hasMessageContaining("\"a b\"");
    assertThatThrownBy(() -> Genesis.of("c", TIME.plusMillis(5), 30, 8, one))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> Genesis.of("c", Instant.parse("1969-12-31T23:59:59Z"), 30, 8, one))
        .hasMessageContaining("whole seconds from 1970-01-01T00:00:00Z");
    assertThatThrownBy(() -> Genesis.of("c", TIME, 0, 8, one))
        .hasMessage("a slot lasts 1 to 86400 seconds, got 0");
    assertThatThrownBy(() -> Genesis.of("c", TIME, 30, 0, one))
        .hasMessage("an epoch has 1 to 1000000 slots, got 0");
    assertThatThrownBy(() -> Genesis.of("c", TIME, 30, 8, List.of()))
        .hasMessage("a genesis has 1 to 100000 validators, got 0");
    assertThatThrownBy(
            () -> Genesis.of("c", TIME, 30, 8, List.of(validator(0, 5), validator(0, 6))))
        .hasMessageStartingWith("a key is listed twice in the genesis: ");
    assertThatThrownBy(
            () ->
                Genesis.of(
                    "c", TIME, 30, 8, List.of(validator(0, Long.MAX_VALUE), validator(1, 1))))
        .hasMessageContaining("add up to more than 9223372036854775807");
    assertThatThrownBy(() -> validator(0, 0)).hasMessageContaining("stake is at least 1, got 0");
    byte[] identity = new byte[32];
    identity[0] = 1;
    assertThatThrownBy(
            () ->
                Genesis.of(
                    "c",
                    TIME,
                    30,
                    8,
                    List.of(new GenesisValidator(PublicKey.of(identity), 1, COMMITMENT))))
        .hasMessageContaining("valid Ed25519 public key");
  }

  @Test
  void aSingleMaximalStakeIsAllowed() {
    Genesis genesis = Genesis.of("c", TIME, 30, 8, List.of(validator(0, Long.MAX_VALUE)));
    assertThat(genesis.totalStake()).isEqualTo(Long.MAX_VALUE);
  }
}
