package io.github.posj.net.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import io.github.posj.core.chain.RuleViolation;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.core.text.UntrustedText;
import io.github.posj.net.store.FileChainStore.AppendTargetFactory;
import io.github.posj.net.store.FileChainStore.Durability;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A network-mode node's chain in a data directory: {@value FileChainStore#CHAIN_FILE} in format
 * version 2 ({@link SignedChainFile}), with every guarantee of {@link FileChainStore}
 * (docs/storage.md): locks, a first start that writes the header and block 0 atomically, durable
 * appends that are rolled back on failure, the torn-tail and missing-newline repairs, and a refusal
 * to open a file with any other damage or another genesis.
 *
 * <p>It can also {@link #replaceFrom switch chains} (fork choice), through a journal {@value
 * #SWITCH_JOURNAL} that a start completes if a crash interrupted the switch, keeping the blocks it
 * removes in {@value #ROLLED_BACK_FILE} (docs/storage.md, "Switching chains").
 *
 * <p>Not thread-safe; confine to the node's owner thread.
 */
public final class FileSignedChainStore implements SignedChainStore {
  /**
   * The journal of a chain switch in the data directory, there only while a switch is under way or
   * was interrupted: a header line {@code
   * {"format":"posj-reorg","version":1,"forkIndex":"K","forkHash":"<hash of block K>"}}, then the
   * new blocks after block K, one line each as in the chain file.
   */
  public static final String SWITCH_JOURNAL = FileChainStore.CHAIN_FILE + ".reorg";

  /**
   * Where the lines of the blocks a chain switch removes are kept for inspection, appended, oldest
   * switch first.
   */
  public static final String ROLLED_BACK_FILE = "rolled-back.jsonl";

  /** The journal header's {@code "format"}. */
  static final String SWITCH_JOURNAL_FORMAT = "posj-reorg";

  /** The journal header's {@code "version"}. */
  static final int SWITCH_JOURNAL_VERSION = 1;

  private static final int MAX_JOURNAL_HEADER_BYTES = 1024;
  private static final List<String> JOURNAL_KEYS =
      List.of("format", "version", "forkIndex", "forkHash");
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final DataDirectory files;
  private SignedChainState check;
  // Where the lines of the head and of the blocks check can roll back to end, oldest first.
  private final ArrayDeque<Long> lineEnds = new ArrayDeque<>();
  private boolean closed;

  /** A store in {@code directory} (created if missing) that forces every append to disk. */
  public FileSignedChainStore(Path directory) {
    this(directory, Durability.FSYNC, FileChainStore::openFileTarget);
  }

  FileSignedChainStore(Path directory, Durability durability, AppendTargetFactory targets) {
    this.files = new DataDirectory(directory, durability, targets);
  }

  /** The data directory. */
  public Path directory() {
    return files.directory();
  }

  @Override
  public Opened open(Genesis genesis) {
    Objects.requireNonNull(genesis, "genesis");
    if (closed || check != null) {
      throw new IllegalStateException("a FileSignedChainStore is opened once");
    }
    boolean exists = files.open();
    try {
      List<String> repairs = new ArrayList<>();
      if (!exists) {
        files.create(
            SignedChainFile.header(genesis) + "\n" + ChainJson.write(genesis.block0()) + "\n");
      }
      files.lockChainFile();
      SignedChainFile.Contents contents;
      // Signatures dominate a start: check them on every core, as pos verify does.
      int cores = Runtime.getRuntime().availableProcessors();
      ExecutorService pool = Executors.newFixedThreadPool(cores, FileSignedChainStore::daemon);
      try {
        contents =
            SignedChainFile.read(files.read(), SignedChainFile.Options.keepingBlocks(pool, cores));
      } finally {
        pool.shutdownNow();
      }
      if (contents instanceof SignedChainFile.Contents.Damaged damaged) {
        if (damaged.line() == 1) {
          throw files.damaged(
              1,
              damaged.problem()
                  + " (a network node's chain file starts with a version 2 header that holds its"
                  + " genesis; a tutorial-mode chain belongs to pos server)");
        }
        throw files.damaged(damaged.line(), damaged.problem());
      }
      SignedChainFile.Contents.Loaded loaded = (SignedChainFile.Contents.Loaded) contents;
      if (!loaded.genesis().equals(genesis)) {
        throw new ChainStoreException(
            files.chainFile()
                + " holds the chain of another genesis (hash "
                + loaded.genesis().hash().hex()
                + ", chain id "
                + loaded.genesis().chainId()
                + ") than the node was started with ("
                + genesis.hash().hex()
                + ", "
                + genesis.chainId()
                + "). Start it with that chain's genesis, or use another --data-dir.");
      }
      List<Long> ends = new ArrayList<>(loaded.lineEnds());
      switch (loaded.ending()) {
        case COMPLETE -> {}
        case MISSING_NEWLINE -> {
          repairs.add(
              files.completeNewline(
                  loaded.chainLength(), "block " + loaded.state().head().index()));
          ends.set(ends.size() - 1, loaded.chainLength() + 1);
        }
        case TORN -> repairs.add(files.dropTornTail(loaded.chainLength()));
      }
      SignedChainState state = loaded.state();
      List<SignedBlock> blocks = loaded.blocks();
      files.dropUnfinishedSwitchJournal().ifPresent(repairs::add);
      if (files.hasSwitchJournal()) {
        Journal journal = readJournal(files.switchJournal());
        Switched switched = completeSwitch(journal, state, blocks, ends);
        state = switched.state();
        blocks = switched.blocks();
        ends = switched.lineEnds();
        repairs.add(switched.repair());
      }
      files.startAppending();
      check = state.copy();
      lineEnds.addAll(ends);
      trimLineEnds();
      return new Opened(state, blocks, repairs);
    } catch (IOException e) {
      close();
      throw new ChainStoreException(
          "cannot read or write " + files.chainFile() + ": " + DataDirectory.describe(e), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void append(SignedBlock block) {
    Objects.requireNonNull(block, "block");
    if (closed || check == null) {
      throw new ChainStoreException("the chain store " + files.directory() + " is not open");
    }
    files.requireAppendable("the node");
    // The node checked the signature; the store keeps the other rules itself, so that it never
    // writes a line that would make the file unreadable.
    Optional<RuleViolation> violation = check.checkExceptSignature(block);
    if (violation.isPresent()) {
      throw new IllegalArgumentException(
          "block "
              + block.index()
              + " does not follow the stored chain: "
              + violation.get().describe());
    }
    files.append(line(block), "block " + block.index());
    check.appendSignatureChecked(block);
    lineEnds.addLast(files.length());
    trimLineEnds();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Checks {@code branch} against every rule but the signature's (the caller checked those),
   * then switches the file through the journal {@value #SWITCH_JOURNAL}: (a) writes the journal
   * whole and atomically, (b) appends the removed blocks' lines to {@value #ROLLED_BACK_FILE}, (c)
   * cuts them from the chain file, (d) appends the branch, (e) deletes the journal; a start
   * completes a journal it finds (docs/storage.md, "Switching chains"). A branch that removes
   * nothing ({@code forkIndex} is the head's Index: the chain only grows) is appended in one write
   * and one force instead, like {@link #append} for many blocks. If a step after (b) fails, the
   * store is {@link ChainStoreException.State#BROKEN broken} until a restart.
   */
  @Override
  public void replaceFrom(long forkIndex, List<SignedBlock> branch) {
    Objects.requireNonNull(branch, "branch");
    if (closed || check == null) {
      throw new ChainStoreException("the chain store " + files.directory() + " is not open");
    }
    files.requireAppendable("the node");
    long head = check.head().index();
    if (forkIndex == head && branch.isEmpty()) {
      return; // nothing to replace
    }
    if (forkIndex < check.oldestRollbackIndex() || forkIndex > head) {
      throw new IllegalArgumentException(
          "cannot switch chains at Index "
              + forkIndex
              + ": the stored chain ends at Index "
              + head
              + " and can be rolled back to Index "
              + check.oldestRollbackIndex()
              + " at the deepest (rollback depth "
              + check.rollbackDepth()
              + ")");
    }
    SignedChainState next = check.copy();
    next.rollBackTo(forkIndex);
    Hash forkHash = next.head().hash();
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    List<Integer> lineLengths = new ArrayList<>(branch.size());
    for (SignedBlock block : branch) {
      Objects.requireNonNull(block, "a block of branch");
      Optional<RuleViolation> violation = next.appendSignatureChecked(block);
      if (violation.isPresent()) {
        throw new IllegalArgumentException(
            "block "
                + block.index()
                + " of the branch after Index "
                + forkIndex
                + " does not follow: "
                + violation.get().describe());
      }
      byte[] line = line(block);
      lines.writeBytes(line);
      lineLengths.add(line.length);
    }
    if (forkIndex == head) {
      // Nothing is removed: the branch is appended in one write and one force, without a journal.
      // A crash leaves the old chain and a prefix of the branch: a valid chain that extends it.
      files.append(lines.toByteArray(), "blocks " + (head + 1) + " to " + next.head().index());
      check = next;
      long end = files.length() - lines.size();
      for (int length : lineLengths) {
        end += length;
        lineEnds.addLast(end);
      }
      trimLineEnds();
      return;
    }
    ByteArrayOutputStream journal = new ByteArrayOutputStream();
    journal.writeBytes(
        (journalHeader(forkIndex, forkHash) + "\n").getBytes(StandardCharsets.UTF_8));
    journal.writeBytes(lines.toByteArray());
    long keepLength = lineEnd(forkIndex, head, List.copyOf(lineEnds));
    files.switchTail(
        journal.toByteArray(),
        keepLength,
        lines.toByteArray(),
        "the switch to the branch of "
            + branch.size()
            + " blocks after Index "
            + forkIndex
            + " (replacing "
            + (head - forkIndex)
            + ")");
    check = next;
    for (long index = head; index > forkIndex; index--) {
      lineEnds.removeLast();
    }
    long end = keepLength;
    for (int length : lineLengths) {
      end += length;
      lineEnds.addLast(end);
    }
    trimLineEnds();
  }

  @Override
  public void close() {
    closed = true;
    files.close();
  }

  /** The journal header line (without its newline) of a switch after block {@code forkIndex}. */
  static String journalHeader(long forkIndex, Hash forkHash) {
    return "{\"format\":\""
        + SWITCH_JOURNAL_FORMAT
        + "\",\"version\":"
        + SWITCH_JOURNAL_VERSION
        + ",\"forkIndex\":\""
        + forkIndex
        + "\",\"forkHash\":\""
        + forkHash.hex()
        + "\"}";
  }

  /** What a switch journal holds. */
  private record Journal(Path file, long forkIndex, Hash forkHash, List<SignedBlock> branch) {}

  /**
   * The chain after completing a switch at a start (its state, blocks, and where its newest lines
   * end), and the repair's message.
   */
  private record Switched(
      SignedChainState state, List<SignedBlock> blocks, List<Long> lineEnds, String repair) {}

  /**
   * Reads a switch journal strictly: a damaged one (cut short, a line that is not a header or a
   * block) is refused, since posj writes it whole before it changes the chain file.
   */
  private Journal readJournal(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      LineReader lines = new LineReader(in);
      LineReader.Kind kind = lines.next(MAX_JOURNAL_HEADER_BYTES);
      if (kind == LineReader.Kind.END) {
        throw damagedJournal(file, 1, "the file is empty (0 bytes)");
      }
      if (kind != LineReader.Kind.LINE) {
        throw damagedJournal(
            file,
            1,
            kind == LineReader.Kind.TOO_LONG
                ? "the line is longer than " + MAX_JOURNAL_HEADER_BYTES + " bytes; not a header"
                : "the file ends inside its header line (no newline)");
      }
      String headerText =
          lines.text().orElseThrow(() -> damagedJournal(file, 1, "not UTF-8: " + lines.notUtf8()));
      long forkIndex;
      Hash forkHash;
      try {
        JsonNode header = JSON.readTree(headerText);
        if (header == null || !header.isObject() || header.size() != JOURNAL_KEYS.size()) {
          throw new IllegalArgumentException("not a JSON object with exactly " + JOURNAL_KEYS);
        }
        for (String key : JOURNAL_KEYS) {
          if (!header.has(key)) {
            throw new IllegalArgumentException("missing key \"" + key + "\"");
          }
        }
        if (!SWITCH_JOURNAL_FORMAT.equals(header.get("format").textValue())) {
          throw new IllegalArgumentException(
              "format is " + header.get("format") + ", expected \"" + SWITCH_JOURNAL_FORMAT + "\"");
        }
        if (!header.get("version").isInt()
            || header.get("version").intValue() != SWITCH_JOURNAL_VERSION) {
          throw new IllegalArgumentException(
              "version is " + header.get("version") + ", expected " + SWITCH_JOURNAL_VERSION);
        }
        String index = header.get("forkIndex").textValue();
        if (index == null || !DECIMAL.matcher(index).matches()) {
          throw new IllegalArgumentException(
              "forkIndex is a decimal string, got " + header.get("forkIndex"));
        }
        try {
          forkIndex = Long.parseLong(index);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("forkIndex is at most " + Long.MAX_VALUE);
        }
        String hash = header.get("forkHash").textValue();
        Optional<Hash> parsed = hash == null ? Optional.empty() : Hash.parseHex(hash);
        if (parsed.isEmpty() || parsed.get().isEmpty()) {
          throw new IllegalArgumentException(
              "forkHash is 64 lowercase hex digits, got " + header.get("forkHash"));
        }
        forkHash = parsed.get();
      } catch (IOException e) {
        throw damagedJournal(file, 1, "not a journal header: not valid JSON");
      } catch (IllegalArgumentException e) {
        throw damagedJournal(file, 1, "not a journal header: " + e.getMessage());
      }
      List<SignedBlock> branch = new ArrayList<>();
      for (int number = 2; ; number++) {
        kind = lines.next();
        if (kind == LineReader.Kind.END) {
          return new Journal(file, forkIndex, forkHash, branch);
        }
        if (kind == LineReader.Kind.TOO_LONG) {
          throw damagedJournal(
              file,
              number,
              "the line is longer than " + ChainFile.MAX_LINE_BYTES + " bytes; not a block");
        }
        if (kind == LineReader.Kind.UNTERMINATED) {
          throw damagedJournal(file, number, "the file ends inside this line (no newline)");
        }
        int line = number;
        String text =
            lines
                .text()
                .orElseThrow(() -> damagedJournal(file, line, "not UTF-8: " + lines.notUtf8()));
        try {
          branch.add(SignedBlockJson.parse(text));
        } catch (IllegalArgumentException e) {
          throw damagedJournal(file, number, "not a signed block: " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new ChainStoreException(
          "cannot read " + file + ": " + DataDirectory.describe(e) + ". " + journalAdvice(file), e);
    }
  }

  private ChainStoreException damagedJournal(Path file, int line, String problem) {
    return new ChainStoreException(
        file + " line " + line + ": " + UntrustedText.escape(problem) + ". " + journalAdvice(file));
  }

  private String journalAdvice(Path file) {
    return "It is the journal of a chain switch that was interrupted; posj writes it whole before"
        + " it changes the chain file, so this is damage from outside posj, and the node does not"
        + " guess how to complete the switch. Both files were left untouched. To start with the"
        + " chain file as it is, check it with pos verify "
        + files.chainFile()
        + " and move the journal away (mv "
        + file
        + " "
        + file
        + ".damaged)";
  }

  /**
   * Completes the switch {@code journal} records on the chain just loaded ({@code state}, {@code
   * blocks}, whose newest lines end at {@code ends}): the file holds the old chain, block K and
   * part of the branch, or the new chain, depending on where the switch stopped.
   */
  private Switched completeSwitch(
      Journal journal, SignedChainState state, List<SignedBlock> blocks, List<Long> loadedEnds)
      throws IOException {
    long k = journal.forkIndex();
    long head = state.head().index();
    if (k > head) {
      throw new ChainStoreException(
          journal.file()
              + " records a chain switch after block "
              + k
              + ", but "
              + files.chainFile()
              + " ends at Index "
              + head
              + ". "
              + journalAdvice(journal.file()));
    }
    Hash atK = k == 0 ? state.genesis().block0().hash() : blocks.get((int) k - 1).block().hash();
    if (!atK.equals(journal.forkHash())) {
      throw new ChainStoreException(
          journal.file()
              + " records a chain switch after block "
              + k
              + " with Hash "
              + journal.forkHash().hex()
              + ", but block "
              + k
              + " of "
              + files.chainFile()
              + " has Hash "
              + atK.hex()
              + ". "
              + journalAdvice(journal.file()));
    }
    List<SignedBlock> stored = blocks.subList((int) k, blocks.size());
    List<SignedBlock> branch = journal.branch();
    int common = 0;
    while (common < stored.size()
        && common < branch.size()
        && stored.get(common).equals(branch.get(common))) {
      common++;
    }
    // The file's blocks after K are the old chain's (roll them back) or the branch's first ones.
    long keep = k + common;
    if (keep < state.oldestRollbackIndex() || head - keep >= loadedEnds.size()) {
      throw new ChainStoreException(
          journal.file()
              + " records a chain switch after block "
              + k
              + ", but "
              + files.chainFile()
              + " holds "
              + (head - keep)
              + " other blocks after block "
              + keep
              + ", more than a switch rolls back ("
              + state.rollbackDepth()
              + "). "
              + journalAdvice(journal.file()));
    }
    SignedChainState next = state.copy();
    next.rollBackTo(keep);
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    long keepLength = lineEnd(keep, head, loadedEnds);
    for (int i = common; i < branch.size(); i++) {
      SignedBlock block = branch.get(i);
      Optional<RuleViolation> violation = next.append(block);
      if (violation.isPresent()) {
        throw new ChainStoreException(
            journal.file()
                + " line "
                + (i + 2)
                + ": block "
                + block.index()
                + " (slot "
                + block.slot()
                + ") breaks "
                + violation.get().describe()
                + ". "
                + journalAdvice(journal.file()));
      }
      lines.writeBytes(line(block));
    }
    files.completeSwitch(keepLength, lines.toByteArray());
    List<SignedBlock> switched = new ArrayList<>(blocks.subList(0, (int) keep));
    switched.addAll(branch.subList(common, branch.size()));
    // Rolling back and appending leaves a state that can roll back only over what was appended;
    // a start promises the whole depth, so build the state again (every rule but the signatures',
    // which were checked) and find where the newest lines end.
    int depth = state.rollbackDepth();
    SignedChainState rebuilt = SignedChainState.start(state.genesis(), depth);
    for (SignedBlock block : switched) {
      rebuilt.appendSignatureChecked(block);
    }
    List<Long> ends = files.lastLineEnds((int) Math.min(depth, rebuilt.head().index()) + 1);
    List<String> done = new ArrayList<>();
    if (head > keep) {
      done.add(
          "moved the "
              + (head - keep)
              + " blocks of the old chain after block "
              + keep
              + " to "
              + files.directory().resolve(ROLLED_BACK_FILE));
    }
    if (common > 0) {
      done.add("kept the " + common + " blocks of the new branch already in the chain file");
    }
    done.add(
        "appended the "
            + (branch.size() - common)
            + " blocks of the new branch it lacked, from "
            + journal.file()
            + " (now deleted)");
    return new Switched(
        rebuilt,
        switched,
        ends,
        "completed an interrupted chain switch at Index "
            + k
            + ": "
            + String.join("; ", done)
            + "; the chain ends at Index "
            + rebuilt.head().index());
  }

  /**
   * Where the line of block {@code index} ends, from {@code ends}: where the lines of the blocks up
   * to {@code head} end, oldest first.
   */
  private static long lineEnd(long index, long head, List<Long> ends) {
    long back = head - index;
    if (back < 0 || back >= ends.size()) {
      throw new IllegalStateException(
          "the end of block " + index + "'s line is not kept (head " + head + ")");
    }
    return ends.get(ends.size() - 1 - (int) back);
  }

  private void trimLineEnds() {
    while (lineEnds.size() > check.rollbackDepth() + 1) {
      lineEnds.removeFirst();
    }
  }

  /** {@code block}'s line in the chain file, with its newline. */
  private static byte[] line(SignedBlock block) {
    return (SignedBlockJson.write(block) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "posj-load");
    thread.setDaemon(true);
    return thread;
  }
}
