package io.github.posj.net.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.AppendResult;
import io.github.posj.core.chain.BlockValidator;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.chain.ChainRule;
import io.github.posj.core.chain.ChainValidation;
import io.github.posj.core.chain.HeadValidator;
import io.github.posj.core.text.UntrustedText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The chain file's format ({@value FileChainStore#CHAIN_FILE}: a header line, then one block per
 * line in the broadcast's JSON shape) and its reader, which only reads: it never writes, truncates
 * or locks anything. {@link FileChainStore} and {@code pos verify} both read through it, so they
 * agree on what a chain file holds.
 *
 * <pre>
 *   {"format":"posj-chain","version":1,"hashScheme":"posj"}
 *   {"Index":0,"Timestamp":"...","BPM":0,"Hash":"...","PrevHash":"","Validator":""}
 *   {"Index":1,...}
 * </pre>
 *
 * <p>Immutable; thread-safe.
 */
public final class ChainFile {
  /** The format's version, written in the header. */
  public static final int FORMAT_VERSION = 1;

  /**
   * The longest line a chain file may hold, in bytes, without its newline: far above a block's line
   * (at most about 1,100 bytes), so that reading never buffers more than this per line.
   */
  public static final int MAX_LINE_BYTES = 64 * 1024;

  private static final String FORMAT = "posj-chain";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChainFile() {}

  /** How a chain file ends, after its last complete line. */
  public enum Ending {
    /** The last line ends with its newline; nothing follows. */
    COMPLETE,
    /**
     * The last line is a complete block that validates as the chain's last block, but its newline
     * is missing. The block is part of the chain; a server adds the newline at start.
     */
    MISSING_NEWLINE,
    /**
     * The bytes after the last newline are not a complete block: a write interrupted by a crash. A
     * server drops them at start; the chain is what precedes them.
     */
    TORN
  }

  /** What reading a chain file found. */
  public sealed interface Contents {
    /**
     * Every line before the end is a valid block of one chain.
     *
     * @param scheme the hash scheme the header names, under which the chain is valid
     * @param chain the chain
     * @param ending how the file ends
     * @param chainLength how many of the file's bytes hold the header and the chain: the whole file
     *     unless the ending is {@link Ending#TORN}, where the torn bytes follow
     */
    record Loaded(HashScheme scheme, Chain chain, Ending ending, long chainLength)
        implements Contents {
      /** Checks the components. */
      public Loaded {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(ending, "ending");
      }
    }

    /**
     * The file is not a valid chain file.
     *
     * @param line the 1-based line of the first problem
     * @param scheme the hash scheme the header names, when the header could be read
     * @param rule the chain rule a block breaks, when that is the problem (absent when a line is
     *     not a block or the header is not a posj header)
     * @param problem what is wrong, for a person, with control and bidi characters escaped
     */
    record Damaged(int line, Optional<HashScheme> scheme, Optional<ChainRule> rule, String problem)
        implements Contents, Checked {
      /**
       * Checks the components and escapes the problem for display ({@link UntrustedText#escape}):
       * it may quote the file.
       */
      public Damaged {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(rule, "rule");
        problem = UntrustedText.escape(Objects.requireNonNull(problem, "problem"));
      }

      /** {@code line N: problem}. */
      public String describe() {
        return "line " + line + ": " + problem;
      }
    }
  }

  /**
   * What checking a chain file with a {@link BlockValidator} found ({@link #check}): as {@link
   * Contents}, without the chain, which the validator holds as much of as it needs.
   */
  public sealed interface Checked {
    /**
     * Every line before the end is a block the validator took.
     *
     * @param scheme the hash scheme the header names, for which the validator was made
     * @param ending how the file ends
     * @param chainLength how many of the file's bytes hold the header and the chain: the whole file
     *     unless the ending is {@link Ending#TORN}, where the torn bytes follow
     */
    record Passed(HashScheme scheme, Ending ending, long chainLength) implements Checked {
      /** Checks the components. */
      public Passed {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(ending, "ending");
      }
    }
  }

