package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.command.DevnetTable.NodeReport;
import io.github.posj.cli.command.DevnetTable.NodeStatus;
import io.github.posj.cli.command.DevnetTable.Phase;
import io.github.posj.cli.command.DevnetTable.ValidatorStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DevnetUpCommandTest {
  private static final String NL = System.lineSeparator();
  private static final String HASH = "0a1b2c3d4e5f6789" + "ab".repeat(24);

  /** A valid manifest of two nodes, one validator each. */
  private static final String MANIFEST =
      "{\"format\":\"posj-devnet\",\"version\":1,\"nodes\":["
          + "{\"name\":\"node-1\",\"port\":\"9000\",\"peerPort\":\"9100\",\"httpPort\":\"9200\","
          + "\"dataDir\":\"node-1\",\"peers\":[\"127.0.0.1:9101\"],"
          + "\"validators\":[\"validator-1.key\"]},"
          + "{\"name\":\"node-2\",\"port\":\"9001\",\"peerPort\":\"9101\",\"httpPort\":\"9201\","
          + "\"dataDir\":\"node-2\",\"peers\":[\"127.0.0.1:9100\"],"
          + "\"validators\":[\"validator-2.key\"]}]}";

  @TempDir Path dir;

  @Test
  void parse_validManifest_readsEveryMember() {
    DevnetManifest manifest = DevnetManifest.parse(MANIFEST);

    assertThat(manifest.nodes())
        .containsExactly(
            new DevnetManifest.Node(
                "node-1",
                9000,
                9100,
                9200,
                "node-1",
                List.of("127.0.0.1:9101"),
                List.of("validator-1.key")),
            new DevnetManifest.Node(
                "node-2",
                9001,
                9101,
                9201,
                "node-2",
                List.of("127.0.0.1:9100"),
                List.of("validator-2.key")));
  }

  @Test
  void parse_whatInitWrites_readsTheSameLayout() {
    DevnetManifest layout = DevnetManifest.layout(5, 12, 20000, DevnetInitCommand::keyFileName);

    assertThat(DevnetManifest.parse(layout.toJson())).isEqualTo(layout);
  }

  @Test
  void parse_brokenManifests_nameTheMemberAndTheRule() {
    String[][] cases = {
      {"", "expected a JSON object"},
      {"[]", "expected a JSON object"},
      {MANIFEST + "{}", "not JSON"},
      {MANIFEST.replace("posj-devnet", "other"), "format: expected \"posj-devnet\", got \"other\""},
      {MANIFEST.replace("\"version\":1", "\"version\":2"), "version: this pos reads version 1"},
      {MANIFEST.replace("\"version\":1", "\"version\":\"1\""), "version: this pos reads version 1"},
      {
        MANIFEST.replace("\"version\":1,", "\"version\":1,\"extra\":0,"),
        "the manifest: unknown member \"extra\""
      },
      {MANIFEST.replace("\"version\":1,", ""), "the manifest: missing member \"version\""},
      {
        MANIFEST.replace("\"version\":1,", "\"version\":1,\"version\":1,"),
        "not JSON: Duplicate field 'version'"
      },
      {
        "{\"format\":\"posj-devnet\",\"version\":1,\"nodes\":[]}",
        "nodes: expected an array of 1 to 16 nodes, got 0 nodes"
      },
      {
        "{\"format\":\"posj-devnet\",\"version\":1,\"nodes\":{}}",
        "nodes: expected an array of 1 to 16 nodes, got OBJECT"
      },
      {MANIFEST.replace("\"port\":\"9001\"", "\"port\":\"0\""), "nodes[1].port: expected a port"},
      {
        MANIFEST.replace("\"port\":\"9001\"", "\"port\":\"65536\""),
        "nodes[1].port: expected a port \"1\" to \"65535\", got \"65536\""
      },
      {
        MANIFEST.replace("\"port\":\"9001\"", "\"port\":9001"),
        "nodes[1].port: expected a string, got 9001"
      },
      {
        MANIFEST.replace("\"httpPort\":\"9201\"", "\"httpPort\":\"9100\""),
        "nodes[1].httpPort: port 9100 is also nodes[0].peerPort"
      },
      {
        MANIFEST.replace("\"name\":\"node-2\"", "\"name\":\"node-1\""),
        "nodes[1].name: \"node-1\" is also nodes[0].name"
      },
      {
        MANIFEST.replace("\"name\":\"node-2\"", "\"name\":\"a b\""),
        "nodes[1].name: 1 to 64 of A-Z a-z 0-9 . _ -, got \"a b\""
      },
      {
        MANIFEST.replace("\"dataDir\":\"node-2\"", "\"dataDir\":\"../elsewhere\""),
        "nodes[1].dataDir: expected a directory inside DIR such as node-1, got \"../elsewhere\""
      },
      {
        MANIFEST.replace("\"dataDir\":\"node-2\"", "\"dataDir\":\"/tmp/x\""),
        "nodes[1].dataDir: expected a directory inside DIR"
      },
      {
        MANIFEST.replace("\"dataDir\":\"node-2\"", "\"dataDir\":\"./node-1\""),
        "nodes[1].dataDir: \"node-1\" is also nodes[0].dataDir"
      },
      {
        MANIFEST.replace("\"127.0.0.1:9100\"", "\"localhost\""),
        "nodes[1].peers[0]: expected HOST:PORT such as 127.0.0.1:9101, got \"localhost\""
      },
      {
        MANIFEST.replace("\"peers\":[\"127.0.0.1:9100\"]", "\"peers\":\"127.0.0.1:9100\""),
        "nodes[1].peers: expected an array of strings"
      },
      {
        MANIFEST.replace("\"validator-2.key\"", "\"validator-1.key\""),
        "nodes[1].validators[0]: \"validator-1.key\" is also nodes[0].validators[0]"
      },
      {
        MANIFEST.replace("\"validator-2.key\"", "\"../v.key\""),
        "nodes[1].validators[0]: expected the name of a key file in DIR"
      },
      {
        MANIFEST.replace(",\"validators\":[\"validator-2.key\"]", ""),
        "nodes[1]: missing member \"validators\""
      },
      {
        MANIFEST.replace("\"name\":\"node-2\",", "\"name\":\"node-2\",\"bind\":\"x\","),
        "nodes[1]: unknown member \"bind\"; expected [dataDir, httpPort, name, peerPort, peers,"
            + " port, validators]"
      },
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> DevnetManifest.parse(c[0]))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c[1]);
    }
  }

  private CliRun up(int exitCode, String... args) {
    CliRun run = new CliRun(dir);
    String[] full = new String[args.length + 2];
    full[0] = "devnet";
    full[1] = "up";
    System.arraycopy(args, 0, full, 2, args.length);
    assertThat(run.run(full)).as(run.out() + run.err()).isEqualTo(exitCode);
    assertThat(run.err()).doesNotContain("Exception");
    return run;
  }

  @Test
  void up_directoryWithoutAManifest_isAUsageErrorThatSaysHowToMakeOne() {
    CliRun run = up(PosCommand.USAGE, "--dir", "d");

    assertThat(run.err())
        .isEqualTo(
            "pos devnet up: d/devnet.json does not exist: d holds no devnet that pos devnet up can"
                + " start. Make one with pos devnet init --nodes N --validators M --dir DIR"
                + NL);
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void up_brokenManifest_namesTheFileAndTheMember() throws IOException {
    Files.createDirectories(dir.resolve("d"));
    Files.writeString(
        dir.resolve("d/devnet.json"), MANIFEST.replace("\"port\":\"9001\"", "\"port\":\"x\""));

    CliRun run = up(PosCommand.USAGE, "--dir", "d");

    assertThat(run.err())
        .isEqualTo(
            "pos devnet up: d/devnet.json: nodes[1].port: expected a port \"1\" to \"65535\","
                + " got \"x\""
                + NL);
    assertThat(dir.resolve("d/logs")).doesNotExist();
  }

  @Test
  void up_missingKeyFile_namesTheMemberThatListsIt() throws IOException {
    CliRun init = new CliRun(dir);
    assertThat(
            init.run(
                "devnet",
                "init",
                "--validators",
                "2",
                "--nodes",
                "2",
                "--dir",
                "d",
                "--onion-length",
                "1"))
        .isZero();
    Files.delete(dir.resolve("d/validator-2.key"));

    CliRun run = up(PosCommand.USAGE, "--dir", "d");

    assertThat(run.err())
        .isEqualTo(
            "pos devnet up: d/devnet.json: nodes[1].validators[0]: the key file d/validator-2.key"
                + " does not exist"
                + NL);
    assertThat(dir.resolve("d/logs")).doesNotExist();
  }

  @Test
  void up_missingGenesis_isAUsageError() throws IOException {
    Files.createDirectories(dir.resolve("d"));
    Files.writeString(dir.resolve("d/devnet.json"), MANIFEST);

    CliRun run = up(PosCommand.USAGE, "--dir", "d");

    assertThat(run.err()).startsWith("pos devnet up: cannot read the genesis file ");
  }

  @Test
  void up_withoutDir_isAUsageError() {
    CliRun run = up(PosCommand.USAGE);

    assertThat(run.err()).startsWith("pos devnet up: Missing required option: '--dir=DIR'");
  }

  @Test
  void render_nodesInEachPhase_alignsTheColumns() {
    NodeReport report = new NodeReport(12, HASH, OptionalLong.of(10), OptionalLong.of(2), 14);
    List<NodeStatus> nodes =
        List.of(
            new NodeStatus(
                "node-1",
                4242,
                9000,
                Phase.UP,
                0,
                Optional.of(report),
                List.of(
                    new ValidatorStatus("validator-1", OptionalLong.of(4250), Phase.RUNNING, 0),
                    new ValidatorStatus("validator-4", OptionalLong.of(4253), Phase.EXITED, 1))),
            new NodeStatus(
                "node-2",
                4243,
                9001,
                Phase.UP,
                0,
                Optional.of(
                    new NodeReport(12, HASH, OptionalLong.empty(), OptionalLong.empty(), 14)),
                List.of()),
            new NodeStatus(
                "node-3",
                4244,
                9002,
                Phase.STARTING,
                0,
                Optional.empty(),
                List.of(
                    new ValidatorStatus("validator-3", OptionalLong.empty(), Phase.WAITING, 0))),
            new NodeStatus("node-4", 4245, 9003, Phase.DOWN, 0, Optional.empty(), List.of()),
            new NodeStatus("node-10", 4246, 9004, Phase.EXITED, 137, Optional.empty(), List.of()));

    assertThat(DevnetTable.render(nodes))
        .containsExactly(
            "node     pid   port  state        height  head              finalized  peers  slot",
            "node-1   4242  9000  up           12      0a1b2c3d4e5f6789  10         2      14",
            "node-2   4243  9001  up           12      0a1b2c3d4e5f6789  -          -      14",
            "node-3   4244  9002  starting",
            "node-4   4245  9003  down",
            "node-10  4246  9004  exited(137)",
            "validator    pid   node    state",
            "validator-1  4250  node-1  running",
            "validator-4  4253  node-1  exited(1)",
            "validator-3  -     node-3  waiting");
  }

  @Test
  void render_noValidators_hasNoValidatorTable() {
    assertThat(
            DevnetTable.render(
                List.of(
                    new NodeStatus("n", 1, 9000, Phase.STARTING, 0, Optional.empty(), List.of()))))
        .containsExactly(
            "node  pid  port  state     height  head  finalized  peers  slot",
            "n     1    9000  starting");
  }

  @Test
  void parseStatus_aNodesAnswer_readsHeightHeadFinalizedPeersAndSlot() {
    String body =
        "{\"data\":{\"mode\":\"network\",\"height\":\"7\",\"head\":{\"index\":\"7\",\"hash\":\""
            + HASH
            + "\"},\"head_slot\":\"9\",\"slot\":\"10\",\"finalized_height\":\"5\","
            + "\"peers\":{\"connected\":\"2\"}}}";

    assertThat(DevnetTable.parseStatus(body))
        .contains(new NodeReport(7, HASH, OptionalLong.of(5), OptionalLong.of(2), 10));
  }

  @Test
  void parseStatus_withoutFinalityOrPeers_leavesThemOut() {
    String body =
        "{\"data\":{\"height\":\"0\",\"head\":{\"Hash\":\"" + HASH + "\"},\"slot\":\"3\"}}";

    assertThat(DevnetTable.parseStatus(body))
        .contains(new NodeReport(0, HASH, OptionalLong.empty(), OptionalLong.empty(), 3));
  }

  @Test
  void parseStatus_answersThatAreNotAStatus_areEmpty() {
    String[] bodies = {
      "",
      "not json",
      "{}",
      "{\"data\":{\"height\":7,\"head\":{\"hash\":\"" + HASH + "\"},\"slot\":\"1\"}}",
      "{\"data\":{\"height\":\"7\",\"head\":{\"hash\":\"\\u001b[2J\"},\"slot\":\"1\"}}",
      "{\"data\":{\"height\":\"-1\",\"head\":{\"hash\":\"" + HASH + "\"},\"slot\":\"1\"}}",
      "{\"data\":{\"height\":\"7\",\"head\":{\"hash\":\"" + HASH + "\"}}}",
    };
    for (String body : bodies) {
      assertThat(DevnetTable.parseStatus(body)).as(body).isEmpty();
    }
  }

  @Test
  void lastLines_ofWhatTheChildWrote_escapesAndSkipsBlankLines() throws IOException {
    Path log = dir.resolve("node-1.log");
    String before = "--- an earlier run" + NL + "old line" + NL;
    Files.writeString(
        log, before + "one" + NL + NL + "two" + NL + "three \u001b[2J" + NL + "four" + NL);

    assertThat(DevnetUpCommand.lastLines(log, before.length(), 3))
        .containsExactly("two", "three \\u001b[2J", "four");
    assertThat(DevnetUpCommand.lastLines(log, before.length(), 10))
        .containsExactly("one", "two", "three \\u001b[2J", "four");
    assertThat(DevnetUpCommand.lastLines(dir.resolve("missing.log"), 0, 3)).isEmpty();
  }

  @Test
  void childCommands_runThisJavaWithTheDevnetsPaths() {
    DevnetManifest.Node node = DevnetManifest.parse(MANIFEST).nodes().get(0);

    List<String> command = DevnetUpCommand.javaCommand(node.nodeArguments(Path.of("my net")));

    assertThat(command.subList(1, command.size()))
        .containsExactly(
            "-cp",
            System.getProperty("java.class.path"),
            "io.github.posj.cli.Main",
            "node",
            "--genesis",
            "my net/genesis.json",
            "--port",
            "9000",
            "--peer-port",
            "9100",
            "--http-port",
            "9200",
            "--data-dir",
            "my net/node-1",
            "--peer",
            "127.0.0.1:9101");
    assertThat(node.validatorArguments(Path.of("d"), "validator-1.key"))
        .containsExactly("validator", "--key", "d/validator-1.key", "--node", "127.0.0.1:9000");
    assertThat(DevnetInitCommand.shellWords(List.of("pos", "--data-dir", "my net/it's")))
        .isEqualTo("pos --data-dir 'my net/it'\\''s'");
  }
}
