package io.github.posj.net.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.store.ChainStore;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileChainStoreTest {
  private final HashScheme scheme = HashScheme.posj();
  private final Block genesis = scheme.genesis(TestBlocks.timestamp(0));

  @TempDir Path dir;

  private Path chainFile() {
    return dir.resolve(FileChainStore.CHAIN_FILE);
  }

  /** Opens a store on {@link #dir}, appends {@code count} blocks and closes it. */
  private Chain writeChain(int count) {
    try (FileChainStore store = new FileChainStore(dir)) {
      Chain chain = store.open(scheme, genesis).chain();
      for (int i = 1; i <= count; i++) {
        Block next = chain.nextBlock(60 + i, TestBlocks.timestamp(i), TestValidators.validator(i));
        store.append(next);
        chain = TestBlocks.append(chain, next);
      }
      return chain;
    }
  }

  @Test
  void open_emptyDirectory_writesHeaderAndGenesis() throws IOException {
    try (FileChainStore store = new FileChainStore(dir.resolve("new/sub"))) {
      ChainStore.Opened opened = store.open(scheme, genesis);

      assertThat(opened.chain().blocks()).containsExactly(genesis);
      assertThat(opened.repairs()).isEmpty();
      assertThat(Files.readAllLines(dir.resolve("new/sub").resolve(FileChainStore.CHAIN_FILE)))
          .containsExactly(
              "{\"format\":\"posj-chain\",\"version\":1,\"hashScheme\":\"posj\"}",
              ChainJson.write(genesis));
    }
  }

  @Test
  void open_existingEmptyDirectory_startsANewChain() {
    try (FileChainStore store = new FileChainStore(dir)) {
      assertThat(store.open(scheme, genesis).chain().blocks()).containsExactly(genesis);
    }
  }

  @Test
  void open_directoryWithOnlyOtherFiles_startsANewChain() throws IOException {
    Files.createDirectory(dir.resolve("lost+found"));
    Files.writeString(dir.resolve("README"), "the node's data");

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThat(store.open(scheme, genesis).chain().blocks()).containsExactly(genesis);
    }
  }

  /** Opens a store on {@link #dir}, expecting a refusal that creates no chain file. */
  private void assertOpenRefused(String... expected) {
    boolean linkBefore = Files.isSymbolicLink(chainFile());
    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining(FileChainStore.CHAIN_FILE)
          .hasMessageContainingAll(expected)
          .hasMessageContaining("mv " + dir.toAbsolutePath());
    }
    assertThat(Files.isSymbolicLink(chainFile())).as("link kept").isEqualTo(linkBefore);
    if (!linkBefore) {
      assertThat(Files.isRegularFile(chainFile())).as("no new chain file").isFalse();
    }
  }

  @Test
  void open_chainFileMissingButLockLeft_isRefusedAsAPreviousLife() throws IOException {
    Files.writeString(dir.resolve(FileChainStore.LOCK_FILE), "pid 1\n");

    assertOpenRefused("is missing", "found LOCK", "Put it back");
  }

  @Test
  void open_chainFileMissingButTornFileLeft_isRefusedAsAPreviousLife() throws IOException {
    Files.writeString(dir.resolve(FileChainStore.TORN_FILE), "{\"Index\":3\n");

    assertOpenRefused("is missing", "found " + FileChainStore.TORN_FILE);
  }

  @Test
  void open_chainFileMissingButTemporaryFileLeft_isRefusedAsAPreviousLife() throws IOException {
    Files.writeString(dir.resolve(FileChainStore.CHAIN_FILE + ".new"), "");

    assertOpenRefused("is missing", "found chain.jsonl.new");
  }

  @Test
  void open_chainFileRenamedAwayAfterARun_isRefusedOnTheNextStart() throws IOException {
    writeChain(2);
    Files.move(chainFile(), dir.resolve("elsewhere.jsonl"));

    assertOpenRefused("is missing", "found LOCK");
    assertOpenRefused("is missing", "found LOCK");
  }

  @Test
  void open_danglingChainFileSymlink_isRefusedAndTheLinkIsKept() throws IOException {
    Files.createSymbolicLink(chainFile(), dir.resolve("unmounted/disk/chain.jsonl"));

    assertOpenRefused("is a symbolic link to", "unmounted/disk/chain.jsonl", "does not exist");
    assertThat(dir.resolve("unmounted")).doesNotExist();
  }

  @Test
  void open_chainFileSymlinkLoop_isRefused() throws IOException {
    Files.createSymbolicLink(chainFile(), dir.resolve("other"));
    Files.createSymbolicLink(dir.resolve("other"), chainFile());

    assertOpenRefused("is a symbolic link to", "cannot be followed");
  }

  @Test
  void open_chainFileIsADirectory_isRefused() throws IOException {
    Files.createDirectory(chainFile());

    assertOpenRefused("is a directory");
  }

  @Test
  void open_chainFileSymlinkToAChain_loadsAndAppendsThroughIt() throws IOException {
    Chain written = writeChain(2);
    Path disk = Files.createDirectory(dir.resolve("disk"));
    Files.move(chainFile(), disk.resolve("chain.jsonl"));
    Files.createSymbolicLink(chainFile(), disk.resolve("chain.jsonl"));

    try (FileChainStore store = new FileChainStore(dir)) {
      Chain chain = store.open(scheme, genesis).chain();
      assertThat(chain.blocks()).isEqualTo(written.blocks());
      store.append(chain.nextBlock(70, "t", TestValidators.validator(3)));
    }
    assertThat(Files.isSymbolicLink(chainFile())).isTrue();
    assertThat(Files.readAllLines(disk.resolve("chain.jsonl"))).hasSize(5);
  }

  @Test
  void open_danglingDataDirectorySymlink_isRefusedAndCreatesNothing() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("pos-data"), dir.resolve("mnt/pos-data"));

    try (FileChainStore store = new FileChainStore(link)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContainingAll("is a symbolic link to", "does not exist", "--data-dir");
    }
    assertThat(dir.resolve("mnt")).doesNotExist();
  }

  @Test
  void open_headerWithTerminalControls_isRefusedWithThemEscaped() throws IOException {
    Files.writeString(chainFile(), "\u001b[2J\u0007\u202eevil\n" + ChainJson.write(genesis) + "\n");

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("\\u001b[2J\\u0007\\u202eevil")
          .hasMessageNotContainingAny("\u001b", "\u0007", "\u202e");
    }
  }

  @Test
  void open_lineLongerThanTheLimit_isRefusedNamingIt() throws IOException {
    writeChain(1);
    Files.writeString(
        chainFile(), "x".repeat(ChainFile.MAX_LINE_BYTES + 1) + "\n", StandardOpenOption.APPEND);

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContainingAll("line 4:", "longer than " + ChainFile.MAX_LINE_BYTES + " bytes");
    }
  }

  @Test
  void open_lineThatIsNotUtf8_isRefusedNamingItsColumn() throws IOException {
    writeChain(1);
    Files.write(chainFile(), new byte[] {'{', '"', (byte) 0xff, '\n'}, StandardOpenOption.APPEND);

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContainingAll("line 4:", "not valid UTF-8: column 3, byte 0xff");
    }
  }

  @Test
  void open_afterRestart_hasEveryAppendedBlock() {
    Chain written = writeChain(5);

    try (FileChainStore store = new FileChainStore(dir)) {
      ChainStore.Opened reopened = store.open(scheme, scheme.genesis("ignored: not empty"));

      assertThat(reopened.chain().blocks()).isEqualTo(written.blocks());
      assertThat(reopened.repairs()).isEmpty();
    }
  }

  @Test
  void open_tornFinalLine_isTruncatedWithARepairNote() throws IOException {
    Chain written = writeChain(3);
    long intactSize = Files.size(chainFile());
    Block next = written.nextBlock(99, "t", TestValidators.validator(9));
    String line = ChainJson.write(next);
    Files.writeString(chainFile(), line.substring(0, line.length() / 2), StandardOpenOption.APPEND);

    try (FileChainStore store = new FileChainStore(dir)) {
      ChainStore.Opened opened = store.open(scheme, genesis);

      assertThat(opened.chain().blocks()).isEqualTo(written.blocks());
      assertThat(opened.repairs()).singleElement().asString().contains("torn final line");
      assertThat(Files.size(chainFile())).isEqualTo(intactSize);
      store.append(next);
    }
    try (FileChainStore store = new FileChainStore(dir)) {
      assertThat(store.open(scheme, genesis).chain().head()).isEqualTo(next);
    }
  }

  @Test
  void open_tornFinalLine_keepsTheDroppedBytesInTheTornFile() throws IOException {
    Chain written = writeChain(2);
    String line = ChainJson.write(written.nextBlock(99, "t", TestValidators.validator(9)));
    String first = line.substring(0, 40);
    String second = line.substring(0, 70);
    Files.writeString(chainFile(), first, StandardOpenOption.APPEND);
    try (FileChainStore store = new FileChainStore(dir)) {
      assertThat(store.open(scheme, genesis).repairs())
          .singleElement()
          .asString()
          .contains(FileChainStore.TORN_FILE);
    }
    Files.writeString(chainFile(), second, StandardOpenOption.APPEND);
    try (FileChainStore store = new FileChainStore(dir)) {
      store.open(scheme, genesis);
    }

    assertThat(Files.readString(dir.resolve(FileChainStore.TORN_FILE)))
        .isEqualTo(first + "\n" + second + "\n");
  }

  @Test
  void open_completeFinalLineWithoutNewline_keepsTheBlock() throws IOException {
    Chain written = writeChain(3);
    long intactSize = Files.size(chainFile());
    try (FileChannel channel = FileChannel.open(chainFile(), StandardOpenOption.WRITE)) {
      channel.truncate(intactSize - 1);
    }

    try (FileChainStore store = new FileChainStore(dir)) {
      ChainStore.Opened opened = store.open(scheme, genesis);

      assertThat(opened.chain().blocks()).isEqualTo(written.blocks());
      assertThat(opened.repairs()).singleElement().asString().contains("newline was missing");
      assertThat(Files.size(chainFile())).isEqualTo(intactSize);
      store.append(written.nextBlock(80, "t", TestValidators.validator(4)));
    }
    try (FileChainStore store = new FileChainStore(dir)) {
      ChainStore.Opened reopened = store.open(scheme, genesis);
      assertThat(reopened.chain().size()).isEqualTo(5);
      assertThat(reopened.repairs()).isEmpty();
    }
    assertThat(dir.resolve(FileChainStore.TORN_FILE)).doesNotExist();
  }

  @Test
  void open_tamperedFinalLineWithoutNewline_isRefused() throws IOException {
    writeChain(3);
    String text = chainFileText();
    Files.writeString(
        chainFile(), text.substring(0, text.length() - 1).replace("\"BPM\":63", "\"BPM\":180"));
    byte[] before = Files.readAllBytes(chainFile());

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("line 5")
          .hasMessageContaining("Index 3")
          .hasMessageContaining("Hash recomputes")
          .hasMessageContaining("left untouched");
    }
    assertThat(Files.readAllBytes(chainFile())).isEqualTo(before);
    assertThat(dir.resolve(FileChainStore.TORN_FILE)).doesNotExist();
  }

  @Test
  void open_tamperedMiddleBlock_isRefusedNamingItAndLeavesTheFile() throws IOException {
    writeChain(4);
    List<String> lines = new ArrayList<>(Files.readAllLines(chainFile()));
    lines.set(3, lines.get(3).replace("\"BPM\":62", "\"BPM\":180"));
    Files.write(chainFile(), lines);
    byte[] before = Files.readAllBytes(chainFile());

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("line 4")
          .hasMessageContaining("Index 2")
          .hasMessageContaining("Hash recomputes")
          .hasMessageContaining("left untouched");
    }
    assertThat(Files.readAllBytes(chainFile())).isEqualTo(before);
  }

  @Test
  void open_garbageLineInTheMiddle_isRefused() throws IOException {
    writeChain(2);
    List<String> lines = new ArrayList<>(Files.readAllLines(chainFile()));
    lines.set(2, "{\"Index\":1,");
    Files.write(chainFile(), lines);

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("line 3: not a block");
    }
  }

  @Test
  void open_otherHashScheme_isRefusedWithTheFix() {
    writeChain(1);

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(HashScheme.goTutorial(), genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("'posj' scheme")
          .hasMessageContaining("--hash-scheme posj");
    }
  }

  @Test
  void open_notAChainFile_isRefused() throws IOException {
    Files.writeString(chainFile(), "hello\n");

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("line 1");
    }
  }

  @Test
  void open_emptyChainFile_isRefused() throws IOException {
    Files.write(chainFile(), new byte[0]);

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("is empty (0 bytes)")
          .hasMessageContaining("outside posj")
          .hasMessageContaining("move the data directory away");
    }
    assertThat(chainFile()).isEmptyFile();
  }

  @Test
  void open_headerOnlyChainFile_isRefusedForItsMissingGenesis() throws IOException {
    Files.writeString(chainFile(), ChainFile.header(scheme) + "\n");

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("line 2: no genesis block");
    }
    assertThat(chainFileText()).isEqualTo(ChainFile.header(scheme) + "\n");
  }

  @Test
  void open_headerWithoutHashScheme_isRefusedAsNotAPosjHeader() throws IOException {
    Files.writeString(
        chainFile(),
        "{\"format\":\"posj-chain\",\"version\":1}\n" + ChainJson.write(genesis) + "\n");

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("line 1: not a posj chain header: missing field hashScheme")
          .hasMessageNotContaining("--hash-scheme")
          .hasMessageNotContaining("''");
    }
  }

  @Test
  void open_tornGenesisLine_isRefusedAsATornGenesis() throws IOException {
    String line = ChainJson.write(genesis);
    String text = ChainFile.header(scheme) + "\n" + line.substring(0, line.length() / 2);
    Files.writeString(chainFile(), text);

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("line 2: the genesis block is torn")
          .hasMessageContaining("left untouched");
    }
    assertThat(chainFileText()).isEqualTo(text);
    assertThat(dir.resolve(FileChainStore.TORN_FILE)).doesNotExist();
  }

  @Test
  void open_trailingBlankLine_isRefusedNamingIt() throws IOException {
    writeChain(1);
    Files.writeString(chainFile(), "\n", StandardOpenOption.APPEND);

    try (FileChainStore store = new FileChainStore(dir)) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("line 4: a blank line");
    }
  }

  @Test
  void open_secondStoreOnTheSameDirectory_isRefusedUntilTheFirstCloses() {
    try (FileChainStore first = new FileChainStore(dir)) {
      first.open(scheme, genesis);

      try (FileChainStore second = new FileChainStore(dir)) {
        assertThatThrownBy(() -> second.open(scheme, genesis))
            .isInstanceOf(ChainStoreException.class)
            .hasMessageContaining("in use by another posj server")
            .hasMessageContaining("pid " + ProcessHandle.current().pid());
      }
    }
    try (FileChainStore third = new FileChainStore(dir)) {
      assertThat(third.open(scheme, genesis).chain().size()).isEqualTo(1);
    }
  }

  @Test
  void open_refusedSecondStoreInTheSameJvm_keepsTheDirectoryLockedForOtherProcesses()
      throws Exception {
    Path data = dir.resolve("data");
    try (FileChainStore first = new FileChainStore(data)) {
      first.open(scheme, genesis);
      try (FileChainStore second = new FileChainStore(dir.resolve("data/../data"))) {
        assertThatThrownBy(() -> second.open(scheme, genesis))
            .isInstanceOf(ChainStoreException.class)
            .hasMessageContaining("in use by another posj server");
      }

      assertThat(openInAnotherJvm(data))
          .startsWith("refused: ")
          .contains("in use by another posj server (pid " + ProcessHandle.current().pid() + ")");
    }
  }

  @Test
  void open_lockFileDeletedWhileHeld_anotherProcessIsStillRefused() throws Exception {
    Path data = dir.resolve("data");
    try (FileChainStore first = new FileChainStore(data)) {
      first.open(scheme, genesis);
      Files.delete(data.resolve(FileChainStore.LOCK_FILE));

      assertThat(openInAnotherJvm(data))
          .startsWith("refused: ")
          .contains("is locked by another posj server")
          .contains("deleted by hand");
    }
    try (FileChainStore again = new FileChainStore(data)) {
      assertThat(again.open(scheme, genesis).chain().size()).isEqualTo(1);
    }
  }

  /** Opens a store on {@code data} in a child JVM; what it printed: "opened" or "refused: ...". */
  private String openInAnotherJvm(Path data) throws IOException, InterruptedException {
    Path output = dir.resolve("child-output.txt");
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                OpenInAnotherJvm.class.getName(),
                data.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM finished").isTrue();
    } finally {
      child.destroyForcibly();
    }
    return Files.readString(output).strip();
  }

  /** The child JVM of {@link #openInAnotherJvm}. */
  static final class OpenInAnotherJvm {
    private OpenInAnotherJvm() {}

    public static void main(String[] args) {
      try (FileChainStore store = new FileChainStore(Path.of(args[0]))) {
        store.open(HashScheme.posj(), HashScheme.posj().genesis("child"));
        System.out.println("opened");
      } catch (ChainStoreException e) {
        System.out.println("refused: " + e.getMessage());
      }
    }
  }

  @Test
  void open_directoryThatCannotBeCreated_isAClearError() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");

    try (FileChainStore store = new FileChainStore(file.resolve("data"))) {
      assertThatThrownBy(() -> store.open(scheme, genesis))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("cannot create the data directory")
          .hasMessageContaining("--in-memory")
          .hasMessageNotContaining("Exception");
    }
  }

  @Test
  void append_deviceFull_failsRollsBackAndKeepsTheStoreUsable() throws IOException {
    AtomicBoolean full = new AtomicBoolean();
    FileChainStore.AppendTargetFactory failing =
        file -> {
          FileChainStore.AppendTarget real = FileChainStore.openFileTarget(file);
          return new FileChainStore.AppendTarget() {
            @Override
            public void write(ByteBuffer bytes) throws IOException {
              if (full.get()) {
                // Half the line reaches the file, then the device is full.
                ByteBuffer half = bytes.duplicate();
                half.limit(bytes.position() + bytes.remaining() / 2);
                real.write(half);
                throw new IOException("No space left on device");
              }
              real.write(bytes);
            }

            @Override
            public void force() throws IOException {
              real.force();
            }

            @Override
            public void truncate(long size) throws IOException {
              real.truncate(size);
            }

            @Override
            public void close() throws IOException {
              real.close();
            }
          };
        };
    try (FileChainStore store = new FileChainStore(dir, FileChainStore.Durability.FSYNC, failing)) {
      Chain chain = store.open(scheme, genesis).chain();
      long sizeBefore = Files.size(chainFile());
      Block refused = chain.nextBlock(70, "t", TestValidators.validator(1));
      full.set(true);

      assertThatThrownBy(() -> store.append(refused))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("could not store block 1")
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("disk full");
      assertThat(Files.size(chainFile())).as("rolled back").isEqualTo(sizeBefore);

      full.set(false);
      store.append(refused);
    }
    try (FileChainStore store = new FileChainStore(dir)) {
      assertThat(store.open(scheme, genesis).chain().size()).isEqualTo(2);
    }
  }

  @Test
  void append_fsync_forcesOnceAfterTheWholeLineBeforeReturning() {
    ScriptedTarget.Factory targets = new ScriptedTarget.Factory();
    try (FileChainStore store = new FileChainStore(dir, FileChainStore.Durability.FSYNC, targets)) {
      Chain chain = store.open(scheme, genesis).chain();
      for (int i = 1; i <= 3; i++) {
        Block next = chain.nextBlock(60 + i, TestBlocks.timestamp(i), TestValidators.validator(i));
        int lineBytes = (ChainJson.write(next) + "\n").getBytes(StandardCharsets.UTF_8).length;
        targets.target.events.clear();

        store.append(next);

        assertThat(targets.target.events).as("append %d", i).endsWith("force after " + lineBytes);
        assertThat(targets.target.events).filteredOn(e -> e.startsWith("force")).hasSize(1);
        chain = TestBlocks.append(chain, next);
      }
    }
  }

  @Test
  void append_osBuffered_neverForces() {
    ScriptedTarget.Factory targets = new ScriptedTarget.Factory();
    try (FileChainStore store =
        new FileChainStore(dir, FileChainStore.Durability.OS_BUFFERED, targets)) {
      Chain chain = store.open(scheme, genesis).chain();
      for (int i = 1; i <= 3; i++) {
        Block next = chain.nextBlock(60 + i, TestBlocks.timestamp(i), TestValidators.validator(i));
        store.append(next);
        chain = TestBlocks.append(chain, next);
      }

      assertThat(targets.target.events).isNotEmpty().noneMatch(e -> e.startsWith("force"));
    }
  }

  @Test
  void append_forceFails_rollsBackAndKeepsTheStoreUsable() throws IOException {
    ScriptedTarget.Factory targets = new ScriptedTarget.Factory();
    try (FileChainStore store = new FileChainStore(dir, FileChainStore.Durability.FSYNC, targets)) {
      Chain chain = store.open(scheme, genesis).chain();
      long sizeBefore = Files.size(chainFile());
      Block next = chain.nextBlock(70, "t", TestValidators.validator(1));
      targets.target.failNextForce = true;

      assertThatThrownBy(() -> store.append(next))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("could not store block 1")
          .hasMessageContaining("Input/output error")
          .hasMessageNotContaining("broken")
          .extracting(e -> ((ChainStoreException) e).state())
          .isEqualTo(ChainStoreException.State.INTACT);
      assertThat(Files.size(chainFile())).as("rolled back").isEqualTo(sizeBefore);
      assertThat(targets.target.events).endsWith("truncate " + sizeBefore, "force after 0");

      store.append(next);
    }
    try (FileChainStore store = new FileChainStore(dir)) {
      assertThat(store.open(scheme, genesis).chain().size()).isEqualTo(2);
    }
  }

  @Test
  void append_rollbackFails_refusesFurtherAppendsAsBroken() throws IOException {
    ScriptedTarget.Factory targets = new ScriptedTarget.Factory();
    try (FileChainStore store = new FileChainStore(dir, FileChainStore.Durability.FSYNC, targets)) {
      Chain chain = store.open(scheme, genesis).chain();
      Block next = chain.nextBlock(70, "t", TestValidators.validator(1));
      targets.target.failWriteAfterHalf = true;
      targets.target.failTruncate = true;

      assertThatThrownBy(() -> store.append(next))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("could not store block 1")
          .hasMessageContaining("rolling the file back failed too")
          .extracting(e -> ((ChainStoreException) e).state())
          .isEqualTo(ChainStoreException.State.BROKEN);

      targets.target.failWriteAfterHalf = false;
      targets.target.failTruncate = false;
      targets.target.events.clear();
      assertThatThrownBy(() -> store.append(next))
          .isInstanceOf(ChainStoreException.class)
          .hasMessageContaining("is broken")
          .hasMessageContaining("restart the server")
          .extracting(e -> ((ChainStoreException) e).state())
          .isEqualTo(ChainStoreException.State.BROKEN);
      assertThat(targets.target.events).as("nothing written once broken").isEmpty();
    }
    try (FileChainStore store = new FileChainStore(dir)) {
      ChainStore.Opened reopened = store.open(scheme, genesis);

      assertThat(reopened.chain().size()).isEqualTo(1);
      assertThat(reopened.repairs()).singleElement().asString().contains("torn final line");
    }
  }

  /** Opens a store with one block, changes the file with {@code change}, and appends again. */
  private void assertAppendAfterOutsideChangeIsBroken(
      FileChange change, String expectedMessage, boolean chainFileRemains) throws IOException {
    try (FileChainStore store = new FileChainStore(dir)) {
      Chain chain = store.open(scheme, genesis).chain();
      Block first = chain.nextBlock(61, TestBlocks.timestamp(1), TestValidators.validator(1));
      store.append(first);
      chain = TestBlocks.append(chain, first);
      change.apply(chainFile());
      byte[] changed = chainFileRemains ? Files.readAllBytes(chainFile()) : new byte[0];
      Block second = chain.nextBlock(62, TestBlocks.timestamp(2), TestValidators.validator(2));

      for (int attempt = 1; attempt <= 2; attempt++) {
        assertThatThrownBy(() -> store.append(second))
            .as("attempt %d", attempt)
            .isInstanceOf(ChainStoreException.class)
            .hasMessageContaining("is broken")
            .hasMessageContaining(expectedMessage)
            .hasMessageContaining("restart the server")
            .extracting(e -> ((ChainStoreException) e).state())
            .isEqualTo(ChainStoreException.State.BROKEN);
      }
      if (chainFileRemains) {
        assertThat(Files.readAllBytes(chainFile())).as("nothing written").isEqualTo(changed);
      } else {
        assertThat(chainFile()).doesNotExist();
      }
    }
  }

  /** A change made to the chain file from outside the store. */
  private interface FileChange {
    void apply(Path file) throws IOException;
  }

  @Test
  void append_chainFileTruncatedToZeroOutside_isBrokenAndWritesNoHole() throws IOException {
    assertAppendAfterOutsideChangeIsBroken(
        file -> Files.write(file, new byte[0]), "has 0 bytes where this server last wrote", true);
  }

  @Test
  void append_chainFileShortenedOutside_isBroken() throws IOException {
    assertAppendAfterOutsideChangeIsBroken(
        file -> {
          List<String> lines = Files.readAllLines(file);
          Files.write(file, lines.subList(0, lines.size() - 1));
        },
        "truncated or shortened",
        true);
  }

  @Test
  void append_chainFileAppendedToOutside_isBroken() throws IOException {
    assertAppendAfterOutsideChangeIsBroken(
        file -> Files.writeString(file, "junk\n", StandardOpenOption.APPEND), "appended to", true);
  }

  @Test
  void append_chainFileRenamedAway_isBroken() throws IOException {
    assertAppendAfterOutsideChangeIsBroken(
        file -> Files.move(file, dir.resolve("moved.jsonl")), "renamed or deleted", false);
    assertThat(dir.resolve("moved.jsonl")).content().doesNotContain("\"Index\":2");
  }

  @Test
  void append_chainFileDeleted_isBroken() throws IOException {
    assertAppendAfterOutsideChangeIsBroken(Files::delete, "renamed or deleted", false);
  }

  @Test
  void append_chainFileReplacedByAnotherFile_isBroken() throws IOException {
    assertAppendAfterOutsideChangeIsBroken(
        file -> {
          Path copy = dir.resolve("copy.jsonl");
          Files.copy(file, copy);
          Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING);
        },
        "replaced by another file",
        true);
  }

  @Test
  void append_blockThatDoesNotFollow_isRefused() {
    try (FileChainStore store = new FileChainStore(dir)) {
      store.open(scheme, genesis);
      Block unlinked =
          scheme.seal(
              1, "t", 1, TestBlocks.chain(scheme, 2).head().hash(), TestValidators.validator(1));

      assertThatThrownBy(() -> store.append(unlinked))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not follow");
    }
  }

  @Test
  void append_goTutorialChain_roundTripsThroughTheFile() {
    HashScheme go = HashScheme.goTutorial();
    Block goGenesis = go.genesis(TestBlocks.timestamp(0));
    try (FileChainStore store = new FileChainStore(dir)) {
      Chain chain = store.open(go, goGenesis).chain();
      store.append(chain.nextBlock(72, TestBlocks.timestamp(1), TestValidators.validator(1)));
    }
    try (FileChainStore store = new FileChainStore(dir)) {
      Chain loaded = store.open(go, goGenesis).chain();
      assertThat(loaded.size()).isEqualTo(2);
      assertThat(loaded.genesisBlock().hash().hex()).startsWith("96a296d2");
    }
    assertThat(chainFileText()).contains("\"hashScheme\":\"go-tutorial\"");
  }

  /**
   * The real file target, recording what the store does ("write N", "force after N", "truncate N",
   * where N counts the bytes written by the append so far) and failing on demand.
   */
  static final class ScriptedTarget implements FileChainStore.AppendTarget {
    final List<String> events = new ArrayList<>();
    boolean failWriteAfterHalf;
    boolean failNextForce;
    boolean failTruncate;
    private final FileChainStore.AppendTarget real;
    private int written;

    ScriptedTarget(FileChainStore.AppendTarget real) {
      this.real = real;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
      if (failWriteAfterHalf) {
        ByteBuffer half = bytes.duplicate();
        half.limit(bytes.position() + bytes.remaining() / 2);
        real.write(half);
        events.add("write " + half.position());
        throw new IOException("No space left on device");
      }
      int before = bytes.remaining();
      real.write(bytes);
      written += before - bytes.remaining();
      events.add("write " + (before - bytes.remaining()));
    }

    @Override
    public void force() throws IOException {
      if (failNextForce) {
        failNextForce = false;
        throw new IOException("Input/output error");
      }
      real.force();
      events.add("force after " + written);
      written = 0;
    }

    @Override
    public void truncate(long size) throws IOException {
      if (failTruncate) {
        throw new IOException("Read-only file system");
      }
      real.truncate(size);
      events.add("truncate " + size);
      written = 0;
    }

    @Override
    public void close() throws IOException {
      real.close();
    }

    /** Opens the real target and keeps the scripted one for the test. */
    static final class Factory implements FileChainStore.AppendTargetFactory {
      ScriptedTarget target;

      @Override
      public FileChainStore.AppendTarget open(Path file) throws IOException {
        target = new ScriptedTarget(FileChainStore.openFileTarget(file));
        return target;
      }
    }
  }

  private String chainFileText() {
    try {
      return new String(Files.readAllBytes(chainFile()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
