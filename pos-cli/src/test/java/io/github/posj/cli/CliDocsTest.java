package io.github.posj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.options.EnvironmentDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** docs/cli.md says which variables each command reads; this keeps it true. */
final class CliDocsTest {
  private static final Path CLI_DOC = Path.of("..", "docs", "cli.md");

  @TempDir Path dir;

  @Test
  void cliDoc_listsEveryVariableEachCommandReads() throws IOException {
    List<String> doc = Files.readAllLines(CLI_DOC, StandardCharsets.UTF_8);
    CommandLine root = PosCommand.commandLine(new CliRun(dir).environment());

    assertListed(doc, "every command", root.getCommandSpec());
    assertSubcommandsListed(doc, root);
  }

  /** Each subcommand's row, and its own subcommands' rows ({@code pos devnet init}). */
  private static void assertSubcommandsListed(List<String> doc, CommandLine parent) {
    for (CommandLine command : parent.getSubcommands().values()) {
      assertListed(
          doc, "`" + command.getCommandSpec().qualifiedName() + "`", command.getCommandSpec());
      assertSubcommandsListed(doc, command);
    }
  }

  private static void assertListed(List<String> doc, String rowName, CommandSpec spec) {
    List<String> keys = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (!option.inherited()) {
        keys.addAll(EnvironmentDefaults.keys(option));
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    String row =
        doc.stream()
            .filter(line -> line.startsWith("| " + rowName + " |"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("docs/cli.md has no row | " + rowName + " |"));
    for (String key : keys) {
      assertThat(row).as(rowName).contains("`" + key + "`");
    }
  }
}
