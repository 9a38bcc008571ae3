package io.github.posj.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class UntrustedTextTest {
  @Test
  void escape_plainText_isUnchanged() {
    String text = "block 3: Timestamp \"2026-11-24 05:37\" é ✓ 😀";

    assertThat(UntrustedText.escape(text)).isSameAs(text);
  }

  @Test
  void escape_terminalControls_areShownAsUnicodeEscapes() {
    assertThat(UntrustedText.escape("a\u001b[31mred\u0007\r\n\t\u0000\u007f\u009b"))
        .isEqualTo("a\\u001b[31mred\\u0007\\u000d\\u000a\\u0009\\u0000\\u007f\\u009b");
  }

  @Test
  void escape_bidiOverridesAndSeparators_areShownAsUnicodeEscapes() {
    assertThat(UntrustedText.escape("ok\u202eevil\u2066\u200f\u061c\u2028\u2029"))
        .isEqualTo("ok\\u202eevil\\u2066\\u200f\\u061c\\u2028\\u2029");
  }

  @Test
  void escape_unpairedSurrogates_areShownAsUnicodeEscapes() {
    assertThat(UntrustedText.escape("x\ud800y\udc00")).isEqualTo("x\\ud800y\\udc00");
  }

  @Test
  void escape_escapedText_isUnchangedWhenEscapedAgain() {
    String once = UntrustedText.escape("\u001b\u202e");

    assertThat(UntrustedText.escape(once)).isEqualTo(once);
  }
}
