package io.github.posj.core.stake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class ValidatorIdTest {
  @Test
  void derive_knownAnswers_areSha256OfTheMaterial() {
    // FIPS 180-2 example "abc", the empty input, and the address generate.py uses in the vectors.
    assertThat(ValidatorId.derive(ascii("abc")).hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ValidatorId.derive(new byte[0]).hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(ValidatorId.derive(ascii("validator-1")).hex())
        .isEqualTo("d2b40032aef27989dd2c44bedfe887441a2f14d0f5702d96d0bb62479be9d367");
  }

  @Test
  void derive_doesNotKeepTheCallersArray() {
    byte[] material = ascii("abc");
    ValidatorId id = ValidatorId.derive(material);
    material[0] = 'x';

    assertThat(id).isEqualTo(ValidatorId.derive(ascii("abc")));
  }

  @Test
  void fromHex_wireForms_roundTrip() {
    String hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    assertThat(ValidatorId.fromHex(hex).hex()).isEqualTo(hex);
    assertThat(ValidatorId.fromHex(hex)).isEqualTo(ValidatorId.derive(ascii("abc")));
    assertThat(ValidatorId.fromHex("")).isEqualTo(ValidatorId.NONE);
    assertThat(ValidatorId.NONE.isNone()).isTrue();
  }

  @Test
  void fromHex_notAnAddress_isRejectedWithTheText() {
    String upper = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
    for (String bad : new String[] {"abc", upper, "zz".repeat(32), "ab".repeat(31), " "}) {
      assertThatThrownBy(() -> ValidatorId.fromHex(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "a validator address is \"\" or 64 lowercase hex digits, got \"" + bad + "\"");
      assertThat(ValidatorId.parseHex(bad)).isEmpty();
    }
  }

  @Test
  void fromHex_longText_isShortenedInTheMessage() {
    String longText = "a".repeat(1000);

    assertThatThrownBy(() -> ValidatorId.fromHex(longText))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a validator address is \"\" or 64 lowercase hex digits, got \""
                + "a".repeat(77)
                + "...\"");
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
