package io.github.posj.net.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class IntegerTextTest {
  @Test
  void parse_digitsWithOptionalSign_givesTheValue() {
    assertThat(IntegerText.parse("100")).isEqualTo(new IntegerText.Parsed.Value(100));
    assertThat(IntegerText.parse("+7")).isEqualTo(new IntegerText.Parsed.Value(7));
    assertThat(IntegerText.parse("-5")).isEqualTo(new IntegerText.Parsed.Value(-5));
    assertThat(IntegerText.parse("007")).isEqualTo(new IntegerText.Parsed.Value(7));
  }

  @Test
  void parse_longLimits_areInRange() {
    assertThat(IntegerText.parse("9223372036854775807"))
        .isEqualTo(new IntegerText.Parsed.Value(Long.MAX_VALUE));
    assertThat(IntegerText.parse("-9223372036854775808"))
        .isEqualTo(new IntegerText.Parsed.Value(Long.MIN_VALUE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "99999999999999999999999"})
  void parse_beyondLongRange_isOutOfRange(String text) {
    assertThat(IntegerText.parse(text))
        .isEqualTo(new IntegerText.Parsed.OutOfRange(text.startsWith("-")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "+", "-", " 100", "100 ", "1_000", "0x10", "1e3", "7.5", "abc", "1-"})
  void parse_anythingButSignAndDigits_isNotAnInteger(String text) {
    assertThat(IntegerText.parse(text)).isEqualTo(new IntegerText.Parsed.NotAnInteger());
  }
}
