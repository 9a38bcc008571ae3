package io.github.posj.net.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class ReasonTextTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\u001b[2J", // ESC: clears a terminal
        "\u0007", // BEL
        "\r", // CR: overwrites the line shown
        "\u202e", // right-to-left override: reverses what follows
        "\u2066", // left-to-right isolate
        "\u200b", // zero-width space
        "\u2028", // line separator
        "\u0085" // next line (a C1 control)
      })
  void echoAndPrintable_charactersATerminalActsOnOrHides_becomeQuestionMarks(String hidden) {
    String text = "a" + hidden + "b";
    String expected = "a?" + hidden.substring(1) + "b";

    assertThat(ReasonText.echo(text)).isEqualTo(expected);
    assertThat(ReasonText.printable(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\t"})
  void printable_lineEndsAndTabs_stayButEchoReplacesThem(String kept) {
    assertThat(ReasonText.printable("a" + kept + "b")).isEqualTo("a" + kept + "b");
    assertThat(ReasonText.echo("a" + kept + "b")).isEqualTo("a?b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain text", "Grüße, 日本語, emoji \ud83d\ude00"})
  void printable_ordinaryText_isUnchanged(String text) {
    assertThat(ReasonText.printable(text)).isSameAs(text);
  }
}
