package io.github.posj.net.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.node.NetworkEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ReasonTextTest {
  @ParameterizedTest
  @CsvSource({
    "001b, ESC: clears a terminal",
    "0007, BEL",
    "000d, CR: overwrites the line shown",
    "202e, right-to-left override: reverses what follows",
    "2066, left-to-right isolate",
    "200b, zero-width space",
    "2028, line separator",
    "0085, next line (a C1 control)"
  })
  void echoAndPrintable_charactersATerminalActsOnOrHides_areVisibleEscapes(
      String hex, String what) {
    String text = "a" + (char) Integer.parseInt(hex, 16) + "b";

    assertThat(ReasonText.echo(text)).as(what).isEqualTo("a\\u" + hex + "b");
    assertThat(ReasonText.printable(text)).as(what).isEqualTo("a\\u" + hex + "b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\nb\n", "\nb"})
  void printable_lineEnds_stayButEchoEscapesThem(String text) {
    assertThat(ReasonText.printable(text)).isEqualTo(text);
    assertThat(ReasonText.echo(text)).doesNotContain("\n").contains("\\u000a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain text", "Grüße, 日本語, emoji \ud83d\ude00"})
  void printable_ordinaryText_isUnchanged(String text) {
    assertThat(ReasonText.printable(text)).isEqualTo(text);
  }

  @ParameterizedTest
  @EnumSource(NetworkEvent.Refusal.class)
  void refusalCode_everyRefusal_isItsNameInKebabCase(NetworkEvent.Refusal reason) {
    assertThat(ReasonText.refusalCode(reason))
        .isEqualTo(reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
  }
}
