package io.github.posj.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.stake.ValidatorId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FairnessReport}'s table. */
final class FairnessReportTest {
  private static String print(FairnessReport report) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static ValidatorId validator(String name) {
    return ValidatorId.derive(name.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void print_tinyNegativeDifference_showsZeroWithoutAMinusSign() {
    // v1 expects 1 × 1/30000 wins and has none: a difference of -0.00003.
    FairnessReport report =
        new FairnessReport(
            List.of(
                new FairnessReport.Row("v0", validator("a"), 29_999, 1),
                new FairnessReport.Row("v1", validator("b"), 1, 0)),
            1);

    String table = print(report);

    assertThat(table).doesNotContain("-0.0").contains("+0.0");
  }
}
