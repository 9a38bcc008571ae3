package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosCommand;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pos validator}'s options; checked before it connects, so no server is needed. */
final class ValidatorCommandTest {
  @TempDir Path dir;

  private ValidatorCommand parse(String... args) {
    return parse(Map.of(), args);
  }

  private ValidatorCommand parse(Map<String, String> variables, String... args) {
    CliRun run = new CliRun(variables, dir);
    CommandLine.ParseResult result = PosCommand.commandLine(run.environment()).parseArgs(args);
    return (ValidatorCommand) result.subcommand().commandSpec().userObject();
  }

  @Test
  void summaryRows_upTo50Validators_showsEveryOne() {
    assertThat(parse("validator", "--count", "50").summaryRows()).isEqualTo(50);
    assertThat(parse("validator", "--count", "7").summaryRows()).isEqualTo(7);
  }

  @Test
  void summaryRows_moreThan50_showsThe20LargestUnlessTopSaysOtherwise() {
    assertThat(parse("validator", "--count", "51").summaryRows()).isEqualTo(20);
    assertThat(parse("validator", "--count", "51", "--top", "51").summaryRows()).isEqualTo(51);
    assertThat(parse("validator", "--count", "10", "--top", "3").summaryRows()).isEqualTo(3);
  }

  @Test
  void top_withoutCountOrBelowOne_isAUsageError() {
    CliRun alone = new CliRun(dir);
    assertThat(alone.run("validator", "--port", "1", "--top", "3")).isEqualTo(PosCommand.USAGE);
    assertThat(alone.err()).contains("--top goes with --count");

    CliRun zero = new CliRun(dir);
    assertThat(zero.run("validator", "--port", "1", "--count", "5", "--top", "0"))
        .isEqualTo(PosCommand.USAGE);
    assertThat(zero.err()).contains("--top must be at least 1");
  }

  @Test
  void onceAndEvery_together_areAUsageError() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("validator", "--port", "1", "--once", "--every", "5s"))
        .isEqualTo(PosCommand.USAGE);
    assertThat(run.err()).contains("--every and --once are mutually exclusive");
  }

  @Test
  void onceAndEvery_bothFromTheEnvironment_areAUsageError() {
    CliRun run = new CliRun(Map.of("POS_ONCE", "true", "POS_EVERY", "5s"), dir);

    assertThat(run.run("validator", "--port", "1")).isEqualTo(PosCommand.USAGE);
    assertThat(run.err()).contains("POS_EVERY=5s (from the environment)");
  }

  @Test
  void onceFlag_winsOverPosEvery() {
    ValidatorCommand command = parse(Map.of("POS_EVERY", "5s"), "validator", "--once");

    command.resolveSchedule();

    assertThat(command.once).isTrue();
    assertThat(command.every).isNull();
  }

  @Test
  void everyFlag_winsOverPosOnce() {
    ValidatorCommand command = parse(Map.of("POS_ONCE", "true"), "validator", "--every", "2s");

    command.resolveSchedule();

    assertThat(command.once).isFalse();
    assertThat(command.every).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void unknownHost_saysSo() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("validator", "--host", "nosuchhost.invalid", "--timeout", "2s"))
        .isEqualTo(PosCommand.FAILURE);
    assertThat(run.err())
        .isEqualTo(
            "pos validator: cannot connect to nosuchhost.invalid:9000: unknown host"
                + " nosuchhost.invalid (check --host)"
                + System.lineSeparator());
  }

  @Test
  void stake_zeroOrNegative_isAUsageErrorBeforeConnecting() {
    for (String stake : new String[] {"0", "-5"}) {
      CliRun run = new CliRun(dir);

      assertThat(run.run("validator", "--port", "1", "--stake", stake)).isEqualTo(PosCommand.USAGE);
      assertThat(run.err())
          .isEqualTo(
              "pos validator: --stake must be at least 1 token, got "
                  + stake
                  + System.lineSeparator());
    }
  }

  @Test
  void server_connectsButNeverGreets_saysSoInsteadOfCannotConnect() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun run = new CliRun(dir);
      String port = String.valueOf(silent.getLocalPort());

      assertThat(run.run("validator", "--port", port, "--timeout", "300ms"))
          .isEqualTo(PosCommand.FAILURE);
      assertThat(run.err())
          .isEqualTo(
              "pos validator: 127.0.0.1:"
                  + port
                  + ": connected, but the server sent no welcome within 300 ms"
                  + System.lineSeparator());
    }
  }

  @Test
  void timeout_beyondWhatALongHolds_isAUsageErrorInWords() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("validator", "--port", "1", "--timeout", "1e30"))
        .isEqualTo(PosCommand.USAGE);
    assertThat(run.err()).startsWith("pos validator: --timeout: '1e30' is too long a duration");
  }

  @Test
  void timeout_longerThanAnIntOfMilliseconds_stillConnects() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    CliRun run = new CliRun(dir);

    // 1000 h is more than Integer.MAX_VALUE ms; the refused connection is the expected end.
    assertThat(run.run("validator", "--port", String.valueOf(port), "--timeout", "1000h"))
        .isEqualTo(PosCommand.FAILURE);
    assertThat(run.err()).contains("cannot connect to 127.0.0.1:").doesNotContain("overflow");
  }
}
