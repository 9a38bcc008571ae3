package io.github.posj.net.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import io.github.posj.core.chain.ForkChoice;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link FileSignedChainStore#replaceFrom}: a chain switch through the journal, and its completion
 * at a start after a crash at any step (docs/storage.md, "Switching chains").
 */
final class FileSignedChainStoreReorgTest {
  // 4-slot epochs: the rollback depth is 8 blocks.
  private final TestNetwork network = TestNetwork.withSlots(30, 4, 10, 20, 30, 40);
  @TempDir Path dir;

  /** Blocks 1 to 10, slots 1 to 10: what both forks share. */
  private List<SignedBlock> prefix;

  /** Blocks 11 to 14 of the stored chain (slots 11 to 14). */
  private List<SignedBlock> oldTail;

  /** Blocks 11 to 22 of the other fork (slots 15 to 26): longer than the rollback depth. */
  private List<SignedBlock> branch;

  /** The other fork's state after its last block. */
  private SignedChainState branchState;

  @BeforeEach
  void forks() {
    // Each fork has its own state: the leaders depend on the chain's mix.
    SignedChainState shared = network.start();
    prefix = network.forgeSlots(shared, 1, 10);
    SignedChainState old = shared.copy();
    oldTail = network.forgeSlots(old, 11, 14);
    branchState = shared.copy();
    branch = network.forgeSlots(branchState, 15, 26);
    assertThat(branch.size()).isGreaterThan(ForkChoice.finalityDepth(network.genesis()));
  }

  @Test
  void replaceFrom_longerFork_isStoredAndSurvivesAReopen() throws IOException {
    storeOldChain(dir);
    byte[] removed = tailAfterBlock10(Files.readAllBytes(chainFile()));
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      store.open(network.genesis());
      store.replaceFrom(10, branch);
    }

