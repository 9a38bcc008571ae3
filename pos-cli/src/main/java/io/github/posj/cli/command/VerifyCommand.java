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
import io.github.posj.core.chain.ChainHead;
import io.github.posj.core.chain.ChainRule;
import io.github.posj.core.chain.ChainValidation;
import io.github.posj.core.chain.HeadValidator;
import io.github.posj.net.store.ChainFile;
import io.github.posj.net.store.FileChainStore;
import io.github.posj.net.store.FileSignedChainStore;
import io.github.posj.net.store.SignedChainFile;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
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

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Network-mode chains: threads that check signatures (default 0: one per core).",
      defaultValue = "0")
  int threads;

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
      // Memory does not grow with the chain (one block and one line or token): only a heap of a
      // few MiB gets here.
      throw new CommandFailure(
          "not enough memory to check "
              + source()
              + " (the heap's limit is "
              + Runtime.getRuntime().maxMemory() / (1024 * 1024)
              + " MiB; checking holds one block at a time, whatever the chain's length). Run with"
              + " a larger heap, e.g. POS_JAVA_OPTS=-Xmx64m ./pos verify "
              + file);
    }
  }

  private int verify(InputStream in) throws IOException {
    if (isSignedChainFile(in)) {
      return verifySignedChainFile(in);
    }
    if (isChainFile(in)) {
      return verifyChainFile(in);
    }
    HashScheme chosen = scheme == null ? HashScheme.posj() : scheme;
    ArrayBlocks blocks = new ArrayBlocks(validatorFor(chosen));
    Optional<ChainJson.ParsedChain.Malformed> malformed = ChainJson.parseEach(in, blocks);
    if (malformed.isPresent()) {
      throw new CommandFailure(
          source() + " is not a chain: " + malformed.get().describe(), PosCommand.USAGE);
    }
    Optional<ChainValidation.Invalid> invalid = blocks.chain.invalid();
    if (invalid.isEmpty()) {
      environment.out().println(ok(blocks.chain.head().orElseThrow()));
      if (chosen.name().equals(HashScheme.goTutorial().name())) {
        environment.out().println(GO_TUTORIAL_CAVEAT);
      }
      return PosCommand.OK;
    }
    environment
        .out()
        .println("INVALID (" + chosen.name() + " scheme): " + invalid.get().describe());
    blocks.underGoTutorial.ifPresent(
        underGo ->
            environment
                .out()
                .println(
                    underGo
                        .invalid()
                        .map(
                            broken ->
                                "hint: its genesis is the original Go program's; under"
                                    + " --hash-scheme go-tutorial it is also invalid: "
                                    + broken.describe())
                        .orElse(
                            "hint: this chain is valid under the go-tutorial scheme: it looks like"
                                + " a chain from the original Go program; try --hash-scheme"
                                + " go-tutorial")));
    return PosCommand.FAILURE;
  }

  /**
   * What every block of a chain under {@code scheme} is handed to, in order, as it is read: the
   * chain rules, keeping only the chain's head, so that memory does not grow with the chain.
   */
  private static HeadValidator validatorFor(HashScheme scheme) {
    return new HeadValidator(scheme);
  }

  /**
   * The blocks of a JSON array as {@link ChainJson#parseEach} reads them: validated by {@code
   * chain} and, when it rejects the Go program's genesis hash (the user most likely forgot {@code
   * --hash-scheme go-tutorial}), under go-tutorial too, for the hint. Not thread-safe.
   */
  private static final class ArrayBlocks implements Consumer<Block> {
    private final HeadValidator chain;
    private Optional<HeadValidator> underGoTutorial = Optional.empty();

    ArrayBlocks(HeadValidator chain) {
      this.chain = chain;
    }

    @Override
    public void accept(Block block) {
      Optional<ChainValidation.Invalid> invalid = chain.validate(block);
      if (underGoTutorial.isEmpty() && invalid.isPresent() && rejectsGoGenesis(invalid.get())) {
        underGoTutorial = Optional.of(validatorFor(HashScheme.goTutorial()));
      }
      underGoTutorial.ifPresent(underGo -> underGo.validate(block));
    }

    private boolean rejectsGoGenesis(ChainValidation.Invalid invalid) {
      return !chain.scheme().name().equals(HashScheme.goTutorial().name())
          && invalid.position() == 0
          && invalid.rule() == ChainRule.GENESIS_HASH
          && invalid
              .block()
              .orElseThrow()
              .hash()
              .hex()
              .equals(GoTutorialHashScheme.GENESIS_HASH_HEX);
    }
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
   * both agree on what it holds, but checked against the previous block only, not built into a
   * chain. The header names the scheme; a torn tail is reported as such.
   */
  private int verifyChainFile(InputStream in) throws IOException {
    long[] total = {0};
    HeadValidator[] validator = new HeadValidator[1];
    ChainFile.Checked checked =
        ChainFile.check(
            new FilterInputStream(in) {
              @Override
              public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = super.read(buffer, offset, length);
                total[0] += Math.max(0, read);
                return read;
              }
            },
            named -> {
              refuseConflictingScheme(named);
              return validator[0] = validatorFor(named);
            });
    if (checked instanceof ChainFile.Contents.Damaged damaged) {
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
    ChainFile.Checked.Passed passed = (ChainFile.Checked.Passed) checked;
    ChainHead head = validator[0].head().orElseThrow();
    switch (passed.ending()) {
      case COMPLETE -> environment.out().println(ok(head));
      case MISSING_NEWLINE -> {
        environment.out().println(ok(head));
        environment
            .out()
            .println(
                "note: the last line (Index "
                    + head.block().index()
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
                    + Quantity.of(total[0] - passed.chainLength(), "byte")
                    + " after its last complete line that are not a whole block (a write"
                    + " cut short by a crash). A server would drop those bytes when it starts"
                    + " (keeping a copy in "
                    + FileChainStore.TORN_FILE
                    + "). The chain before them is valid: "
                    + ok(head).substring("OK: ".length()));
        return PosCommand.FAILURE;
      }
    }
    return PosCommand.OK;
  }

  /**
   * Stops with a usage error when {@code --hash-scheme} was given and differs from {@code named},
   * the scheme a chain file's header names: checked as soon as the header is read.
   */
  private void refuseConflictingScheme(HashScheme named) {
    if (explicitScheme() && !named.name().equals(scheme.name())) {
      throw new CommandFailure(
          source()
              + ": its header says the chain is hashed with the "
              + named.name()
              + " scheme, but --hash-scheme "
              + scheme.name()
              + " was given. Leave --hash-scheme out (a chain file names its own scheme), or give"
              + " --hash-scheme "
              + named.name()
              + ".",
          PosCommand.USAGE);
    }
  }

  private static String ok(ChainHead head) {
    return "OK: "
        + Quantity.of(head.size(), "block")
        + ", height "
        + head.height()
        + ", head "
        + head.block().hash().hex()
        + " ("
        + head.scheme().name()
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

  /** Whether the input is a network-mode chain file (format version 2). Reads nothing away. */
  private static boolean isSignedChainFile(InputStream in) throws IOException {
    in.mark(ChainFile.MAX_LINE_BYTES + 1);
    byte[] bytes = in.readNBytes(ChainFile.MAX_LINE_BYTES);
    in.reset();
    return SignedChainFile.declaresVersion2(bytes, bytes.length);
  }

  /**
   * A network-mode chain file: every block re-checked from the file alone (hashes, links, slots,
   * leaders, reveals, signatures), signatures on {@code --threads} threads, in memory bounded by
   * the validators; reports the speed.
   */
  private int verifySignedChainFile(InputStream in) throws IOException {
    if (explicitScheme()) {
      throw new CommandFailure(
          source()
              + " is a network-mode chain (format version 2), which has one hash rule;"
              + " --hash-scheme does not apply to it",
          PosCommand.USAGE);
    }
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "posj-verify");
              t.setDaemon(true);
              return t;
            });
    long start = System.nanoTime();
    SignedChainFile.Contents contents;
    try {
      contents = SignedChainFile.read(in, SignedChainFile.Options.streaming(pool, n));
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    PrintStream out = environment.out();
    if (contents instanceof SignedChainFile.Contents.Damaged damaged) {
      if (damaged.rule().isEmpty() && damaged.genesis().isEmpty()) {
        throw new CommandFailure(
            source() + " is not a chain file posj can read: " + damaged.describe(),
            PosCommand.USAGE);
      }
      out.println("INVALID (network mode): " + source() + " " + damaged.describe());
      return PosCommand.FAILURE;
    }
    SignedChainFile.Contents.Loaded loaded = (SignedChainFile.Contents.Loaded) contents;
    String ok =
        "OK: "
            + Quantity.of(loaded.blockCount() + 1, "block")
            + ", height "
            + loaded.state().head().index()
            + ", head "
            + loaded.state().head().hash().hex()
            + " (network mode: chain "
            + loaded.genesis().chainId()
            + ", genesis "
            + loaded.genesis().hash().hex()
            + "); every block is signed by its slot's leader, with its stake from the genesis";
    if (loaded.ending() == ChainFile.Ending.TORN) {
      out.println(
          "TORN: "
              + source()
              + " ends with bytes after its last complete line that are not a whole block (a"
              + " write cut short by a crash); a node drops them when it starts. The chain before"
              + " them is valid: "
              + ok.substring("OK: ".length()));
      return PosCommand.FAILURE;
    }
    out.println(ok);
    if (loaded.ending() == ChainFile.Ending.MISSING_NEWLINE) {
      out.println(
          "note: the last line has no newline; the block is whole and valid, and a node keeps it"
              + " and adds the newline when it starts");
    }
    if (!file.equals("-")) {
      Path journal =
          environment
              .workingDirectory()
              .resolve(file)
              .resolveSibling(FileSignedChainStore.SWITCH_JOURNAL);
      if (Files.exists(journal, LinkOption.NOFOLLOW_LINKS)) {
        out.println(
            "note: "
                + journal
                + " is there: a switch to a peer's chain was interrupted; the chain above is"
                + " valid, and the node completes the switch when it starts (docs/storage.md,"
                + " \"Switching chains\")");
      }
    }
    out.printf(
        Locale.ROOT,
        "checked in %.2f s: %,.0f blocks/s, signatures on %s%n",
        seconds,
        loaded.blockCount() / Math.max(seconds, 1e-9),
        Quantity.of(n, "thread"));
    return PosCommand.OK;
  }
}
