package io.github.posj.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
    CliRun run =
        new CliRun(
            Map.of("POS_QUIET", "true", "POS_VERBOSE", "true"),
            dir,
            "",
            new StopSignal.LatchStopSignal());

    assertThat(run.run("simulate", "--rounds", "1")).isEqualTo(PosCommand.USAGE);
    assertThat(run.err()).contains("POS_VERBOSE=true (from the environment)");
  }
}