    assertThat(loadFile()).isEqualTo(concat(prefix, branch));
    assertThat(Files.readAllBytes(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE)))
        .as("the removed lines, kept for inspection")
        .isEqualTo(removed)
        .isEqualTo(lines(oldTail).getBytes(StandardCharsets.UTF_8));
    assertThat(journal()).doesNotExist();
    assertThat(dir.resolve(DataDirectory.NEW_SWITCH_JOURNAL)).doesNotExist();
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      SignedChainStore.Opened opened = store.open(network.genesis());
      assertThat(opened.blocks()).isEqualTo(concat(prefix, branch));
      assertThat(opened.state().head()).isEqualTo(branch.get(branch.size() - 1).block());
      assertThat(opened.repairs()).isEmpty();
    }
  }

  @Test
  void replaceFrom_atTheHead_appendsWithoutAJournalAndSwitchesLaterStillWork() throws IOException {
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      store.open(network.genesis());
      store.replaceFrom(0, prefix); // a catch-up: the chain only grows
      assertThat(journal()).doesNotExist();
      assertThat(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE)).doesNotExist();
      store.replaceFrom(10, oldTail);
      store.replaceFrom(10, branch); // and the line ends it keeps are right for a real switch
    }
    assertThat(loadFile()).isEqualTo(concat(prefix, branch));
    assertThat(Files.readString(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE)))
        .isEqualTo(lines(oldTail));
  }

  @Test
  void read_lineEnds_areWhereTheNewestLinesEnd() throws IOException {
    storeOldChain(dir);
    byte[] file = Files.readAllBytes(chainFile());
    SignedChainFile.Contents.Loaded loaded;
    try (InputStream in = Files.newInputStream(chainFile())) {
      loaded =
          (SignedChainFile.Contents.Loaded)
              SignedChainFile.read(in, SignedChainFile.Options.keepingBlocks());
    }
    // Head 14, depth 8: the lines of blocks 6 to 14.
    List<Long> ends = loaded.lineEnds();
    assertThat(ends).hasSize(9).last().isEqualTo((long) file.length);
    for (int i = 1; i < ends.size(); i++) {
      SignedBlock block = concat(prefix, oldTail).get(5 + i);
      assertThat(file[(int) (ends.get(i) - 1)]).isEqualTo((byte) '\n');
      assertThat(ends.get(i) - ends.get(i - 1))
          .isEqualTo(lines(List.of(block)).getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void replaceFrom_thenAppendsAndAnotherSwitch_surviveAReopen() throws IOException {
    storeOldChain(dir);
    SignedBlock next = network.forge(branchState, 27, 90);
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      store.open(network.genesis());
      store.replaceFrom(10, branch);
      store.append(next);
      // A second switch inside the new branch: the store tracks where each new line ends.
      store.replaceFrom(20, List.of());
    }
    List<SignedBlock> expected = concat(prefix, branch.subList(0, 10));
    assertThat(loadFile()).isEqualTo(expected);
    assertThat(Files.readString(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE)))
        .isEqualTo(lines(oldTail) + lines(branch.subList(10, 12)) + lines(List.of(next)));
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      SignedChainStore.Opened opened = store.open(network.genesis());
      assertThat(opened.blocks()).isEqualTo(expected);
      SignedBlock after = network.forge(opened.state(), 30, 70);
      store.append(after);
    }
    assertThat(loadFile()).hasSize(21);
  }

  @Test
  void replaceFrom_emptyBranch_onlyRollsBack() throws IOException {
    storeOldChain(dir);
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      store.open(network.genesis());
      store.replaceFrom(12, List.of());
      store.replaceFrom(12, List.of()); // nothing to roll back: changes nothing
    }
    assertThat(loadFile()).isEqualTo(concat(prefix, oldTail.subList(0, 2)));
    assertThat(Files.readString(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE)))
        .isEqualTo(lines(oldTail.subList(2, 4)));
  }

  @Test
  void replaceFrom_badForkIndexOrBranch_changesNothing() throws IOException {
    storeOldChain(dir);
    byte[] before = Files.readAllBytes(chainFile());
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      store.open(network.genesis());
      // Head 14, depth 8: Index 6 is the deepest fork.
      assertThatThrownBy(() -> store.replaceFrom(5, List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Index 5")
          .hasMessageContaining("Index 6 at the deepest");
      assertThatThrownBy(() -> store.replaceFrom(15, List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ends at Index 14");
      assertThatThrownBy(() -> store.replaceFrom(10, branch.subList(1, branch.size())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("block 12")
          .hasMessageContaining("INDEX_FOLLOWS");
      assertThatThrownBy(() -> store.replaceFrom(9, branch))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("block 11")
          .hasMessageContaining("INDEX_FOLLOWS");
      assertThat(Files.readAllBytes(chainFile())).isEqualTo(before);
      assertThat(journal()).doesNotExist();
      assertThat(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE)).doesNotExist();

      // Still usable, on the old chain.
      store.replaceFrom(6, List.of());
    }
    assertThat(loadFile()).isEqualTo(prefix.subList(0, 6));
  }

  /** Where a crash stops a switch from block 10 to the branch. */
  enum Crash {
    /** The journal's temporary file is half written. */
    DURING_A,
    /** The journal is in place. */
    AFTER_A,
    /** Part of the removed lines reached rolled-back.jsonl. */
    DURING_B,
    /** The removed lines are in rolled-back.jsonl. */
    AFTER_B,
    /** The chain file ends with block 10. */
    AFTER_C,
    /** The chain file holds block 10, nine blocks of the branch and half of the tenth. */
    DURING_D,
    /** The chain file holds the new chain; the journal is still there. */
    AFTER_D,
    /** The switch is complete. */
    AFTER_E
  }

  @ParameterizedTest
  @EnumSource(Crash.class)
  void open_afterACrashAtAnyStep_holdsTheOldOrTheNewChain(Crash crash) throws IOException {
    storeOldChain(dir);
    byte[] old = Files.readAllBytes(chainFile());
    byte[] removed = tailAfterBlock10(old);
    byte[] kept = Arrays.copyOf(old, old.length - removed.length);
    byte[] branchLines = lines(branch).getBytes(StandardCharsets.UTF_8);
    byte[] journal = journalBytes(10, branch);
    Path rolledBack = dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE);
    switch (crash) {
      case DURING_A -> Files.write(dir.resolve(DataDirectory.NEW_SWITCH_JOURNAL), half(journal));
      case AFTER_A -> Files.write(journal(), journal);
      case DURING_B -> {
        Files.write(journal(), journal);
        Files.write(rolledBack, half(removed));
      }
      case AFTER_B -> {
        Files.write(journal(), journal);
        Files.write(rolledBack, removed);
      }
      case AFTER_C -> {
        Files.write(journal(), journal);
        Files.write(rolledBack, removed);
        Files.write(chainFile(), kept);
      }
      case DURING_D -> {
        Files.write(journal(), journal);
        Files.write(rolledBack, removed);
        byte[] nine = lines(branch.subList(0, 9)).getBytes(StandardCharsets.UTF_8);
        byte[] tenth = half(lines(branch.subList(9, 10)).getBytes(StandardCharsets.UTF_8));
        Files.write(chainFile(), concat(kept, nine, tenth));
      }
      case AFTER_D -> {
        Files.write(journal(), journal);
        Files.write(rolledBack, removed);
        Files.write(chainFile(), concat(kept, branchLines));
      }
      case AFTER_E -> {
        Files.write(rolledBack, removed);
        Files.write(chainFile(), concat(kept, branchLines));
      }
    }

    boolean switched = crash != Crash.DURING_A;
    List<SignedBlock> expected = switched ? concat(prefix, branch) : concat(prefix, oldTail);
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      SignedChainStore.Opened opened = store.open(network.genesis());
      assertThat(opened.blocks()).isEqualTo(expected);
      assertThat(opened.state().head()).isEqualTo(expected.get(expected.size() - 1).block());
      if (crash == Crash.DURING_A) {
        assertThat(opened.repairs())
            .singleElement()
            .asString()
            .contains("deleted")
            .contains("switch had not begun");
      } else if (crash == Crash.AFTER_E) {
        assertThat(opened.repairs()).isEmpty();
      } else {
        assertThat(opened.repairs())
            .last()
            .asString()
            .startsWith("completed an interrupted chain switch at Index 10: ");
      }
      // The reopened store appends to the chain it returned.
      store.append(network.forge(opened.state(), 40, 75));
    }
    assertThat(journal()).doesNotExist();
    assertThat(dir.resolve(DataDirectory.NEW_SWITCH_JOURNAL)).doesNotExist();
    assertThat(loadFile())
        .hasSize(expected.size() + 1)
        .startsWith(expected.toArray(SignedBlock[]::new));
    if (switched) {
      String keptLines = Files.readString(rolledBack);
      if (crash == Crash.DURING_B) {
        // The half line stays on a line of its own, then the whole lines follow.
        assertThat(keptLines)
            .isEqualTo(new String(half(removed), StandardCharsets.UTF_8) + "\n" + lines(oldTail));
      } else {
        assertThat(keptLines).as("not duplicated").isEqualTo(lines(oldTail));
      }
    }
    if (crash == Crash.DURING_D) {
      assertThat(dir.resolve(FileChainStore.TORN_FILE)).exists();
    }
  }

  @Test
  void open_interruptedRollback_canRollBackTheWholeDepthAgain() throws IOException {
    storeOldChain(dir);
    Files.write(journal(), journalBytes(6, List.of()));
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      SignedChainStore.Opened opened = store.open(network.genesis());
      assertThat(opened.blocks()).isEqualTo(prefix.subList(0, 6));
      assertThat(opened.repairs())
          .singleElement()
          .asString()
          .contains("moved the 8 blocks of the old chain after block 6")
          .contains("appended the 0 blocks");
      // Head 6, depth 8: back to block 0, as after any start.
      assertThat(opened.state().oldestRollbackIndex()).isZero();
      store.replaceFrom(0, List.of());
    }
    assertThat(loadFile()).isEmpty();
    assertThat(Files.readString(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE)))
        .isEqualTo(lines(prefix.subList(6, 10)) + lines(oldTail) + lines(prefix.subList(0, 6)));
  }

  @Test
  void replaceFrom_failedTruncate_breaksTheStoreAndARestartCompletesTheSwitch() throws IOException {
    storeOldChain(dir);
    FileChainStoreTest.ScriptedTarget.Factory targets =
        new FileChainStoreTest.ScriptedTarget.Factory();
    String forkHash = prefix.get(9).block().hash().hex();
    try (FileSignedChainStore store =
        new FileSignedChainStore(dir, FileChainStore.Durability.FSYNC, targets)) {
      store.open(network.genesis());
      targets.target.failTruncate = true;
      assertThatThrownBy(() -> store.replaceFrom(10, branch))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("Read-only file system")
          .satisfies(
              e ->
                  assertThat(((ChainStoreException) e).state())
                      .isEqualTo(ChainStoreException.State.BROKEN));
      assertThat(Files.readString(journal()))
          .isEqualTo(
              "{\"format\":\"posj-reorg\",\"version\":1,\"forkIndex\":\"10\",\"forkHash\":\""
                  + forkHash
                  + "\"}\n"
                  + lines(branch));
      targets.target.failTruncate = false;
      assertThatThrownBy(() -> store.append(network.forge(branchState, 27, 70)))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("is broken")
          .hasMessageContaining("a restart completes the switch");
    }
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      SignedChainStore.Opened opened = store.open(network.genesis());
      assertThat(opened.blocks()).isEqualTo(concat(prefix, branch));
      assertThat(opened.repairs())
          .singleElement()
          .asString()
          .contains("moved the 4 blocks of the old chain after block 10")
          .contains("appended the 12 blocks");
    }
    assertThat(journal()).doesNotExist();
  }

  @Test
  void replaceFrom_writeFailsHalfWay_breaksTheStoreAndARestartCompletesTheSwitch()
      throws IOException {
    storeOldChain(dir);
    FileChainStoreTest.ScriptedTarget.Factory targets =
        new FileChainStoreTest.ScriptedTarget.Factory();
    try (FileSignedChainStore store =
        new FileSignedChainStore(dir, FileChainStore.Durability.FSYNC, targets)) {
      store.open(network.genesis());
      targets.target.failWriteAfterHalf = true;
      assertThatThrownBy(() -> store.replaceFrom(10, branch))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("broken until a restart");
    }
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      SignedChainStore.Opened opened = store.open(network.genesis());
      assertThat(opened.blocks()).isEqualTo(concat(prefix, branch));
      // Half the branch's lines reached the file (and a torn line, unless half ends a line).
      assertThat(opened.repairs())
          .last()
          .asString()
          .startsWith("completed an interrupted chain switch at Index 10: ")
          .doesNotContain("old chain")
          .contains("kept the 6 blocks of the new branch")
          .contains("appended the 6 blocks");
    }
    assertThat(loadFile()).isEqualTo(concat(prefix, branch));
  }

  @Test
  void replaceFrom_rolledBackFileUnwritable_failsIntactAndLeavesNoJournal() throws IOException {
    storeOldChain(dir);
    byte[] before = Files.readAllBytes(chainFile());
    Files.createDirectory(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE));
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      store.open(network.genesis());
      assertThatThrownBy(() -> store.replaceFrom(10, branch))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("the chain file was not changed")
          .satisfies(
              e ->
                  assertThat(((ChainStoreException) e).state())
                      .isEqualTo(ChainStoreException.State.INTACT));
      assertThat(journal()).doesNotExist();
      assertThat(Files.readAllBytes(chainFile())).isEqualTo(before);
      store.append(network.forge(storedState(), 15, 70));
    }
    assertThat(loadFile()).hasSize(15);
  }

  @Test
  void open_damagedJournal_isRefusedNamingTheFile() throws IOException {
    storeOldChain(dir);
    byte[] before = Files.readAllBytes(chainFile());
    byte[] journal = journalBytes(10, branch);
    Files.write(journal(), Arrays.copyOf(journal, journal.length - 10));

    assertThatThrownBy(() -> new FileSignedChainStore(dir).open(network.genesis()))
        .isInstanceOf(ChainStoreException.class)
        .hasMessageContaining(journal() + " line 13")
        .hasMessageContaining("no newline")
        .hasMessageContaining("mv " + journal());
    assertThat(Files.readAllBytes(chainFile())).isEqualTo(before);
    assertThat(journal()).exists();

    Files.writeString(journal(), "{\"format\":\"posj-reorg\",\"version\":2}\n");
    assertThatThrownBy(() -> new FileSignedChainStore(dir).open(network.genesis()))
        .hasMessageContaining(journal() + " line 1: not a journal header");
  }

  @Test
  void open_journalForkHashNotInTheChain_isRefused() throws IOException {
    storeOldChain(dir);
    byte[] journal = journalBytes(10, branch);
    String text = new String(journal, StandardCharsets.UTF_8);
    String hash10 = prefix.get(9).block().hash().hex();
    Files.writeString(journal(), text.replaceFirst(hash10, "ab".repeat(32)));
    assertThatThrownBy(() -> new FileSignedChainStore(dir).open(network.genesis()))
        .isInstanceOf(ChainStoreException.class)
        .hasMessageContaining("with Hash " + "ab".repeat(32))
        .hasMessageContaining("has Hash " + hash10);
  }

  @Test
  void open_switchFilesWithoutAChainFile_isRefused() throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE), "{}\n");
    assertThatThrownBy(() -> new FileSignedChainStore(dir).open(network.genesis()))
        .isInstanceOf(ChainStoreException.class)
        .hasMessageContaining("is missing")
        .hasMessageContaining(FileSignedChainStore.ROLLED_BACK_FILE);
    Files.delete(dir.resolve(FileSignedChainStore.ROLLED_BACK_FILE));
    Files.delete(dir.resolve(FileChainStore.LOCK_FILE));
    Files.writeString(journal(), "x");
    assertThatThrownBy(() -> new FileSignedChainStore(dir).open(network.genesis()))
        .hasMessageContaining(FileSignedChainStore.SWITCH_JOURNAL);
    assertThat(chainFile()).doesNotExist();
  }

  private void storeOldChain(Path directory) {
    try (FileSignedChainStore store = new FileSignedChainStore(directory)) {
      store.open(network.genesis());
      prefix.forEach(store::append);
      oldTail.forEach(store::append);
    }
  }

  /** The state after the stored (old) chain. */
  private SignedChainState storedState() {
    SignedChainState state = network.start();
    concat(prefix, oldTail).forEach(state::appendSignatureChecked);
    return state;
  }

  /** The blocks of the chain file, read as pos verify reads it; fails unless it is whole. */
  private List<SignedBlock> loadFile() throws IOException {
    try (InputStream in = Files.newInputStream(chainFile())) {
      SignedChainFile.Contents contents =
          SignedChainFile.read(in, SignedChainFile.Options.keepingBlocks());
      assertThat(contents).isInstanceOf(SignedChainFile.Contents.Loaded.class);
      SignedChainFile.Contents.Loaded loaded = (SignedChainFile.Contents.Loaded) contents;
      assertThat(loaded.ending()).isEqualTo(ChainFile.Ending.COMPLETE);
      return loaded.blocks();
    }
  }

  /** The bytes of the old chain file after block 10's line (blocks 11 to 14). */
  private byte[] tailAfterBlock10(byte[] file) {
    byte[] tail = lines(oldTail).getBytes(StandardCharsets.UTF_8);
    assertThat(Arrays.copyOfRange(file, file.length - tail.length, file.length)).isEqualTo(tail);
    return tail;
  }

  private byte[] journalBytes(long forkIndex, List<SignedBlock> blocks) {
    return (FileSignedChainStore.journalHeader(
                forkIndex, prefix.get((int) forkIndex - 1).block().hash())
            + "\n"
            + lines(blocks))
        .getBytes(StandardCharsets.UTF_8);
  }

  private Path chainFile() {
    return dir.resolve(FileChainStore.CHAIN_FILE);
  }

  private Path journal() {
    return dir.resolve(FileSignedChainStore.SWITCH_JOURNAL);
  }

  private static String lines(List<SignedBlock> blocks) {
    StringBuilder out = new StringBuilder();
    for (SignedBlock block : blocks) {
      out.append(SignedBlockJson.write(block)).append('\n');
    }
    return out.toString();
  }

  private static byte[] half(byte[] bytes) {
    return Arrays.copyOf(bytes, bytes.length / 2 + 7);
  }

  private static List<SignedBlock> concat(List<SignedBlock> first, List<SignedBlock> second) {
    List<SignedBlock> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
