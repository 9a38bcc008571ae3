package io.github.posj.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosCommand;
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
    CliRun run = new CliRun(variables, dir);
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
    Files.writeString(dir.resolve(".env"), "PORT 9000\n");
    CliRun run = new CliRun(dir);

    int exit = run.run("server", "--in-memory");

    assertThat(exit).isEqualTo(PosCommand.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "pos: .env line 1: expected KEY=VALUE, got \"PORT 9000\"" + System.lineSeparator())
        .doesNotContain("Exception");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void dotEnv_malformedFile_failsEveryCommandThatReadsOptions() throws IOException {
    Files.writeString(dir.resolve(".env"), "PORT=9000\nPOS_SEED 1\n");

    // Each a command line that would be valid without the .env (verify needs its FILE).
    for (String command : List.of("server", "validator", "verify chain.json", "simulate")) {
      CliRun run = new CliRun(dir);
      assertThat(run.run(command.split(" "))).as(command).isEqualTo(PosCommand.USAGE);
      assertThat(run.err())
          .as(command)
          .isEqualTo(
              "pos: .env line 2: expected KEY=VALUE, got \"POS_SEED 1\"" + System.lineSeparator());
    }
  }

  @Test
  void dotEnv_malformedFile_stillShowsHelpAndVersion() throws IOException {
    Files.writeString(dir.resolve(".env"), "PORT 9000\n");

    for (List<String> args :
        List.of(List.of("--help"), List.of("--version"), List.of("simulate", "--help"))) {
      CliRun run = new CliRun(dir);
      assertThat(run.run(args.toArray(String[]::new))).as(args.toString()).isZero();
      assertThat(run.out()).as(args.toString()).isNotEmpty();
      assertThat(run.err()).as(args.toString()).isEmpty();
    }
  }

  @Test
  void dotEnv_inlineCommentAfterAnUnquotedValue_isDropped() throws IOException {
    Files.writeString(
        dir.resolve(".env"), "PORT=9000 # the tutorial's port\nPOS_ROUND_SECONDS=7\t# seconds\n");

    CommandLine.ParseResult result = parse(Map.of(), "server");

    assertThat((Integer) option(result, "--port")).isEqualTo(9000);
    assertThat((Duration) option(result, "--round-seconds")).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void dotEnv_valuesAreReadAsGodotenvReadsThem() {
    DotEnv env =
        DotEnv.parse(
            List.of(
                "A=a#b",
                "B=\"x # not a comment\" # a comment",
                "C='single \\n kept' # comment",
                "D=\"line\\nbreak \\\"quoted\\\" back\\\\slash\"",
                "export E = spaced ",
                "F=",
                "G=\"\""),
            ".env");

    assertThat(env.entry("A")).contains(new DotEnv.Entry("a#b", 1));
    assertThat(env.entry("B")).contains(new DotEnv.Entry("x # not a comment", 2));
    assertThat(env.entry("C")).contains(new DotEnv.Entry("single \\n kept", 3));
    assertThat(env.entry("D")).contains(new DotEnv.Entry("line\nbreak \"quoted\" back\\slash", 4));
    assertThat(env.entry("E")).contains(new DotEnv.Entry("spaced", 5));
    assertThat(env.entry("F")).contains(new DotEnv.Entry("", 6));
    assertThat(env.entry("G")).contains(new DotEnv.Entry("", 7));
  }

  @Test
  void dotEnv_badQuotes_areErrorsNamingTheLine() {
    assertThatThrownBy(() -> DotEnv.parse(List.of("A=1", "B=\"open"), ".env"))
        .hasMessage(".env line 2: the closing \" is missing, got \"B=\"open\"");
    assertThatThrownBy(() -> DotEnv.parse(List.of("B='x' y"), ".env"))
        .hasMessage(".env line 1: unexpected text after the closing quote, got \"B='x' y\"");
  }
}
