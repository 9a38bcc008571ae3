package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosCommand;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisJson;
import io.github.posj.core.testing.TestNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
  void http_portFromTheEnvironment_isOnLoopbackUnlessBoundAndOffWithout() throws Exception {
    Genesis genesis = TestNetwork.withStakes(10).genesis();

    assertThat(parse(Map.of()).config(genesis).http()).isEmpty();
    assertThat(parse(Map.of("POS_HTTP_PORT", "8080")).config(genesis).http())
        .hasValueSatisfying(
            http -> {
              assertThat(http.port()).isEqualTo(8080);
              assertThat(http.bindAddress()).isEqualTo("127.0.0.1");
            });
    assertThat(
            parse(Map.of(), "--http-port", "0", "--http-bind", "0.0.0.0")
                .config(genesis)
                .http()
                .orElseThrow()
                .bindAddress())
        .isEqualTo("0.0.0.0");
    Files.writeString(dir.resolve("g.json"), GenesisJson.write(genesis));
    CliRun badPort = new CliRun(dir);
    assertThat(badPort.run("node", "--genesis", "g.json", "--in-memory", "--http-port", "70000"))
        .isEqualTo(2);
    assertThat(badPort.err()).contains("--http-port: the HTTP port is in [0, 65535], got 70000");
  }

  private NodeCommand parse(Map<String, String> variables, String... args) {
    CliRun run = new CliRun(variables, dir);
    List<String> all = new ArrayList<>(List.of("node", "--genesis", "g.json", "--in-memory"));
    all.addAll(List.of(args));
    CommandLine.ParseResult result =
        PosCommand.commandLine(run.environment()).parseArgs(all.toArray(String[]::new));
    return (NodeCommand) result.subcommand().commandSpec().userObject();
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
