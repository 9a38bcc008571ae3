package io.github.posj.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.StopSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

final class EnvironmentDefaultsTest {
  @TempDir Path dir;

  private CommandLine.ParseResult parse(Map<String, String> variables, String... args) {
    CliRun run = new CliRun(variables, dir, "", new StopSignal.LatchStopSignal());
    return PosCommand.commandLine(run.environment()).parseArgs(args);
  }

  /** The value the subcommand's option got: from the flag, the environment or the default. */
  private static <T> T option(CommandLine.ParseResult result, String name) {
    return result.subcommand().commandSpec().findOption(name).getValue();
  }

  @Test
  void port_flagWinsOverEnvironmentAndDotEnv() throws IOException {
    Files.writeString(dir.resolve(".env"), "PORT=7000\n");

    Integer port = option(parse(Map.of("PORT", "8000"), "server", "--port", "9100"), "--port");

    assertThat(port).isEqualTo(9100);
  }

  @Test
  void port_environmentWinsOverDotEnv() throws IOException {
    Files.writeString(dir.resolve(".env"), "PORT=7000\n");

    Integer port = option(parse(Map.of("PORT", "8000"), "server"), "--port");

    assertThat(port).isEqualTo(8000);
  }

  @Test
  void port_dotEnvWinsOverTheDefault() throws IOException {
    Files.writeString(dir.resolve(".env"), "# the tutorial's example.env\nPORT=7000\n");

    assertThat((Integer) option(parse(Map.of(), "server"), "--port")).isEqualTo(7000);
  }

  @Test
  void port_tutorialsAddr_isAcceptedWithOrWithoutColon() throws IOException {
    assertThat((Integer) option(parse(Map.of("ADDR", "9001"), "server"), "--port")).isEqualTo(9001);
    Files.writeString(dir.resolve(".env"), "ADDR=:9002\n");
    assertThat((Integer) option(parse(Map.of(), "server"), "--port")).isEqualTo(9002);
  }

  @Test
  void port_nothingSet_isTheTutorials9000() {
    assertThat((Integer) option(parse(Map.of(), "server"), "--port")).isEqualTo(9000);
  }

  @Test
  void otherOptions_comeFromPosVariablesWithTheSamePrecedence() throws IOException {
    Files.writeString(
        dir.resolve(".env"), "POS_ROUND_SECONDS=7\nexport POS_HASH_SCHEME='go-tutorial'\n");

    CommandLine.ParseResult fromDotEnv = parse(Map.of(), "server");
    CommandLine.ParseResult fromEnv = parse(Map.of("POS_ROUND_SECONDS", "3"), "server");
    CommandLine.ParseResult fromFlag =
        parse(Map.of("POS_ROUND_SECONDS", "3"), "server", "--round-seconds", "1");

    assertThat((Duration) option(fromDotEnv, "--round-seconds")).isEqualTo(Duration.ofSeconds(7));
    assertThat(option(fromDotEnv, "--hash-scheme").toString()).isEqualTo("go-tutorial");
    assertThat((Duration) option(fromEnv, "--round-seconds")).isEqualTo(Duration.ofSeconds(3));
    assertThat((Duration) option(fromFlag, "--round-seconds")).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void dotEnv_malformedLine_isAClearErrorNamingTheLine() {
    assertThatThrownBy(() -> DotEnv.parse(List.of("PORT=1", "this is not", "X=2"), ".env"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".env line 2")
        .hasMessageContaining("KEY=VALUE");
  }

  @Test
  void dotEnv_malformedFile_failsTheCommandWithTheMessage() throws IOException {
    Files.writeString(dir.resolve(".env"), "=oops\n");
    CliRun run = new CliRun(dir);

    int exit = run.run("server", "--in-memory");

    assertThat(exit).isNotZero();
    assertThat(run.err()).contains(".env line 1");
  }
}
