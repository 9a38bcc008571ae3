package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.convert.HashSchemeConverter;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.chain.ChainRule;
import io.github.posj.core.chain.ChainValidation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pos verify}: checks a chain's JSON, ours or one captured from the Go program. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a chain: a JSON array of blocks, as the server broadcasts it, or a node's chain"
          + " file (pos-data/chain.jsonl: a header line, then one block per line).",
      "Prints OK with the height, or the first broken block and the rule it breaks.",
      "Exit codes: 0 valid, 1 invalid (or unreadable), 2 not a chain at all (the JSON error's"
          + " line and column are printed)."
    })
public final class VerifyCommand implements Callable<Integer> {
  private final CliEnvironment environment;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "FILE",
      description = "The chain's JSON file, or - for standard input.",
      defaultValue = "-")
  String file;

  @Option(
      names = "--hash-scheme",
      paramLabel = "SCHEME",
      converter = HashSchemeConverter.class,
      description =
          "How block hashes are computed: posj (default; for a chain file, the scheme its header"
              + " names) or go-tutorial (a chain captured from the original Go program).")
  HashScheme scheme;

  VerifyCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    String json = read();
    if (scheme == null) {
      scheme = HashScheme.posj();
    }
    if (json.startsWith(CHAIN_FILE_HEADER)) {
      json = chainFileAsArray(json);
    }
    ChainJson.ParsedChain parsed = ChainJson.parse(json);
    if (parsed instanceof ChainJson.ParsedChain.Malformed malformed) {
      throw new CommandFailure(
          source() + " is not a chain: " + malformed.describe(), PosCommand.USAGE);
    }
    List<Block> blocks = ((ChainJson.ParsedChain.Parsed) parsed).blocks();
    ChainValidation validation = Chain.validate(blocks, scheme);
    if (validation instanceof ChainValidation.Valid valid) {
      Chain chain = valid.chain();
      environment
          .out()
          .println(
              "OK: "
                  + chain.size()
                  + " blocks, height "
                  + chain.height()
                  + ", head "
                  + chain.head().hash().hex()
                  + " ("
                  + scheme.name()
                  + " scheme)");
      return PosCommand.OK;
    }
    ChainValidation.Invalid invalid = (ChainValidation.Invalid) validation;
    environment.out().println("INVALID (" + scheme.name() + " scheme): " + invalid.describe());
    if (invalid.position() == 0
        && invalid.rule() == ChainRule.GENESIS_HASH
        && !scheme.name().equals(HashScheme.goTutorial().name())
        && Chain.validate(blocks, HashScheme.goTutorial()) instanceof ChainValidation.Valid) {
      environment
          .out()
          .println(
              "hint: this chain is valid under the go-tutorial scheme: it looks like a chain"
                  + " from the original Go program; try --hash-scheme go-tutorial");
    }
    return PosCommand.FAILURE;
  }

  private static final String CHAIN_FILE_HEADER = "{\"format\":\"posj-chain\"";

  /**
   * A node's chain file (FileChainStore: a header, then a block per line) as a JSON array; takes
   * the header's hash scheme unless --hash-scheme was given. A torn last line is left in, so it is
   * reported.
   */
  private String chainFileAsArray(String text) {
    String[] lines = text.split("\n", -1);
    java.util.regex.Matcher named =
        java.util.regex.Pattern.compile("\"hashScheme\":\"([a-z-]+)\"").matcher(lines[0]);
    if (!explicitScheme() && named.find()) {
      scheme =
          HashScheme.named(named.group(1))
              .orElseThrow(
                  () ->
                      new CommandFailure(
                          source() + ": unknown hash scheme in the header: " + named.group(1)));
    }
    StringBuilder array = new StringBuilder("[");
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      array.append(array.length() > 1 ? ",\n" : "\n").append(lines[i]);
    }
    return array.append("\n]").toString();
  }

  private boolean explicitScheme() {
    return spec.commandLine().getParseResult().hasMatchedOption("--hash-scheme");
  }

  private String source() {
    return file.equals("-") ? "standard input" : file;
  }

  private String read() {
    try {
      if (file.equals("-")) {
        return new String(environment.in().readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(environment.workingDirectory().resolve(file));
    } catch (NoSuchFileException e) {
      throw new CommandFailure("no such file: " + file);
    } catch (IOException e) {
      throw new CommandFailure("cannot read " + source() + ": " + e.getMessage());
    }
  }
}
