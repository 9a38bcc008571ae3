package io.github.posj.net.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import io.github.posj.core.chain.ChainRule;
import io.github.posj.core.chain.ForkChoice;
import io.github.posj.core.chain.RuleViolation;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisJson;
import io.github.posj.core.text.UntrustedText;
import io.github.posj.net.store.ChainFile.Ending;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The network-mode chain file (format version 2, {@code docs/network.md} section 8): a header line
 * that holds the genesis, block 0, then one signed block per line. Read one line at a time and
 * checked against every rule with {@link SignedChainState}: memory holds the state (bounded by the
 * validators), at most two batches of lines, and the blocks only if asked to keep them.
 *
 * <p>Signatures, the costly check, can be verified on several threads: each batch's signatures are
 * checked in parallel while the next batch is read, then the other rules in one sequential pass in
 * chain order, so the first broken rule is the same as in a single-threaded pass.
 *
 * <p>Stateless; thread-safe.
 */
public final class SignedChainFile {
  /** The format's version, written in the header. */
  public static final int FORMAT_VERSION = 2;

  /** The longest header line, in bytes: a genesis of 100,000 validators takes about 17 MB. */
  public static final int MAX_HEADER_BYTES = 32 * 1024 * 1024;

  private static final int BATCH = 512;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SignedChainFile() {}

  /** How to read. */
  public record Options(boolean keepBlocks, Optional<Executor> signatures, int parallelism) {
    /** Checks the components. */
    public Options {
      Objects.requireNonNull(signatures, "signatures");
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism is at least 1, got " + parallelism);
      }
    }

    /** Keep the blocks (a node loading its chain), checking signatures on this thread. */
    public static Options keepingBlocks() {
      return new Options(true, Optional.empty(), 1);
    }

    /** Keep the blocks, checking signatures on {@code parallelism} tasks of {@code executor}. */
    public static Options keepingBlocks(Executor executor, int parallelism) {
      return new Options(true, Optional.of(executor), parallelism);
    }

