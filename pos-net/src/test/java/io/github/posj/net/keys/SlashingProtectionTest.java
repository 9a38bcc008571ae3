package io.github.posj.net.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.testing.TestNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SlashingProtectionTest {
  private static final PublicKey KEY = TestNetwork.key(1).publicKey();
  private static final PublicKey OTHER_KEY = TestNetwork.key(2).publicKey();
  private static final Hash A = Hash.fromHex("aa".repeat(32));
  private static final Hash B = Hash.fromHex("bb".repeat(32));

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("validator.protection");
  }

  private static String state(PublicKey key, long slot, Hash hash) {
    return "{\"format\":\"posj-slashing-protection\",\"version\":1,\"pubkey\":\""
        + key.hex()
        + "\",\"lastSignedSlot\":\""
        + slot
        + "\",\"lastSignedHash\":\""
        + hash.hex()
        + "\"}\n";
  }

  @Test
  void open_missingFile_createsItWithNothingSigned() throws IOException {
    try (SlashingProtection protection = SlashingProtection.open(file(), KEY)) {
      assertThat(protection.created()).isTrue();
      assertThat(protection.lastSignedSlot()).isZero();
      assertThat(protection.lastSignedHash()).isEqualTo(Hash.EMPTY);
    }
    assertThat(Files.readString(file())).isEqualTo(state(KEY, 0, Hash.EMPTY));
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
          .isEqualTo("rw-------");
    }
    try (SlashingProtection again = SlashingProtection.open(file(), KEY)) {
      assertThat(again.created()).isFalse();
    }
  }

  @Test
  void checkAndRecord_followTheRules() {
    try (SlashingProtection protection = SlashingProtection.open(file(), KEY)) {
      assertThat(protection.check(1, A)).isEmpty();
      assertThat(protection.check(57, A)).isEmpty();

      protection.record(57, A);

      assertThat(protection.check(57, A)).as("the same block again").isEmpty();
      assertThat(protection.check(58, B)).isEmpty();
      SlashingProtection.Refusal doubleSign = protection.check(57, B).orElseThrow();
      assertThat(doubleSign.reason()).isEqualTo(SlashingProtection.Reason.OTHER_BLOCK_IN_SLOT);
      assertThat(doubleSign.describe())
          .isEqualTo(
              "this key already signed block "
                  + A.hex()
                  + " for slot 57; signing block "
                  + B.hex()
                  + " too would be double signing");
      SlashingProtection.Refusal earlier = protection.check(56, A).orElseThrow();
      assertThat(earlier.reason()).isEqualTo(SlashingProtection.Reason.EARLIER_SLOT);
      assertThat(earlier.describe())
          .isEqualTo(
              "slot 56 is before slot 57, the last one this key signed; signing for an earlier"
                  + " slot is refused");
    }
  }

  @Test
  void record_aRefusedBlock_throwsAndRecordsNothing() throws IOException {
    try (SlashingProtection protection = SlashingProtection.open(file(), KEY)) {
      protection.record(5, A);

      assertThatThrownBy(() -> protection.record(5, B))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("double signing");
      assertThatThrownBy(() -> protection.record(4, B))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("earlier slot");
      protection.record(5, A);

      assertThat(protection.lastSignedSlot()).isEqualTo(5);
      assertThat(protection.lastSignedHash()).isEqualTo(A);
    }
    assertThat(Files.readString(file())).isEqualTo(state(KEY, 5, A));
  }

  @Test
  void check_slotZeroOrEmptyHash_isAProgrammingError() {
    try (SlashingProtection protection = SlashingProtection.open(file(), KEY)) {
      assertThatThrownBy(() -> protection.check(0, A))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("block 0 is signed by no one");
      assertThatThrownBy(() -> protection.check(1, Hash.EMPTY))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void record_isOnDiskWhenItReturns_andSurvivesAReopen() throws IOException {
    try (SlashingProtection protection = SlashingProtection.open(file(), KEY)) {
      protection.record(3, A);

      assertThat(Files.readString(file())).isEqualTo(state(KEY, 3, A));
      assertThat(file().resolveSibling("validator.protection.tmp")).doesNotExist();
      protection.record(9, B);
      assertThat(Files.readString(file())).isEqualTo(state(KEY, 9, B));
    }
    try (SlashingProtection reopened = SlashingProtection.open(file(), KEY)) {
      assertThat(reopened.lastSignedSlot()).isEqualTo(9);
      assertThat(reopened.lastSignedHash()).isEqualTo(B);
      assertThat(reopened.check(9, A)).isPresent();
    }
  }

  @Test
  void open_staleTemporaryFileFromACrash_isIgnoredAndRemoved() throws IOException {
    Files.writeString(file(), state(KEY, 7, A));
    // A crash inside record: the new state half written to the temporary file, never renamed.
    Path temporary = file().resolveSibling("validator.protection.tmp");
    Files.writeString(temporary, state(KEY, 8, B).substring(0, 40));

    try (SlashingProtection protection = SlashingProtection.open(file(), KEY)) {
      assertThat(protection.lastSignedSlot()).isEqualTo(7);
      assertThat(temporary).doesNotExist();
      protection.record(8, B);
    }
    assertThat(Files.readString(file())).isEqualTo(state(KEY, 8, B));
  }

  @Test
  void record_thatCannotWrite_keepsTheOldStateOnDiskAndInMemory() throws IOException {
    try (SlashingProtection protection = SlashingProtection.open(file(), KEY)) {
      protection.record(3, A);
      // Something in the way of the temporary file that cannot be removed: the write fails.
      Path temporary = Files.createDirectory(file().resolveSibling("validator.protection.tmp"));
      Files.writeString(temporary.resolve("x"), "x");

      assertThatThrownBy(() -> protection.record(4, B))
          .isInstanceOf(KeyFileException.class)
          .hasMessageContaining("cannot record slot 4 in slashing protection file")
          .hasMessageContaining("the block must not be signed");
      assertThat(protection.lastSignedSlot()).isEqualTo(3);
      assertThat(protection.check(4, B)).isEmpty();
    }
    assertThat(Files.readString(file())).isEqualTo(state(KEY, 3, A));
  }

  @Test
  void open_fileOfAnotherKey_isRefused() throws IOException {
    Files.writeString(file(), state(OTHER_KEY, 7, A));

    assertThatThrownBy(() -> SlashingProtection.open(file(), KEY))
        .isInstanceOf(KeyFileException.class)
        .hasMessage(
            "slashing protection file "
                + file().toRealPath()
                + " belongs to key "
                + OTHER_KEY.hex()
                + ", not to this validator's key "
                + KEY.hex()
                + ": each key needs its own protection file");
    // The refusal released the file.
    Files.writeString(file(), state(KEY, 7, A));
    SlashingProtection.open(file(), KEY).close();
  }

  @Test
  void open_truncatedAtEveryLength_isRefusedNeverReset() throws IOException {
    byte[] whole = state(KEY, 57, A).getBytes(StandardCharsets.US_ASCII);
    for (int length = 0; length < whole.length; length++) {
      Files.write(file(), Arrays.copyOf(whole, length));

      assertThatThrownBy(() -> SlashingProtection.open(file(), KEY))
          .as("the first %d bytes", length)
          .isInstanceOf(KeyFileException.class)
          .hasMessageContaining("is damaged: it is ")
          .hasMessageContaining("It is not reset");
      assertThat(Files.readAllBytes(file())).isEqualTo(Arrays.copyOf(whole, length));
    }
  }

  @Test
  void open_corruptFile_isRefusedNamingTheProblem() throws IOException {
    String valid = state(KEY, 57, A);
    String[][] cases = {
      {"garbage\n", "it is not JSON"},
      {valid.replace("\"57\"", "\"-1\""), "lastSignedSlot is a decimal string"},
      {valid.replace("\"57\"", "\"0\""), "lastSignedHash must be \"\" while lastSignedSlot is"},
      {valid.replace(A.hex(), ""), "lastSignedHash is 64 lowercase hex characters, got \"\""},
      {valid.replace("\"version\":1", "\"version\":\"1\""), "it is version \"1\""},
      {valid.replace("posj-slashing-protection", "posj-key"), "it is not a posj-slashing"},
      {valid.replace(",\"lastSignedHash\":\"" + A.hex() + "\"", ""), "is missing"},
    };
    for (String[] c : cases) {
      Files.writeString(file(), c[0]);

      assertThatThrownBy(() -> SlashingProtection.open(file(), KEY))
          .as(c[0])
          .isInstanceOf(KeyFileException.class)
          .hasMessageContaining(" is damaged: ")
          .hasMessageContaining(c[1])
          .hasMessageContaining("mv ");
    }
  }

  @Test
  void open_twiceInOneJvm_isRefusedUntilClosed() {
    try (SlashingProtection first = SlashingProtection.open(file(), KEY)) {
      first.record(2, A);

      assertThatThrownBy(() -> SlashingProtection.open(file(), KEY))
          .isInstanceOf(KeyFileException.class)
          .hasMessageStartingWith("another validator is using ")
          .hasMessageContaining("validator.protection")
          .hasMessageContaining("in this process");
      // The refused open did not release the first one's lock.
      first.record(3, A);
    }
    try (SlashingProtection again = SlashingProtection.open(file(), KEY)) {
      assertThat(again.lastSignedSlot()).isEqualTo(3);
    }
  }

  @Test
  void open_throughASymbolicLink_isTheSameFile() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("link"), file());
    try (SlashingProtection first = SlashingProtection.open(file(), KEY)) {
      assertThatThrownBy(() -> SlashingProtection.open(link, KEY))
          .hasMessageStartingWith("another validator is using ");
      first.record(4, A);
    }
    try (SlashingProtection viaLink = SlashingProtection.open(link, KEY)) {
      viaLink.record(5, B);
    }
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(file())).isEqualTo(state(KEY, 5, B));
  }

  @Test
  void open_danglingSymbolicLink_isRefusedNotReplaced() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("unmounted/state"));

    assertThatThrownBy(() -> SlashingProtection.open(link, KEY))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("is a symbolic link to")
        .hasMessageContaining("which does not exist");
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void open_missingDirectoryOrADirectory_isAClearError() throws IOException {
    assertThatThrownBy(() -> SlashingProtection.open(dir.resolve("missing/state"), KEY))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("does not exist");
    Files.createDirectory(file());
    assertThatThrownBy(() -> SlashingProtection.open(file(), KEY))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("is not a regular file");
  }

  @Test
  void closed_refusesToCheckOrRecord() {
    SlashingProtection protection = SlashingProtection.open(file(), KEY);
    protection.close();
    protection.close();

    assertThatThrownBy(() -> protection.check(1, A)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> protection.record(1, A)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void open_inAnotherProcess_isRefusedWhileHeld() throws Exception {
    try (SlashingProtection held = SlashingProtection.open(file(), KEY)) {
      assertThat(openInChildJvm())
          .startsWith("refused: another validator is using ")
          .contains("(pid " + ProcessHandle.current().pid() + ")");
      held.record(6, A);
    }
    assertThat(openInChildJvm()).isEqualTo("opened at slot 6");
  }

  /** Opens {@link #file()} in a child JVM; what it printed. */
  private String openInChildJvm() throws IOException, InterruptedException {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                ChildValidator.class.getName(),
                file().toString())
            .redirectErrorStream(true)
            .start();
    try {
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM finished").isTrue();
      return output.strip();
    } finally {
      child.destroyForcibly();
    }
  }

  /** The child JVM of {@link #openInChildJvm}. */
  static final class ChildValidator {
    private ChildValidator() {}

    public static void main(String[] args) {
      try (SlashingProtection protection = SlashingProtection.open(Path.of(args[0]), KEY)) {
        System.out.println("opened at slot " + protection.lastSignedSlot());
      } catch (KeyFileException e) {
        System.out.println("refused: " + e.getMessage());
      }
    }
  }
}
