package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosCommand;
import io.github.posj.net.keys.KeyFile;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KeygenCommandTest {
  @TempDir Path dir;

  @Test
  void keygen_writesAKeyFileAndPrintsWhatAGenesisNeeds() throws IOException {
    CliRun run = new CliRun(dir);

    assertThat(run.run("keygen", "--out", "v.key", "--onion-length", "100")).isZero();

    KeyFile.Contents written = KeyFile.read(dir.resolve("v.key"));
    assertThat(written.warnings()).isEmpty();
    assertThat(written.onion().length()).isEqualTo(100);
    assertThat(run.out())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "wrote key file v.key (readable by you only: keep it secret, and safe)",
                "public key: " + written.key().publicKey().hex(),
                "address: " + written.address().hex(),
                "onion commitment: " + written.onion().commitment().hex() + " (for 100 blocks)",
                ""));
    assertThat(run.err()).isEmpty();
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("v.key"))))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void keygen_defaultOnion_coversTheDefaultLength() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("keygen", "--out", "v.key")).isZero();

    assertThat(KeyFile.read(dir.resolve("v.key")).onion().length()).isEqualTo(65_536);
    assertThat(run.out()).contains("(for 65536 blocks)");
  }

  @Test
  void keygen_twice_makesTwoDifferentKeys() {
    CliRun first = new CliRun(dir);
    CliRun second = new CliRun(dir);

    assertThat(first.run("keygen", "--out", "a.key", "--onion-length", "1")).isZero();
    assertThat(second.run("keygen", "--out", "b.key", "--onion-length", "1")).isZero();

    KeyFile.Contents a = KeyFile.read(dir.resolve("a.key"));
    KeyFile.Contents b = KeyFile.read(dir.resolve("b.key"));
    assertThat(a.key()).isNotEqualTo(b.key());
    assertThat(a.onion().secret()).isNotEqualTo(b.onion().secret());
  }

  @Test
  void keygen_existingFile_isRefusedAndKept() throws IOException {
    Files.writeString(dir.resolve("v.key"), "another key\n");
    CliRun run = new CliRun(dir);

    assertThat(run.run("keygen", "--out", "v.key")).isEqualTo(PosCommand.FAILURE);

    assertThat(run.err())
        .startsWith("pos keygen: key file " + dir.resolve("v.key") + " already exists")
        .doesNotContain("Exception");
    assertThat(run.out()).isEmpty();
    assertThat(Files.readString(dir.resolve("v.key"))).isEqualTo("another key\n");
  }

  @Test
  void keygen_unwritablePlace_isAClearFailure() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("keygen", "--out", "missing/v.key")).isEqualTo(PosCommand.FAILURE);

    assertThat(run.err())
        .startsWith("pos keygen: cannot write key file ")
        .contains("no such file or directory")
        .doesNotContain("Exception");
  }

  @Test
  void keygen_withoutOut_isAUsageError() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("keygen")).isEqualTo(PosCommand.USAGE);

    assertThat(run.err()).startsWith("pos keygen: Missing required option: '--out=FILE'");
  }

  @Test
  void keygen_onionLengthOutOfRange_isAUsageErrorAndWritesNothing() {
    for (String length : new String[] {"0", "16777217", "-5"}) {
      CliRun run = new CliRun(dir);

      assertThat(run.run("keygen", "--out", "v.key", "--onion-length", length))
          .isEqualTo(PosCommand.USAGE);
      assertThat(run.err())
          .isEqualTo(
              "pos keygen: --onion-length is 1 to 16777216, got "
                  + length
                  + System.lineSeparator());
    }
    assertThat(dir.resolve("v.key")).doesNotExist();
  }

  @Test
  void keygen_outFromTheEnvironment_followsTheConvention() {
    CliRun run = new CliRun(Map.of("POS_OUT", "env.key", "POS_ONION_LENGTH", "3"), dir);

    assertThat(run.run("keygen")).isZero();

    assertThat(KeyFile.read(dir.resolve("env.key")).onion().length()).isEqualTo(3);
  }
}
