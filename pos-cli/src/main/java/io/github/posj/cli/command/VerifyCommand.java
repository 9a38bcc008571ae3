package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.convert.HashSchemeConverter;
import io.github.posj.cli.report.Quantity;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.GoTutorialHashScheme;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.chain.ChainRule;
import io.github.posj.core.chain.ChainValidation;
import io.github.posj.net.store.ChainFile;
import io.github.posj.net.store.FileChainStore;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
          + " file (pos-data/chain.jsonl: a header line, then one block per line), which is read"
          + " exactly as the server reads it, under the scheme its header names.",
      "Prints OK with the height, or the first broken block and the rule it breaks.",
      "Exit codes: 0 valid, 1 invalid, a chain file with a torn last line (which a server would"
          + " drop), or unreadable, 2 not a chain at all (the error's line and column are"
          + " printed)."
    })
public final class VerifyCommand implements Callable<Integer> {
  private final CliEnvironment environment;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The chain's JSON file, or - for standard input.")
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
    try (InputStream in = open()) {
      return verify(in);
    } catch (IOException e) {
      throw new CommandFailure("cannot read " + source() + ": " + e.getMessage());
    } catch (OutOfMemoryError e) {
      throw new CommandFailure(
          "not enough memory to hold the chain of "
              + source()
              + " (the heap's limit is "
              + Runtime.getRuntime().maxMemory() / (1024 * 1024)
              + " MiB; a block takes about 350 to 700 bytes). Run with a larger heap, e.g."
              + " POS_JAVA_OPTS=-Xmx2g ./pos verify "
              + file);
    }
  }

  private int verify(InputStream in) throws IOException {
    if (isChainFile(in)) {
      return verifyChainFile(in);
    }
    if (scheme == null) {
      scheme = HashScheme.posj();
    }
    ChainJson.ParsedChain parsed = ChainJson.parse(in);
    if (parsed instanceof ChainJson.ParsedChain.Malformed malformed) {
      throw new CommandFailure(
          source() + " is not a chain: " + malformed.describe(), PosCommand.USAGE);
    }
    List<Block> blocks = ((ChainJson.ParsedChain.Parsed) parsed).blocks();
    ChainValidation validation = Chain.validate(blocks, scheme);
    boolean goTutorial = scheme.name().equals(HashScheme.goTutorial().name());
    if (validation instanceof ChainValidation.Valid valid) {
      environment.out().println(ok(valid.chain(), scheme));
      if (goTutorial) {
        environment.out().println(GO_TUTORIAL_CAVEAT);
      }
      return PosCommand.OK;
    }
    ChainValidation.Invalid invalid = (ChainValidation.Invalid) validation;
    environment.out().println("INVALID (" + scheme.name() + " scheme): " + invalid.describe());
    if (!goTutorial
        && invalid.position() == 0
        && invalid.rule() == ChainRule.GENESIS_HASH
        && blocks.get(0).hash().hex().equals(GoTutorialHashScheme.GENESIS_HASH_HEX)) {
      // The Go program's genesis hash: the user most likely forgot --hash-scheme go-tutorial.
      ChainValidation underGo = Chain.validate(blocks, HashScheme.goTutorial());
      environment
          .out()
          .println(
              underGo instanceof ChainValidation.Invalid broken
                  ? "hint: its genesis is the original Go program's; under --hash-scheme"
                      + " go-tutorial it is also invalid: "
                      + broken.describe()
                  : "hint: this chain is valid under the go-tutorial scheme: it looks like a"
                      + " chain from the original Go program; try --hash-scheme go-tutorial");
    }
    return PosCommand.FAILURE;
  }

  /** What a go-tutorial OK does not vouch for (defect B12 of the original). */
  static final String GO_TUTORIAL_CAVEAT =
      "note: the go-tutorial hash does not cover a block's Validator nor the genesis Timestamp,"
          + " and BPMs or Indexes that are not Unicode code points hash alike, so changes there"
          + " go unseen; the posj scheme covers every field";

  /**
   * Whether the input is a node's chain file rather than a JSON array: it does not start with
   * {@code [}, and it is named {@code *.jsonl} or its first line (of at most {@link
   * ChainFile#MAX_LINE_BYTES} bytes looked at) has a {@code "format"} field. Reads nothing away:
   * {@code in} is reset to where it was.
   */
  private boolean isChainFile(InputStream in) throws IOException {
    in.mark(ChainFile.MAX_LINE_BYTES + 1);
    byte[] bytes = in.readNBytes(ChainFile.MAX_LINE_BYTES);
    in.reset();
    int first = 0;
    while (first < bytes.length && Character.isWhitespace(bytes[first])) {
      first++;
    }
    if (first < bytes.length && bytes[first] == '[') {
      return false;
    }
    int end = first;
    while (end < bytes.length && bytes[end] != '\n') {
      end++;
    }
    return file.endsWith(".jsonl")
        || new String(bytes, first, end - first, StandardCharsets.UTF_8).contains("\"format\"");
  }

  /**
   * A node's chain file, read by the same code as the server's store ({@link ChainFile}), so that
   * both agree on what it holds. The header names the scheme; a torn tail is reported as such.
   */
  private int verifyChainFile(InputStream in) throws IOException {
    long[] total = {0};
    ChainFile.Contents contents =
        ChainFile.read(
            new FilterInputStream(in) {
              @Override
              public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = super.read(buffer, offset, length);
                total[0] += Math.max(0, read);
                return read;
              }
            });
    Optional<HashScheme> named =
        contents instanceof ChainFile.Contents.Loaded loaded
            ? Optional.of(loaded.scheme())
            : ((ChainFile.Contents.Damaged) contents).scheme();
    if (named.isPresent() && explicitScheme() && !named.get().name().equals(scheme.name())) {
      throw new CommandFailure(
          source()
              + ": its header says the chain is hashed with the "
              + named.get().name()
              + " scheme, but --hash-scheme "
              + scheme.name()
              + " was given. Leave --hash-scheme out (a chain file names its own scheme), or give"
              + " --hash-scheme "
              + named.get().name()
              + ".",
          PosCommand.USAGE);
    }
    if (contents instanceof ChainFile.Contents.Damaged damaged) {
      if (damaged.rule().isEmpty()) {
        throw new CommandFailure(
            source() + " is not a chain file posj can read: " + damaged.describe(),
            PosCommand.USAGE);
      }
      environment
          .out()
          .println(
              "INVALID ("
                  + damaged.scheme().map(HashScheme::name).orElse("?")
                  + " scheme, from the header): "
                  + source()
                  + " "
                  + damaged.describe());
      return PosCommand.FAILURE;
    }
    ChainFile.Contents.Loaded loaded = (ChainFile.Contents.Loaded) contents;
    Chain chain = loaded.chain();
    switch (loaded.ending()) {
      case COMPLETE -> environment.out().println(ok(chain, loaded.scheme()));
      case MISSING_NEWLINE -> {
        environment.out().println(ok(chain, loaded.scheme()));
        environment
            .out()
            .println(
                "note: the last line (Index "
                    + chain.head().index()
                    + ") has no newline; the block is whole and valid, and a server keeps it"
                    + " and adds the newline when it starts");
      }
      case TORN -> {
        environment
            .out()
            .println(
                "TORN: "
                    + source()
                    + " ends with "
                    + Quantity.of(total[0] - loaded.chainLength(), "byte")
                    + " after its last complete line that are not a whole block (a write"
                    + " cut short by a crash). A server would drop those bytes when it starts"
                    + " (keeping a copy in "
                    + FileChainStore.TORN_FILE
                    + "). The chain before them is valid: "
                    + ok(chain, loaded.scheme()).substring("OK: ".length()));
        return PosCommand.FAILURE;
      }
    }
    return PosCommand.OK;
  }

  private static String ok(Chain chain, HashScheme scheme) {
    return "OK: "
        + Quantity.of(chain.size(), "block")
        + ", height "
        + chain.height()
        + ", head "
        + chain.head().hash().hex()
        + " ("
        + scheme.name()
        + " scheme)";
  }

  private boolean explicitScheme() {
    return spec.commandLine().getParseResult().hasMatchedOption("--hash-scheme");
  }

  private String source() {
    return file.equals("-") ? "standard input" : file;
  }

  /**
   * The input, buffered: standard input, or the file if it is a regular file (or a link to one),
   * refused with {@link ChainFile#notARegularFile}'s words otherwise, as a starting server refuses
   * it; a FIFO or a device is never opened.
   */
  private InputStream open() throws IOException {
    if (file.equals("-")) {
      return new BufferedInputStream(environment.in(), 64 * 1024) {
        @Override
        public void close() {
          // Standard input is not ours to close.
        }
      };
    }
    Path path = environment.workingDirectory().resolve(file);
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new CommandFailure("no such file: " + file);
    }
    Optional<String> unreadable = ChainFile.notARegularFile(path);
    if (unreadable.isPresent()) {
      throw new CommandFailure(unreadable.get() + "; a server would refuse it too");
    }
    return new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
  }
}
