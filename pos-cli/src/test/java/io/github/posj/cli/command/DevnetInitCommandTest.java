package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosCommand;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisJson;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.net.keys.KeyFile;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DevnetInitCommandTest {
  private static final String NL = System.lineSeparator();

  @TempDir Path dir;

  private CliRun init(String... args) {
    CliRun run = new CliRun(dir);
    String[] full = new String[args.length + 2];
    full[0] = "devnet";
    full[1] = "init";
    System.arraycopy(args, 0, full, 2, args.length);
    assertThat(run.run(full)).as(run.err()).isZero();
    return run;
  }

  private CliRun refused(int exitCode, String... args) {
    CliRun run = new CliRun(dir);
    String[] full =
        Stream.concat(Stream.of("devnet", "init"), Arrays.stream(args)).toArray(String[]::new);
    assertThat(run.run(full)).as(run.out()).isEqualTo(exitCode);
    assertThat(run.err()).doesNotContain("Exception");
    return run;
  }

  private Genesis genesis(String directory) throws IOException {
    return GenesisJson.parse(Files.readString(dir.resolve(directory).resolve("genesis.json")));
  }

  @Test
  void init_writesKeysAndAGenesisThatListsThem() throws IOException {
    CliRun run =
        init(
            "--validators",
            "3",
            "--dir",
            "net",
            "--stakes",
            "100,200,300",
            "--genesis-time",
            "2026-12-01T00:00:00Z",
            "--onion-length",
            "50",
            "--slot-seconds",
            "10",
            "--epoch-slots",
            "4",
            "--chain-id",
            "my-net");

    Genesis genesis = genesis("net");
    assertThat(genesis.chainId()).isEqualTo("my-net");
    assertThat(genesis.genesisTime()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(genesis.slotSeconds()).isEqualTo(10);
    assertThat(genesis.epochSlots()).isEqualTo(4);
    assertThat(Files.readString(dir.resolve("net/genesis.json")))
        .isEqualTo(GenesisJson.writePretty(genesis));
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Path keyFile = dir.resolve("net/validator-" + i + ".key");
      KeyFile.Contents key = KeyFile.read(keyFile);
      assertThat(key.warnings()).isEmpty();
      GenesisValidator listed = genesis.validator(key.key().publicKey()).orElseThrow();
      assertThat(listed.stake()).isEqualTo(100L * i);
      assertThat(listed.commitment()).isEqualTo(key.onion().commitment());
      assertThat(key.onion().length()).isEqualTo(50);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
            .isEqualTo("rw-------");
      }
      lines.add("  validator-" + i + ".key  address " + key.address().hex() + "  stake " + 100 * i);
    }
    assertThat(run.out())
        .isEqualTo(
            String.join(
                NL,
                "devnet my-net: 3 validators, 600 tokens staked",
                "genesis time: 2026-12-01T00:00:00Z, slots of 10 s, epochs of 4 slots",
                "genesis hash: " + genesis.hash().hex(),
                lines.get(0),
                lines.get(1),
                lines.get(2),
                "wrote net/genesis.json, net/devnet.json and 3 key files (readable by you only:"
                    + " keep them secret)",
                "",
                "start the network and watch it:",
                "  pos devnet up --dir net",
                "or start each part in its own terminal: the node,",
                "  pos node --genesis net/genesis.json --port 9000 --peer-port 9100 --http-port 9200"
                    + " --data-dir net/node-1",
                "then the validators:",
                "  pos validator --key net/validator-1.key --node 127.0.0.1:9000",
                "  pos validator --key net/validator-2.key --node 127.0.0.1:9000",
                "  pos validator --key net/validator-3.key --node 127.0.0.1:9000",
                ""));
  }

  /** Runs {@code pos devnet init} for one validator in {@code d}, at {@code now}. */
  private CliRun initAt(String now) {
    CliRun run = new CliRun(dir);
    String[] args = {"devnet", "init", "--validators", "1", "--dir", "d", "--onion-length", "1"};
    DevnetInitCommand command =
        (DevnetInitCommand)
            PosCommand.commandLine(run.environment())
                .parseArgs(args)
                .subcommand()
                .subcommand()
                .commandSpec()
                .userObject();
    command.clock = Clock.fixed(Instant.parse(now), ZoneOffset.UTC);
    assertThat(command.call()).isZero();
    return run;
  }

  @Test
  void init_defaults_areTheDocumentedOnes() throws IOException {
    CliRun run = initAt("2026-12-01T00:00:00.001Z");

    Genesis genesis = genesis("d");
    assertThat(genesis.chainId()).isEqualTo("posj-devnet");
    assertThat(genesis.genesisTime()).isEqualTo(Instant.parse("2026-12-01T00:00:06Z"));
    assertThat(genesis.slotSeconds()).isEqualTo(30);
    assertThat(genesis.epochSlots()).isEqualTo(8);
    assertThat(genesis.validators())
        .singleElement()
        .extracting(GenesisValidator::stake)
        .isEqualTo(100L);
    assertThat(run.out()).startsWith("devnet posj-devnet: 1 validator, 100 tokens staked" + NL);
  }

  @Test
  void init_defaultGenesisTime_onAWholeSecond_isFiveSecondsLater() throws IOException {
    initAt("2026-12-01T00:00:00Z");

    assertThat(genesis("d").genesisTime()).isEqualTo(Instant.parse("2026-12-01T00:00:05Z"));
  }

  @Test
  void init_manyValidators_printsALoopForTheirCommands() throws IOException {
    CliRun run = init("--validators", "11", "--dir", "my net", "--onion-length", "1");

    assertThat(genesis("my net").validators()).hasSize(11);
    assertThat(run.out())
        .contains("  pos devnet up --dir 'my net'" + NL)
        .contains(
            "  pos node --genesis 'my net/genesis.json' --port 9000 --peer-port 9100 --http-port"
                + " 9200 --data-dir 'my net/node-1'"
                + NL)
        .endsWith(
            "  for i in $(seq 1 11); do"
                + NL
                + "    pos validator --key 'my net'/validator-$i.key --node 127.0.0.1:9000 &"
                + NL
                + "  done"
                + NL);
  }

  @Test
  void init_aThousandValidators_isTheLimit() throws IOException {
    init("--validators", "1000", "--dir", "big", "--onion-length", "1");

    assertThat(genesis("big").validators()).hasSize(1000);
    try (Stream<Path> files = Files.list(dir.resolve("big"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".key")).count()).isEqualTo(1000);
    }
  }

  @Test
  void init_validatorsOutOfRange_isAUsageErrorAndWritesNothing() {
    for (String n : new String[] {"0", "1001", "-1"}) {
      CliRun run = refused(PosCommand.USAGE, "--validators", n, "--dir", "d");

      assertThat(run.err()).isEqualTo("pos devnet init: --validators is 1 to 1000, got " + n + NL);
    }
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void init_missingRequiredOptions_isAUsageError() {
    CliRun run = refused(PosCommand.USAGE, "--dir", "d");

    assertThat(run.err())
        .startsWith("pos devnet init: Missing required option: '--validators=N'")
        .contains("Try 'pos devnet init --help' for more information.");
  }

  @Test
  void init_stakesThatDoNotFit_areUsageErrors() {
    String[][] cases = {
      {"3", "--stakes", "1,2", "--stakes lists 2 stakes for 3 validators; give one per validator"},
      {"2", "--stakes", "1,0", "--stakes: every stake is at least 1, got 0 for validator 2"},
      {"2", "--stake", "0", "--stake is at least 1, got 0"},
      {
        "1",
        "--stake",
        "9223372036854775808",
        "--stake: '9223372036854775808' is not a whole number"
      },
      {
        "2",
        "--stakes",
        Long.MAX_VALUE + ",1",
        "pos devnet init: the genesis stakes add up to more than 9223372036854775807"
      },
    };
    for (String[] c : cases) {
      assertThat(refused(PosCommand.USAGE, "--validators", c[0], "--dir", "d", c[1], c[2]).err())
          .as(c[1] + " " + c[2])
          .contains(c[3]);
    }
    assertThat(
            refused(
                    PosCommand.USAGE,
                    "--validators",
                    "2",
                    "--dir",
                    "d",
                    "--stake",
                    "5",
                    "--stakes",
                    "1,2")
                .err())
        .contains("--stake and --stakes are mutually exclusive");
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void init_maxStakeForOne_isAccepted() throws IOException {
    init("--validators", "1", "--dir", "d", "--stake", "" + Long.MAX_VALUE, "--onion-length", "1");

    assertThat(genesis("d").totalStake()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void init_badGenesisParameters_areUsageErrorsWithGenesisWords() {
    String[][] cases = {
      {"--chain-id", "a b", "pos devnet init: a chain id is 1 to 64 characters"},
      {"--slot-seconds", "0", "a slot lasts 1 to 86400 seconds, got 0"},
      {"--epoch-slots", "0", "an epoch has 1 to 1000000 slots, got 0"},
      {"--genesis-time", "2026-12-01T00:00:00.5Z", "the genesis time is whole seconds"},
      {
        "--genesis-time",
        "tomorrow",
        "'tomorrow' is not an RFC 3339 time such as 2026-12-01T00:00:00Z"
      },
      {"--onion-length", "0", "--onion-length is 1 to 16777216, got 0"},
    };
    for (String[] c : cases) {
      assertThat(refused(PosCommand.USAGE, "--validators", "1", "--dir", "d", c[0], c[1]).err())
          .as(c[0] + " " + c[1])
          .contains(c[2]);
    }
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void init_genesisTimeWithAnOffset_isStoredInUtc() throws IOException {
    init(
        "--validators",
        "1",
        "--dir",
        "d",
        "--onion-length",
        "1",
        "--genesis-time",
        "2026-12-01T01:00:00+01:00");

    assertThat(genesis("d").genesisTime()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void init_directoryThatHoldsADevnet_isRefusedAndLeftAlone() throws IOException {
    init("--validators", "2", "--dir", "d", "--onion-length", "1");
    String genesisBefore = Files.readString(dir.resolve("d/genesis.json"));
    String keyBefore = Files.readString(dir.resolve("d/validator-1.key"));

    CliRun again = refused(PosCommand.FAILURE, "--validators", "2", "--dir", "d");

    assertThat(again.err())
        .isEqualTo(
            "pos devnet init: d already holds a devnet (devnet.json, genesis.json,"
                + " validator-1.key, ...); its keys are never overwritten. Choose another --dir, or"
                + " move that one away"
                + NL);
    assertThat(Files.readString(dir.resolve("d/genesis.json"))).isEqualTo(genesisBefore);
    assertThat(Files.readString(dir.resolve("d/validator-1.key"))).isEqualTo(keyBefore);
  }

  @Test
  void init_directoryWithOnlyAKeyFile_isRefused() throws IOException {
    Files.createDirectories(dir.resolve("d"));
    Files.writeString(dir.resolve("d/mine.key"), "x");

    assertThat(refused(PosCommand.FAILURE, "--validators", "1", "--dir", "d").err())
        .contains("d already holds a devnet (mine.key)");
  }

  @Test
  void init_directoryWithOtherFiles_isUsed() throws IOException {
    Files.createDirectories(dir.resolve("d"));
    Files.writeString(dir.resolve("d/README"), "notes");

    init("--validators", "1", "--dir", "d", "--onion-length", "1");

    assertThat(dir.resolve("d/validator-1.key")).exists();
  }

  @Test
  void init_dirIsAFile_isRefused() throws IOException {
    Files.writeString(dir.resolve("d"), "x");

    assertThat(refused(PosCommand.FAILURE, "--validators", "1", "--dir", "d").err())
        .contains("pos devnet init: d is not a directory; choose another --dir");
  }

  @Test
  void init_dirThatCannotBeCreated_isAClearFailure() throws IOException {
    Files.writeString(dir.resolve("a-file"), "x");

    assertThat(refused(PosCommand.FAILURE, "--validators", "1", "--dir", "a-file/d").err())
        .startsWith("pos devnet init: cannot write the devnet in a-file/d: ");
  }

  @Test
  void init_optionsFromTheEnvironment_followTheConvention() throws IOException {
    CliRun run =
        new CliRun(
            Map.of(
                "POS_VALIDATORS", "2",
                "POS_DIR", "envnet",
                "POS_STAKES", "7,8",
                "POS_ONION_LENGTH", "1",
                "POS_GENESIS_TIME", "2026-12-01T00:00:00Z"),
            dir);

    assertThat(run.run("devnet", "init")).as(run.err()).isZero();

    Genesis genesis = genesis("envnet");
    assertThat(genesis.totalStake()).isEqualTo(15);
    assertThat(genesis.genesisTime()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  private DevnetManifest manifest(String directory) throws IOException {
    return DevnetManifest.parse(
        Files.readString(dir.resolve(directory).resolve(DevnetManifest.FILE)));
  }

  @Test
  void init_oneNodeByDefault_writesItsManifest() throws IOException {
    init("--validators", "2", "--dir", "d", "--onion-length", "1");

    assertThat(Files.readString(dir.resolve("d/devnet.json")))
        .isEqualTo(
            "{\"format\":\"posj-devnet\",\"version\":1,\"nodes\":["
                + "\n  {\"name\":\"node-1\",\"port\":\"9000\",\"peerPort\":\"9100\","
                + "\"httpPort\":\"9200\",\"dataDir\":\"node-1\",\"peers\":[],"
                + "\"validators\":[\"validator-1.key\",\"validator-2.key\"]}]}\n");
  }

  @Test
  void init_nodes_layOutPortsAFullMeshAndValidatorsInTurn() throws IOException {
    CliRun run =
        init(
            "--validators",
            "7",
            "--nodes",
            "3",
            "--base-port",
            "12000",
            "--dir",
            "net",
            "--onion-length",
            "1");

    DevnetManifest manifest = manifest("net");
    assertThat(manifest.nodes())
        .containsExactly(
            new DevnetManifest.Node(
                "node-1",
                12000,
                12100,
                12200,
                "node-1",
                List.of("127.0.0.1:12101", "127.0.0.1:12102"),
                List.of("validator-1.key", "validator-4.key", "validator-7.key")),
            new DevnetManifest.Node(
                "node-2",
                12001,
                12101,
                12201,
                "node-2",
                List.of("127.0.0.1:12100", "127.0.0.1:12102"),
                List.of("validator-2.key", "validator-5.key")),
            new DevnetManifest.Node(
                "node-3",
                12002,
                12102,
                12202,
                "node-3",
                List.of("127.0.0.1:12100", "127.0.0.1:12101"),
                List.of("validator-3.key", "validator-6.key")));
    assertThat(run.out())
        .contains(
            String.join(
                NL,
                "wrote net/genesis.json, net/devnet.json and 7 key files (readable by you only:"
                    + " keep them secret)",
                "",
                "start the network and watch it:",
                "  pos devnet up --dir net",
                "or start each part in its own terminal: the nodes,",
                "  pos node --genesis net/genesis.json --port 12000 --peer-port 12100 --http-port"
                    + " 12200 --data-dir net/node-1 --peer 127.0.0.1:12101 --peer 127.0.0.1:12102",
                "  pos node --genesis net/genesis.json --port 12001 --peer-port 12101 --http-port"
                    + " 12201 --data-dir net/node-2 --peer 127.0.0.1:12100 --peer 127.0.0.1:12102",
                "  pos node --genesis net/genesis.json --port 12002 --peer-port 12102 --http-port"
                    + " 12202 --data-dir net/node-3 --peer 127.0.0.1:12100 --peer 127.0.0.1:12101",
                "then the validators:",
                "  pos validator --key net/validator-1.key --node 127.0.0.1:12000",
                "  pos validator --key net/validator-2.key --node 127.0.0.1:12001",
                "  pos validator --key net/validator-3.key --node 127.0.0.1:12002",
                "  pos validator --key net/validator-4.key --node 127.0.0.1:12000",
                "  pos validator --key net/validator-5.key --node 127.0.0.1:12001",
                "  pos validator --key net/validator-6.key --node 127.0.0.1:12002",
                "  pos validator --key net/validator-7.key --node 127.0.0.1:12000",
                ""));
  }

  @Test
  void init_moreNodesThanValidators_leavesSomeNodesWithout() throws IOException {
    init("--validators", "2", "--nodes", "4", "--dir", "d", "--onion-length", "1");

    assertThat(manifest("d").nodes())
        .extracting(DevnetManifest.Node::validators)
        .containsExactly(
            List.of("validator-1.key"), List.of("validator-2.key"), List.of(), List.of());
  }

  @Test
  void init_manyValidatorsOnSeveralNodes_printsALoopPerNode() {
    CliRun run = init("--validators", "11", "--nodes", "2", "--dir", "d", "--onion-length", "1");

    assertThat(run.out())
        .endsWith(
            String.join(
                NL,
                "then the validators:",
                "  for i in $(seq 1 2 11); do",
                "    pos validator --key d/validator-$i.key --node 127.0.0.1:9000 &",
                "  done",
                "  for i in $(seq 2 2 11); do",
                "    pos validator --key d/validator-$i.key --node 127.0.0.1:9001 &",
                "  done",
                ""));
  }

  @Test
  void init_sixteenNodes_isTheLimit() throws IOException {
    init("--validators", "1", "--nodes", "16", "--dir", "d", "--onion-length", "1");

    assertThat(manifest("d").nodes()).hasSize(16);
    assertThat(manifest("d").nodes().get(15).peers()).hasSize(15);
  }

  @Test
  void init_nodesOrBasePortOutOfRange_areUsageErrorsAndWriteNothing() {
    String[][] cases = {
      {"--nodes", "0", "pos devnet init: --nodes is 1 to 16, got 0" + NL},
      {"--nodes", "17", "pos devnet init: --nodes is 1 to 16, got 17" + NL},
      {
        "--base-port",
        "65336",
        "pos devnet init: --base-port: the ports of 1 node are --base-port to --base-port + 200,"
            + " so --base-port is 1 to 65335, got 65336"
            + NL
      },
      {
        "--base-port",
        "0",
        "pos devnet init: --base-port: the ports of 1 node are --base-port to --base-port + 200,"
            + " so --base-port is 1 to 65335, got 0"
            + NL
      },
    };
    for (String[] c : cases) {
      assertThat(refused(PosCommand.USAGE, "--validators", "1", "--dir", "d", c[0], c[1]).err())
          .as(c[0] + " " + c[1])
          .isEqualTo(c[2]);
    }
    assertThat(dir.resolve("d")).doesNotExist();
  }

  @Test
  void init_highestBasePort_fitsTheLastHttpPort() throws IOException {
    init(
        "--validators",
        "1",
        "--nodes",
        "2",
        "--base-port",
        "65334",
        "--dir",
        "d",
        "--onion-length",
        "1");

    assertThat(manifest("d").nodes().get(1).httpPort()).isEqualTo(65535);
  }

  @Test
  void init_directoryWithOnlyAManifest_isRefused() throws IOException {
    Files.createDirectories(dir.resolve("d"));
    Files.writeString(dir.resolve("d/devnet.json"), "{}");

    assertThat(refused(PosCommand.FAILURE, "--validators", "1", "--dir", "d").err())
        .contains("d already holds a devnet (devnet.json)");
    assertThat(Files.readString(dir.resolve("d/devnet.json"))).isEqualTo("{}");
  }

  @Test
  void devnet_withoutASubcommand_isAUsageError() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("devnet")).isEqualTo(PosCommand.USAGE);

    assertThat(run.err())
        .isEqualTo(
            "pos devnet: Missing required subcommand: init, up"
                + NL
                + "Try 'pos devnet --help' for more information."
                + NL);
  }
}
