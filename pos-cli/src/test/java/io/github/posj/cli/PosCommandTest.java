package io.github.posj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root command: options every command shares, and how errors are reported. */
final class PosCommandTest {
  @TempDir Path dir;

  @Test
  void quietAndVerbose_together_areAUsageError() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("--quiet", "simulate", "--verbose", "--rounds", "1"))
        .isEqualTo(PosCommand.USAGE);
    assertThat(run.err()).contains("--verbose and --quiet are mutually exclusive");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void quietAndVerbose_bothFromTheEnvironment_areAUsageError() {
    CliRun run = new CliRun(Map.of("POS_QUIET", "true", "POS_VERBOSE", "true"), dir);

    assertThat(run.run("simulate", "--rounds", "1")).isEqualTo(PosCommand.USAGE);
    assertThat(run.err()).contains("POS_VERBOSE=true (from the environment)");
  }

  @Test
  void usageError_printsTheErrorAndWhereToReadMore_notTheWholeHelp() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("server", "--prot", "9000")).isEqualTo(PosCommand.USAGE);

    assertThat(run.err())
        .startsWith("pos server: Unknown options: '--prot', '9000'")
        .endsWith("Try 'pos server --help' for more information." + System.lineSeparator())
        .doesNotContain("Usage:");
  }

  @Test
  void badValueFromTheEnvironment_namesTheVariable() {
    CliRun run = new CliRun(Map.of("POS_ROUND_SECONDS", "abc"), dir);

    assertThat(run.run("server", "--in-memory")).isEqualTo(PosCommand.USAGE);
    assertThat(run.err())
        .startsWith("pos server: --round-seconds: 'abc' is not a duration")
        .contains("(set by POS_ROUND_SECONDS in the environment)");
  }

  @Test
  void badValueFromDotEnv_namesTheLine() throws IOException {
    Files.writeString(dir.resolve(".env"), "# tutorial\nADDR=localhost:9000\n");
    CliRun run = new CliRun(dir);

    assertThat(run.run("server", "--in-memory")).isEqualTo(PosCommand.USAGE);
    assertThat(run.err())
        .contains("--port: 'localhost:9000' is not a whole number")
        .contains("(set by ADDR in .env line 2)");
  }

  @Test
  void badValueOnTheCommandLine_doesNotBlameTheEnvironment() {
    CliRun run = new CliRun(Map.of("POS_ROUND_SECONDS", "abc"), dir);

    assertThat(run.run("server", "--round-seconds=xyz")).isEqualTo(PosCommand.USAGE);
    assertThat(run.err()).contains("'xyz' is not a duration").doesNotContain("set by");
  }

  @Test
  void help_asACommand_printsTheUsageOfTheRootOrOfTheNamedCommand() {
    CliRun root = new CliRun(dir);
    CliRun server = new CliRun(dir);

    assertThat(root.run("help")).isZero();
    assertThat(server.run("help", "server")).isZero();

    assertThat(root.out()).startsWith("Usage: pos ").contains("validator").contains("version");
    assertThat(server.out()).startsWith("Usage: pos server ").contains("--round-seconds");
  }

  @Test
  void version_asACommand_printsWhatTheVersionOptionPrints() {
    CliRun command = new CliRun(dir);
    CliRun option = new CliRun(dir);

    assertThat(command.run("version")).isZero();
    assertThat(option.run("--version")).isZero();

    assertThat(command.out()).startsWith("pos (posj) ").isEqualTo(option.out());
  }

  @Test
  void helpAndVersion_withAMalformedDotEnv_stillWork() throws IOException {
    Files.writeString(dir.resolve(".env"), "PORT 9000\n");
    CliRun help = new CliRun(dir);
    CliRun version = new CliRun(dir);

    assertThat(help.run("help")).isZero();
    assertThat(version.run("version")).isZero();
  }

  @Test
  void badNumber_saysWholeNumberNotJavasTypeName() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("validator", "--rounds", "abc")).isEqualTo(PosCommand.USAGE);

    assertThat(run.err())
        .startsWith("pos validator: --rounds: 'abc' is not a whole number" + System.lineSeparator())
        .doesNotContain("long")
        .doesNotContain("Invalid value");
  }
}
