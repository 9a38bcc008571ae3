package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class NodeCommandTest {
  @TempDir Path dir;

  @Test
  void aMissingOrInvalidGenesisIsAUsageErrorThatSaysWhy() throws Exception {
    CliRun missing = new CliRun(dir);
    assertThat(missing.run("node", "--genesis", "nope.json", "--in-memory")).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read the genesis file").contains("nope.json");

    Files.writeString(
        dir.resolve("g.json"),
        "{\"chainId\":\"c\",\"genesisTime\":\"2026-12-01T00:00:00Z\",\"slotSeconds\":\"30\","
            + "\"epochSlots\":\"8\",\"validators\":[]}");
    CliRun empty = new CliRun(dir);
    assertThat(empty.run("node", "--genesis", "g.json", "--in-memory")).isEqualTo(2);
    assertThat(empty.err()).contains("is not a valid genesis").contains("1 to 100000 validators");
  }

  @Test
  void theGenesisIsRequired() {
    CliRun run = new CliRun(dir);
    assertThat(run.run("node", "--in-memory")).isEqualTo(2);
    assertThat(run.err()).contains("--genesis");
  }

  @Test
  void aNetworkValidatorRefusesTutorialOptions() {
    CliRun run = new CliRun(dir);
    assertThat(run.run("validator", "--key", "k.key", "--stake", "5")).isEqualTo(2);
    assertThat(run.err()).contains("--stake is for a tutorial-mode server");
    CliRun badNode = new CliRun(dir);
    assertThat(badNode.run("validator", "--key", "k.key", "--node", "nowhere")).isEqualTo(2);
    assertThat(badNode.err()).contains("expected HOST:PORT");
  }

  @Test
  void aMissingKeyFileIsAClearFailure() {
    CliRun run = new CliRun(dir);
    assertThat(run.run("validator", "--key", "k.key", "--node", "127.0.0.1:1")).isEqualTo(1);
    assertThat(run.err()).contains("k.key");
  }
}