    /** Keep only the state (a verifier), checking signatures on {@code parallelism} tasks. */
    public static Options streaming(Executor executor, int parallelism) {
      return new Options(false, Optional.of(executor), parallelism);
    }
  }

  /** What reading a version 2 chain file found. */
  public sealed interface Contents {
    /**
     * Every line before the end is a valid block of the chain of {@code genesis}.
     *
     * @param genesis the genesis the header holds
     * @param state the chain's state after its last block
     * @param blocks the blocks after block 0, if kept; empty otherwise
     * @param blockCount how many blocks follow block 0
     * @param ending how the file ends
     * @param chainLength how many bytes hold the header and the chain (the torn bytes follow)
     * @param lineEnds where the lines of the newest blocks end, oldest first: the offset after each
     *     line's newline (after its last byte for a last line without one), for the head and the
     *     {@link SignedChainState#rollbackDepth} blocks before it (as far as the chain goes, block
     *     0 included), so the last is {@code chainLength}; what a store needs to cut the file back
     *     to any block the state can {@link SignedChainState#rollBackTo roll back} to
     */
    record Loaded(
        Genesis genesis,
        SignedChainState state,
        List<SignedBlock> blocks,
        long blockCount,
        Ending ending,
        long chainLength,
        List<Long> lineEnds)
        implements Contents {
      /** Checks the components and copies the lists. */
      public Loaded {
        Objects.requireNonNull(genesis, "genesis");
        Objects.requireNonNull(state, "state");
        blocks = List.copyOf(blocks);
        Objects.requireNonNull(ending, "ending");
        lineEnds = List.copyOf(lineEnds);
      }
    }

    /**
     * The file is not a valid version 2 chain file.
     *
     * @param line the 1-based line of the first problem
     * @param genesis the header's genesis, when it could be read
     * @param rule the chain rule a block breaks, when that is the problem
     * @param problem what is wrong, for a person, escaped for display
     */
    record Damaged(int line, Optional<Genesis> genesis, Optional<ChainRule> rule, String problem)
        implements Contents {
      /** Checks the components and escapes the problem. */
      public Damaged {
        Objects.requireNonNull(genesis, "genesis");
        Objects.requireNonNull(rule, "rule");
        problem = UntrustedText.escape(Objects.requireNonNull(problem, "problem"));
      }

      /** {@code line N: problem}. */
      public String describe() {
        return "line " + line + ": " + problem;
      }
    }
  }

  /** The header line (without its newline) of the chain of {@code genesis}. */
  public static String header(Genesis genesis) {
    return "{\"format\":\"posj-chain\",\"version\":"
        + FORMAT_VERSION
        + ",\"genesis\":"
        + GenesisJson.write(genesis)
        + "}";
  }

  /**
   * Whether {@code firstLine} is a version 2 header (whatever else is wrong with it): how {@code
   * pos verify} tells the two formats apart.
   */
  public static boolean isVersion2Header(String firstLine) {
    try {
      JsonNode header = JSON.readTree(firstLine);
      return header != null
          && header.isObject()
          && "posj-chain".equals(header.path("format").asText())
          && header.path("version").isInt()
          && header.path("version").asInt() == FORMAT_VERSION;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether the first bytes of a file (its first line, or as much of it as was read) declare a
   * version 2 chain file: a JSON object whose {@code "version"} member is 2, found before the bytes
   * run out. A header may be megabytes long (its genesis), so the whole line is not needed.
   */
  public static boolean declaresVersion2(byte[] prefix, int length) {
    try (com.fasterxml.jackson.core.JsonParser parser =
        JSON.getFactory().createParser(prefix, 0, length)) {
      if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return false;
      }
      for (com.fasterxml.jackson.core.JsonToken token = parser.nextToken();
          token == com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
          token = parser.nextToken()) {
        String name = parser.currentName();
        com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
        if (name.equals("version")) {
          return value == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT
              && parser.getIntValue() == FORMAT_VERSION;
        }
        parser.skipChildren();
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads a version 2 chain file from {@code in}, checking every block; stops at the first problem.
   * Does not close {@code in}.
   *
   * @throws IOException if {@code in} cannot be read
   */
  public static Contents read(InputStream in, Options options) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(options, "options");
    LineReader lines = new LineReader(in);
    LineReader.Kind first = lines.next(MAX_HEADER_BYTES);
    if (first == LineReader.Kind.END) {
      return damaged(1, Optional.empty(), "the file is empty (0 bytes)");
    }
    if (first == LineReader.Kind.TOO_LONG) {
      return damaged(
          1, Optional.empty(), "the header line is longer than " + MAX_HEADER_BYTES + " bytes");
    }
    Optional<String> headerText = lines.text();
    if (headerText.isEmpty()) {
      return damaged(1, Optional.empty(), "the header is not valid UTF-8: " + lines.notUtf8());
    }
    Genesis genesis;
    try {
      genesis = readHeader(headerText.get());
    } catch (IllegalArgumentException e) {
      return damaged(
          1,
          Optional.empty(),
          (first == LineReader.Kind.UNTERMINATED ? "the file ends inside its header line: " : "")
              + "not a version 2 chain header: "
              + e.getMessage());
    }
    Optional<Genesis> known = Optional.of(genesis);
    if (first == LineReader.Kind.UNTERMINATED) {
      return damaged(2, known, "no block 0: the file ends inside its header line (no newline)");
    }
    LineReader.Kind kind = lines.next();
    if (kind == LineReader.Kind.END) {
      return damaged(2, known, "no block 0: the file ends after its header");
    }
    Optional<String> block0Text =
        kind == LineReader.Kind.TOO_LONG ? Optional.empty() : lines.text();
    ChainJson.ParsedChain parsed =
        block0Text.isPresent()
            ? ChainJson.parseBlock(block0Text.get())
            : new ChainJson.ParsedChain.Malformed("not a line of UTF-8 text", 1, 1);
    if (parsed instanceof ChainJson.ParsedChain.Malformed malformed) {
      return damaged(2, known, "not block 0: " + malformed.message());
    }
    Block block0 = ((ChainJson.ParsedChain.Parsed) parsed).blocks().get(0);
    Optional<RuleViolation> wrong0 = SignedChainState.checkBlock0(genesis, block0);
    if (wrong0.isPresent()) {
      return new Contents.Damaged(
          2,
          known,
          Optional.of(ChainRule.GENESIS_MATCHES),
          "block 0 breaks " + wrong0.get().describe());
    }
    Reading reading = new Reading(genesis, options);
    reading.ended(lines.offset());
    if (kind == LineReader.Kind.UNTERMINATED) {
      return reading.loaded(Ending.MISSING_NEWLINE);
    }
    for (int number = 3; ; number++) {
      kind = lines.next();
      if (kind == LineReader.Kind.END) {
        Optional<Contents.Damaged> problem = reading.flush();
        return problem.isPresent() ? problem.get() : reading.loaded(Ending.COMPLETE);
      }
      if (kind == LineReader.Kind.TOO_LONG) {
        Optional<Contents.Damaged> problem = reading.flush();
        return problem.isPresent()
            ? problem.get()
            : damaged(
                number,
                known,
                "the line is longer than " + ChainFile.MAX_LINE_BYTES + " bytes; not a block");
      }
      // Lines in the form posj writes are read without a JSON parser; anything else gets one.
      SignedBlock block = lines.canonicalSignedBlock().orElse(null);
      String notABlock = null;
      if (block == null) {
        Optional<String> text = lines.text();
        if (text.isEmpty()) {
          notABlock = "not valid UTF-8: " + lines.notUtf8();
        } else {
          try {
            block = SignedBlockJson.parse(text.get());
          } catch (IllegalArgumentException e) {
            notABlock = e.getMessage();
          }
        }
      }
      if (block == null) {
        Optional<Contents.Damaged> problem = reading.flush();
        if (problem.isPresent()) {
          return problem.get();
        }
        if (kind == LineReader.Kind.UNTERMINATED) {
          return reading.loaded(Ending.TORN);
        }
        return damaged(number, known, "not a signed block: " + notABlock);
      }
      reading.add(number, block, lines.offset(), kind == LineReader.Kind.UNTERMINATED);
      if (kind == LineReader.Kind.UNTERMINATED) {
        Optional<Contents.Damaged> problem = reading.flush();
        return problem.isPresent() ? problem.get() : reading.loaded(Ending.MISSING_NEWLINE);
      }
      if (reading.full()) {
        Optional<Contents.Damaged> problem = reading.advance();
        if (problem.isPresent()) {
          return problem.get();
        }
      }
    }
  }

  private static Genesis readHeader(String line) {
    JsonNode header;
    try {
      header = JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (header == null || !header.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (!"posj-chain".equals(header.path("format").asText())) {
      throw new IllegalArgumentException(
          "format is " + header.get("format") + ", expected \"posj-chain\"");
    }
    if (!header.path("version").isInt() || header.get("version").asInt() != FORMAT_VERSION) {
      throw new IllegalArgumentException("version is " + header.get("version") + ", expected 2");
    }
    if (header.size() != 3 || !header.has("genesis")) {
      throw new IllegalArgumentException(
          "a version 2 header has exactly format, version and genesis");
    }
    return GenesisJson.parse(header.get("genesis"));
  }

  private static Contents.Damaged damaged(int line, Optional<Genesis> genesis, String problem) {
    return new Contents.Damaged(line, genesis, Optional.empty(), problem);
  }

  /**
   * The state of one read: the chain's state, the batch being read, the batch before it whose
   * signatures are being checked meanwhile, and what was kept.
   */
  /*
   * Implementation notes: with an executor, when a batch is full its signature tasks are queued
   * first, and only then does this thread wait for the previous batch's signatures and check its
   * other rules; it then reads the next batch while the tasks run. So the signature threads always
   * have a batch queued: they never wait while this thread parses lines or checks rules (a tenth
   * of the work), nor for the slowest task of a batch when this thread's turn on a core held it up.
   * Checking each batch to the end before reading on made two signature threads on two cores
   * 1.47x as fast as one on one core; queueing ahead, about 1.9x (docs/benchmarks.md, "Network
   * mode"). Memory: two batches, the one queued and the one being checked or read.
   */
  private static final class Reading {
    private static final CompletableFuture<boolean[]> NOTHING_CHECKED =
        CompletableFuture.completedFuture(new boolean[0]);

    private final Genesis genesis;
    private final Options options;
    private final SignedChainState state;
    private final List<SignedBlock> kept = new ArrayList<>();
    // The end offsets of the newest lines, oldest first: the head's and as many before it as the
    // state can roll back over.
    private final ArrayDeque<Long> lineEnds = new ArrayDeque<>();
    private List<Pending> batch = new ArrayList<>(BATCH);
    private List<Pending> checking = List.of();
    private CompletableFuture<boolean[]> checkingSignatures = NOTHING_CHECKED;
    // Set when a problem ends the read: the queued batch's tasks then stop early.
    private volatile boolean stopped;
    private long count;
    private long chainLength;

    private record Pending(int line, SignedBlock block, long endOffset, boolean unterminated) {}

    Reading(Genesis genesis, Options options) {
      this.genesis = genesis;
      this.options = options;
      this.state = SignedChainState.start(genesis, ForkChoice.finalityDepth(genesis));
    }

    void add(int line, SignedBlock block, long endOffset, boolean unterminated) {
      batch.add(new Pending(line, block, endOffset, unterminated));
    }

    boolean full() {
      return batch.size() >= BATCH;
    }

    /**
     * For a full batch: starts checking its signatures (on the executor), then checks the batch
     * before it in full and returns, leaving this batch's signatures running. Without an executor,
     * {@link #flush()}.
     */
    Optional<Contents.Damaged> advance() {
      if (options.signatures().isEmpty()) {
        return flush();
      }
      return startThenCheckPrevious();
    }

    /** Checks every block added so far, in order; the first problem, or empty. */
    Optional<Contents.Damaged> flush() {
      Optional<Contents.Damaged> problem = startThenCheckPrevious();
      if (problem.isPresent()) {
        return problem;
      }
      List<Pending> last = checking;
      CompletableFuture<boolean[]> lastSignatures = checkingSignatures;
      checking = List.of();
      checkingSignatures = NOTHING_CHECKED;
      return check(last, lastSignatures.join());
    }

    private Optional<Contents.Damaged> startThenCheckPrevious() {
      List<Pending> previous = checking;
      CompletableFuture<boolean[]> previousSignatures = checkingSignatures;
      checking = batch;
      batch = new ArrayList<>(BATCH);
      checkingSignatures = signatures(checking);
      Optional<Contents.Damaged> problem = check(previous, previousSignatures.join());
      stopped = problem.isPresent();
      return problem;
    }

    /** Checks {@code blocks}, whose signatures are {@code valid}, in order, appending them. */
    private Optional<Contents.Damaged> check(List<Pending> blocks, boolean[] valid) {
      for (int i = 0; i < blocks.size(); i++) {
        Pending p = blocks.get(i);
        Optional<RuleViolation> violation = state.checkExceptSignature(p.block);
        if (violation.isEmpty() && !valid[i]) {
          violation =
              Optional.of(
                  new RuleViolation(
                      ChainRule.SIGNATURE_VALID,
                      "the signature "
                          + p.block.signature().hex()
                          + " does not verify for PubKey "
                          + p.block.publicKey().hex()));
        }
        if (violation.isPresent()) {
          return Optional.of(
              new Contents.Damaged(
                  p.line,
                  Optional.of(genesis),
                  Optional.of(violation.get().rule()),
                  "block "
                      + p.block.index()
                      + " (slot "
                      + p.block.slot()
                      + ") breaks "
                      + violation.get().describe()
                      + (p.unterminated
                          ? " (the last line, which has no newline, is a whole block)"
                          : "")));
        }
        state.appendSignatureChecked(p.block);
        count++;
        ended(p.endOffset);
        if (options.keepBlocks()) {
          kept.add(p.block);
        }
      }
      return Optional.empty();
    }

    /** The validity of each block's signature: computed here, or started on the executor. */
    private CompletableFuture<boolean[]> signatures(List<Pending> blocks) {
      boolean[] valid = new boolean[blocks.size()];
      if (options.signatures().isEmpty() || blocks.size() < 8) {
        for (int i = 0; i < valid.length; i++) {
          valid[i] = SignedChainState.signatureValid(genesis, blocks.get(i).block);
        }
        return CompletableFuture.completedFuture(valid);
      }
      int tasks = Math.min(options.parallelism(), blocks.size());
      CompletableFuture<?>[] futures = new CompletableFuture<?>[tasks];
      for (int t = 0; t < tasks; t++) {
        int task = t;
        futures[t] =
            CompletableFuture.runAsync(
                () -> {
                  for (int i = task; i < valid.length && !stopped; i += tasks) {
                    valid[i] = SignedChainState.signatureValid(genesis, blocks.get(i).block);
                  }
                },
                options.signatures().get());
      }
      return CompletableFuture.allOf(futures).thenApply(done -> valid);
    }

    /** Records that the chain (block 0, then each block checked) now ends at {@code offset}. */
    void ended(long offset) {
      chainLength = offset;
      lineEnds.addLast(offset);
      if (lineEnds.size() > state.rollbackDepth() + 1) {
        lineEnds.removeFirst();
      }
    }

    Contents.Loaded loaded(Ending ending) {
      return new Contents.Loaded(
          genesis, state, kept, count, ending, chainLength, List.copyOf(lineEnds));
    }
  }
}
