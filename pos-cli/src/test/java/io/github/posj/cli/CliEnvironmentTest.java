package io.github.posj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class CliEnvironmentTest {
  @Test
  void isTerminalDevice_terminals_areTerminals() {
    assertThat(CliEnvironment.isTerminalDevice("/dev/pts/3")).isTrue();
    assertThat(CliEnvironment.isTerminalDevice("/dev/tty1")).isTrue();
    assertThat(CliEnvironment.isTerminalDevice("/dev/console")).isTrue();
  }

  @Test
  void isTerminalDevice_filesAndPipes_areNot() {
    assertThat(CliEnvironment.isTerminalDevice("/home/me/err.log")).isFalse();
    assertThat(CliEnvironment.isTerminalDevice("pipe:[123456]")).isFalse();
    assertThat(CliEnvironment.isTerminalDevice("/dev/null")).isFalse();
    assertThat(CliEnvironment.isTerminalDevice("socket:[42]")).isFalse();
  }
}
