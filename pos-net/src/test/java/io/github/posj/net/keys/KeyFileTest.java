package io.github.posj.net.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.testing.TestNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KeyFileTest {
  private static final SigningKey KEY = TestNetwork.key(1);
  private static final SigningKey OTHER_KEY = TestNetwork.key(2);
  private static final HashOnion ONION = HashOnion.of(Hash.fromHex("ab".repeat(32)), 300);

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("validator.key");
  }

  private Path writeText(String text) throws IOException {
    return Files.writeString(file(), text, StandardCharsets.UTF_8);
  }

  private static String validText() {
    return KeyFile.text(KEY, ONION);
  }

  private static void assertPosix() {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "a file system with POSIX permissions");
  }

  @Test
  void writeThenRead_givesTheKeyAndTheOnionBack() {
    KeyFile.write(file(), KEY, ONION);

    KeyFile.Contents contents = KeyFile.read(file());

    assertThat(contents.key()).isEqualTo(KEY);
    assertThat(contents.onion().secret()).isEqualTo(ONION.secret());
    assertThat(contents.onion().length()).isEqualTo(300);
    assertThat(contents.address()).isEqualTo(KEY.publicKey().address());
    assertThat(contents.warnings()).isEmpty();
  }

  @Test
  void write_theFileIsOneLineInTheDocumentedForm() throws IOException {
    KeyFile.write(file(), KEY, ONION);

    assertThat(Files.readString(file()))
        .isEqualTo(
            "{\"format\":\"posj-key\",\"version\":1,\"seed\":\""
                + HexFormat.of().formatHex(KEY.seed())
                + "\",\"pubkey\":\""
                + KEY.publicKey().hex()
                + "\",\"validator\":\""
                + KEY.publicKey().address().hex()
                + "\",\"onionSecret\":\""
                + "ab".repeat(32)
                + "\",\"onionLength\":\"300\"}\n");
  }

  @Test
  void write_createsTheFileWithMode0600() throws IOException {
    assertPosix();

    KeyFile.write(file(), KEY, ONION);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
  }

  @Test
  void write_existingFile_isRefusedAndLeftAlone() throws IOException {
    writeText("the only copy of another key\n");

    assertThatThrownBy(() -> KeyFile.write(file(), KEY, ONION))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("key file " + file() + " already exists")
        .hasMessageContaining("never overwritten");
    assertThat(Files.readString(file())).isEqualTo("the only copy of another key\n");
  }

  @Test
  void write_directoryThatDoesNotExist_isAClearError() {
    Path file = dir.resolve("missing/validator.key");

    assertThatThrownBy(() -> KeyFile.write(file, KEY, ONION))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("cannot write key file " + file)
        .hasMessageContaining("no such file or directory")
        .hasMessageNotContaining("Exception");
  }

  @Test
  void read_fileOthersCanRead_warnsWithTheFix() throws IOException {
    assertPosix();
    KeyFile.write(file(), KEY, ONION);
    Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(KeyFile.read(file()).warnings())
        .containsExactly(
            "key file " + file() + " is readable by group/others (mode 0644); chmod 600 " + file());
  }

  @Test
  void read_fileOnlyItsGroupCanWrite_warnsToo() throws IOException {
    assertPosix();
    KeyFile.write(file(), KEY, ONION);
    Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw--w----"));

    assertThat(KeyFile.read(file()).warnings())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("is accessible by group/others (mode 0620)");
  }

  @Test
  void read_missingFile_saysHowToMakeOne() {
    assertThatThrownBy(() -> KeyFile.read(file()))
        .isInstanceOf(KeyFileException.class)
        .hasMessage(
            "key file "
                + file()
                + " does not exist (make one with: pos keygen --out "
                + file()
                + ")");
  }

  @Test
  void read_directory_isRefused() throws IOException {
    Files.createDirectory(file());

    assertThatThrownBy(() -> KeyFile.read(file()))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("is not a regular file");
  }

  @Test
  void read_truncatedAtEveryLength_isRefusedWithAClearMessage() throws IOException {
    byte[] whole = validText().getBytes(StandardCharsets.US_ASCII);
    for (int length = 0; length < whole.length; length++) {
      Files.write(file(), Arrays.copyOf(whole, length));

      assertThatThrownBy(() -> KeyFile.read(file()))
          .as("the first %d bytes", length)
          .isInstanceOf(KeyFileException.class)
          .hasMessageStartingWith("key file " + file() + " cannot be used: it ")
          .message()
          .containsAnyOf("it is empty", "it is truncated");
    }
  }

  @Test
  void read_notJson_isRefused() throws IOException {
    writeText("seed = 1234\n");

    assertThatThrownBy(() -> KeyFile.read(file()))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("cannot be used: it is not JSON: ");
  }

  @Test
  void read_anotherKindOfFile_isNamedAsSuch() throws IOException {
    writeText("{\"chainId\":\"posj-devnet\"}\n");

    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("it is not a posj-key file (it has no \"format\" member)");
  }

  @Test
  void read_anotherFormatOrVersion_isRefused() throws IOException {
    writeText(validText().replace("\"posj-key\"", "\"posj-chain\""));
    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("it is not a posj-key file (its format is \"posj-chain\")");

    writeText(validText().replace("\"version\":1", "\"version\":2"));
    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("it is version 2 of the posj-key format; this pos reads version 1");
  }

  @Test
  void read_memberUnknownMissingOrTwice_isRefused() throws IOException {
    writeText(validText().replace("{\"format\"", "{\"extra\":\"1\",\"format\""));
    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("it has an unknown member \"extra\"");

    writeText(validText().replaceFirst(",\"onionLength\":\"300\"", ""));
    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("its member \"onionLength\" is missing");

    writeText(validText().replace("{\"format\"", "{\"version\":1,\"format\""));
    assertThatThrownBy(() -> KeyFile.read(file())).hasMessageContaining("not JSON: Duplicate");
  }

  @Test
  void read_tamperedPubkey_isRefused() throws IOException {
    writeText(validText().replace(KEY.publicKey().hex(), OTHER_KEY.publicKey().hex()));

    assertThatThrownBy(() -> KeyFile.read(file()))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(
            "its pubkey "
                + OTHER_KEY.publicKey().hex()
                + " is not the public key of its seed ("
                + KEY.publicKey().hex()
                + "): the file was edited or damaged");
  }

  @Test
  void read_tamperedSeed_isRefusedAsAMismatch() throws IOException {
    String seed = HexFormat.of().formatHex(KEY.seed());
    writeText(validText().replace(seed, HexFormat.of().formatHex(OTHER_KEY.seed())));

    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("is not the public key of its seed");
  }

  @Test
  void read_tamperedValidator_isRefused() throws IOException {
    writeText(
        validText()
            .replace(KEY.publicKey().address().hex(), OTHER_KEY.publicKey().address().hex()));

    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining(
            "its validator "
                + OTHER_KEY.publicKey().address().hex()
                + " is not the address of its pubkey");
  }

  @Test
  void read_badHex_isRefusedWithoutQuotingASecret() throws IOException {
    String seed = HexFormat.of().formatHex(KEY.seed());
    writeText(validText().replace(seed, seed.toUpperCase(java.util.Locale.ROOT)));
    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("seed is 64 lowercase hex characters, got 64 characters")
        .hasMessageNotContaining(seed.toUpperCase(java.util.Locale.ROOT));

    writeText(validText().replace("ab".repeat(32), "ab".repeat(31)));
    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("onionSecret is 64 lowercase hex characters, got 62 characters");

    // JSON's escape of ESC: the value holds a real ESC, which the message must not print raw.
    writeText(validText().replace(KEY.publicKey().hex(), "xyz\\u001b[31m"));
    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("pubkey is 64 lowercase hex characters, got \"xyz\\u001b[31m\"");
  }

  @Test
  void read_onionLengthOutOfRange_isRefused() throws IOException {
    for (String length :
        new String[] {"0", "16777217", "-1", "01", "1e3", "99999999999999999999"}) {
      writeText(
          validText().replace("\"onionLength\":\"300\"", "\"onionLength\":\"" + length + "\""));

      assertThatThrownBy(() -> KeyFile.read(file()))
          .as(length)
          .hasMessageContaining(
              "onionLength is a decimal string from 1 to 16777216, got \"" + length + "\"");
    }
    writeText(validText().replace("\"onionLength\":\"300\"", "\"onionLength\":300"));
    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("onionLength must be a string, got 300");
  }

  @Test
  void read_textAfterTheObjectOrTooLong_isRefused() throws IOException {
    writeText(validText() + "{}\n");
    assertThatThrownBy(() -> KeyFile.read(file())).hasMessageContaining("it is not JSON");

    writeText(" ".repeat(KeyFile.MAX_BYTES) + validText());
    assertThatThrownBy(() -> KeyFile.read(file()))
        .hasMessageContaining("it is longer than 4096 bytes");
  }

  @Test
  void contents_toString_showsNoSecret() {
    KeyFile.write(file(), KEY, ONION);

    assertThat(KeyFile.read(file()).toString())
        .doesNotContain(HexFormat.of().formatHex(KEY.seed()))
        .doesNotContain("ab".repeat(32));
  }
}