  /**
   * Why {@code file} cannot be read as a chain file, if it cannot: it does not exist, it is a
   * symbolic link whose target does not exist (a disk that is not mounted?) or cannot be resolved
   * (a loop of links), or it is not a regular file (a directory, a FIFO, a device). A symbolic link
   * to a regular file is fine. {@link FileChainStore} and {@code pos verify} both ask this before
   * they open a file, so that they refuse the same files with the same words.
   *
   * @return what is wrong, for a person, naming {@code file}; empty for a readable file
   */
  public static Optional<String> notARegularFile(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(file + " does not exist");
    }
    if (Files.isSymbolicLink(file)) {
      try {
        file.toRealPath();
      } catch (IOException e) {
        String target;
        try {
          target = "\"" + UntrustedText.escape(Files.readSymbolicLink(file).toString()) + "\"";
        } catch (IOException unreadable) {
          target = "a path that cannot be read";
        }
        return Optional.of(
            file
                + " is a symbolic link to "
                + target
                + (e instanceof NoSuchFileException
                    ? ", which does not exist (a disk that is not mounted? a file moved away?)"
                    : ", which cannot be followed ("
                        + UntrustedText.escape(String.valueOf(e.getMessage()))
                        + "; a loop of links?)"));
      }
    }
    if (Files.isDirectory(file)) {
      return Optional.of(file + " is a directory, not a chain file");
    }
    if (!Files.isRegularFile(file)) {
      return Optional.of(
          file
              + " is not a regular file (a FIFO, a device or a socket), so it is not a chain file");
    }
    return Optional.empty();
  }

  /** The header line for a chain under {@code scheme}, without its newline. */
  public static String header(HashScheme scheme) {
    return "{\"format\":\""
        + FORMAT
        + "\",\"version\":"
        + FORMAT_VERSION
        + ",\"hashScheme\":\""
        + scheme.name()
        + "\"}";
  }

  /**
   * Reads a chain file's bytes: checks the header, parses every line and validates the chain under
   * the scheme the header names.
   *
   * @param bytes the whole file; not modified
   * @return the chain, or the first problem
   */
  public static Contents read(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    try {
      return read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("reading an array does no I/O", e);
    }
  }

  /**
   * Reads a chain file from {@code in} as {@link #read(byte[])} does, one line at a time: memory
   * holds the chain read so far and one line of at most {@value #MAX_LINE_BYTES} bytes, whatever
   * the input. A longer line, or a line that is not UTF-8, is a problem reported with its line (and
   * column), not buffered. Stops at the first problem; does not close {@code in}.
   *
   * @return the chain, or the first problem
   * @throws IOException if {@code in} cannot be read
   */
  public static Contents read(InputStream in) throws IOException {
    ChainBuilder builder = new ChainBuilder();
    Checked checked = check(in, builder::start);
    if (checked instanceof Checked.Passed passed) {
      return new Contents.Loaded(
          passed.scheme(), builder.chain(), passed.ending(), passed.chainLength());
    }
    return (Contents.Damaged) checked;
  }

  /**
   * Reads a chain file from {@code in} as {@link #read(InputStream)} does, with the same verdicts
   * and messages, but hands each block to a {@link BlockValidator} instead of building a {@link
   * Chain}: memory holds what the validator keeps (a {@link HeadValidator} keeps one block) and one
   * line of at most {@value #MAX_LINE_BYTES} bytes, whatever the file's length. Stops at the first
   * problem; does not close {@code in}.
   *
   * @param validatorFor makes the validator for the scheme the header names, as soon as the header
   *     is read, before any other line; it is given every block, in order. It is called exactly
   *     when the header can be read, which is when a {@link Contents.Damaged} result names a scheme
   * @return how the file ends, or the first problem: a line that is not a block, or the first rule
   *     the validator reports, on the line of its block
   * @throws IOException if {@code in} cannot be read
   */
  public static Checked check(
      InputStream in, Function<HashScheme, ? extends BlockValidator> validatorFor)
      throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(validatorFor, "validatorFor");
    LineReader lines = new LineReader(in);
    LineReader.Kind first = lines.next();
    if (first == LineReader.Kind.END) {
      return damaged(
          1,
          "the file is empty (0 bytes). posj creates it with its header and genesis block in one"
              + " atomic step, so it was emptied outside posj");
    }
    if (first == LineReader.Kind.TOO_LONG) {
      return tooLong(1, Optional.empty());
    }
    boolean terminated = first == LineReader.Kind.LINE;
    Optional<String> headerText = lines.text();
    Object header =
        headerText.isPresent()
            ? readHeader(headerText.get(), terminated)
            : notAHeader("not valid UTF-8: " + lines.notUtf8());
    if (header instanceof Contents.Damaged damaged) {
      return damaged;
    }
    HashScheme scheme = (HashScheme) header;
    BlockValidator validator = Objects.requireNonNull(validatorFor.apply(scheme), "validator");
    if (!terminated) {
      return new Contents.Damaged(
          2,
          Optional.of(scheme),
          Optional.empty(),
          "no genesis block: the file ends inside its header line (no newline). posj writes the"
              + " header and the genesis block together in one atomic step, so the rest was lost"
              + " outside posj");
    }
    boolean genesisTaken = false;
    long chainLength = lines.offset();
    Ending ending = Ending.COMPLETE;
    for (int number = 2; ; number++) {
      LineReader.Kind kind = lines.next();
      if (kind == LineReader.Kind.END) {
        break;
      }
      if (kind == LineReader.Kind.TOO_LONG) {
        return tooLong(number, Optional.of(scheme));
      }
      // Every line posj wrote is in the canonical form: read it without decoding or a parser.
      Optional<Block> canonical =
          kind == LineReader.Kind.LINE ? lines.canonicalBlock() : Optional.empty();
      if (canonical.isPresent()) {
        Optional<Contents.Damaged> broken =
            follow(validator, canonical.get(), number, scheme, false);
        if (broken.isPresent()) {
          return broken.get();
        }
        genesisTaken = true;
        chainLength = lines.offset();
        continue;
      }
      Optional<String> text = lines.text();
      if (kind == LineReader.Kind.UNTERMINATED) {
        // Only bytes that are not a complete block are torn: a crash can cut a line short, but a
        // cut line that still parses as a whole block is the whole block, and it must keep every
        // rule.
        ChainJson.ParsedChain tail =
            text.isPresent()
                ? ChainJson.parseBlock(text.get())
                : new ChainJson.ParsedChain.Malformed("not UTF-8", 1, 1);
        if (tail instanceof ChainJson.ParsedChain.Parsed parsed) {
          Optional<Contents.Damaged> broken =
              follow(validator, parsed.blocks().get(0), number, scheme, true);
          if (broken.isPresent()) {
            return broken.get();
          }
          genesisTaken = true;
          chainLength = lines.offset();
          ending = Ending.MISSING_NEWLINE;
        } else if (!genesisTaken) {
          return new Contents.Damaged(
              2,
              Optional.of(scheme),
              Optional.empty(),
              "the genesis block is torn ("
                  + (lines.offset() - chainLength)
                  + " bytes without a newline that are not a whole block). posj writes the header"
                  + " and the genesis block together in one atomic step, so this is damage from"
                  + " outside posj, not an interrupted write");
        } else {
          ending = Ending.TORN;
        }
        break;
      }
      if (text.isEmpty()) {
        return new Contents.Damaged(
            number,
            Optional.of(scheme),
            Optional.empty(),
            "not a block: not valid UTF-8: " + lines.notUtf8());
      }
      String line = text.get();
      if (line.isBlank()) {
        return new Contents.Damaged(
            number,
            Optional.of(scheme),
            Optional.empty(),
            "a blank line (a chain file has exactly one block per line, and no blank lines)");
      }
      ChainJson.ParsedChain parsed = ChainJson.parseBlock(line);
      if (parsed instanceof ChainJson.ParsedChain.Malformed malformed) {
        return new Contents.Damaged(
            number,
            Optional.of(scheme),
            Optional.empty(),
            "not a block: column " + malformed.column() + ": " + malformed.message());
      }
      Optional<Contents.Damaged> broken =
          follow(
              validator,
              ((ChainJson.ParsedChain.Parsed) parsed).blocks().get(0),
              number,
              scheme,
              false);
      if (broken.isPresent()) {
        return broken.get();
      }
      genesisTaken = true;
      chainLength = lines.offset();
    }
    if (!genesisTaken) {
      return new Contents.Damaged(
          2,
          Optional.of(scheme),
          Optional.empty(),
          "no genesis block: the file ends after its header. posj writes the header and the"
              + " genesis block together in one atomic step, so the rest was lost outside posj");
    }
    return new Checked.Passed(scheme, ending, chainLength);
  }

  /**
   * Hands {@code block} (read on line {@code number}) to {@code validator}; empty if it took it, or
   * a {@link Contents.Damaged} naming the rule it breaks.
   */
  private static Optional<Contents.Damaged> follow(
      BlockValidator validator, Block block, int number, HashScheme scheme, boolean unterminated) {
    return validator
        .validate(block)
        .map(
            invalid ->
                new Contents.Damaged(
                    number,
                    Optional.of(scheme),
                    Optional.of(invalid.rule()),
                    invalid.describe()
                        + (unterminated
                            ? " (the last line, which has no newline, is a whole block)"
                            : "")));
  }

  /**
   * The validator behind {@link #read(InputStream)}: builds the whole {@link Chain}, for a server
   * that serves it. Not thread-safe; confine to one thread.
   */
  private static final class ChainBuilder implements BlockValidator {
    private HashScheme scheme;
    private Chain chain;
    private Optional<ChainValidation.Invalid> broken = Optional.empty();

    /** Starts an empty chain under {@code scheme}; this builder. */
    ChainBuilder start(HashScheme scheme) {
      this.scheme = scheme;
      return this;
    }

    @Override
    public Optional<ChainValidation.Invalid> validate(Block block) {
      if (broken.isPresent()) {
        return broken;
      }
      if (chain == null) {
        ChainValidation validation = Chain.validate(List.of(block), scheme);
        if (validation instanceof ChainValidation.Valid valid) {
          chain = valid.chain();
        } else {
          broken = Optional.of((ChainValidation.Invalid) validation);
        }
        return broken;
      }
      AppendResult result = chain.append(block);
      if (result instanceof AppendResult.Accepted accepted) {
        chain = accepted.chain();
      } else {
        AppendResult.Rejected rejected = (AppendResult.Rejected) result;
        broken =
            Optional.of(
                new ChainValidation.Invalid(
                    chain.size(), Optional.of(block), rejected.rule(), rejected.detail()));
      }
      return broken;
    }

    /** The chain built from every block taken. */
    Chain chain() {
      return chain;
    }
  }

  private static Contents.Damaged tooLong(int number, Optional<HashScheme> scheme) {
    return new Contents.Damaged(
        number,
        scheme,
        Optional.empty(),
        "the line is longer than "
            + MAX_LINE_BYTES
            + " bytes (a block's line is at most about 1,100), so it is not a chain file's line;"
            + " reading stopped there");
  }

  /**
   * The header's hash scheme, or a {@link Contents.Damaged}; {@code terminated} tells whether the
   * line had its newline.
   */
  private static Object readHeader(String line, boolean terminated) {
    JsonNode header;
    try {
      header = JSON.readTree(line);
    } catch (IOException e) {
      return notAHeader(terminated ? "not JSON: " + abbreviate(line) : tornHeader(line));
    }
    if (header == null || !header.isObject()) {
      return notAHeader(terminated ? "not a JSON object: " + abbreviate(line) : tornHeader(line));
    }
    for (String field : List.of("format", "version", "hashScheme")) {
      if (!header.has(field)) {
        return notAHeader("missing field " + field);
      }
    }
    if (!FORMAT.equals(header.get("format").asText())) {
      return notAHeader("format is " + header.get("format") + ", expected \"" + FORMAT + "\"");
    }
    if (!header.get("version").isInt()) {
      return notAHeader("version must be an integer, got " + header.get("version"));
    }
    int version = header.get("version").asInt();
    if (version != FORMAT_VERSION) {
      return damaged(
          1,
          version == SignedChainFile.FORMAT_VERSION
              ? "format version 2 is a network-mode chain: pos node and pos verify read it, a"
                  + " tutorial-mode server reads version "
                  + FORMAT_VERSION
              : "format version "
                  + version
                  + " is not supported (this posj reads version "
                  + FORMAT_VERSION
                  + ", and version "
                  + SignedChainFile.FORMAT_VERSION
                  + " for network mode)");
    }
    JsonNode name = header.get("hashScheme");
    Optional<HashScheme> scheme =
        HashScheme.all().stream()
            .filter(s -> name.isTextual() && s.name().equals(name.asText()))
            .findFirst();
    if (scheme.isEmpty()) {
      return damaged(
          1,
          "the header names an unknown hash scheme "
              + name
              + " (this posj knows "
              + String.join(", ", HashScheme.all().stream().map(HashScheme::name).toList())
              + ")");
    }
    return scheme.get();
  }

  private static Contents.Damaged notAHeader(String why) {
    return damaged(1, "not a posj chain header: " + why);
  }

  private static String tornHeader(String line) {
    return "the file ends inside its first line ("
        + line.getBytes(StandardCharsets.UTF_8).length
        + " bytes, no newline): "
        + abbreviate(line);
  }

  private static Contents.Damaged damaged(int line, String problem) {
    return new Contents.Damaged(line, Optional.empty(), Optional.empty(), problem);
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 97) + "...";
  }
}
