package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.PosCommand;
import io.github.posj.net.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pos server}'s options, parsed but not run (no sockets). */
final class ServerCommandTest {
  @TempDir Path dir;

  private ServerCommand parse(Map<String, String> variables, String... args) {
    CliRun run = new CliRun(variables, dir);
    CommandLine.ParseResult result = PosCommand.commandLine(run.environment()).parseArgs(args);
    return (ServerCommand) result.subcommand().commandSpec().userObject();
  }

  private Optional<Path> storage(Map<String, String> variables, String... args) {
    return parse(variables, args).chainDirectory();
  }

  @Test
  void storage_nothingSet_isPosDataInTheWorkingDirectory() {
    assertThat(storage(Map.of(), "server")).contains(dir.resolve("pos-data"));
  }

  @Test
  void storage_dataDirFlag_winsOverPosInMemoryInTheEnvironment() {
    assertThat(storage(Map.of("POS_IN_MEMORY", "true"), "server", "--data-dir", "chain"))
        .contains(dir.resolve("chain"));
  }

  @Test
  void storage_dataDirFlag_winsOverPosInMemoryInDotEnv() throws IOException {
    Files.writeString(dir.resolve(".env"), "POS_IN_MEMORY=true\n");

    assertThat(storage(Map.of(), "server", "--data-dir", "chain")).contains(dir.resolve("chain"));
  }

  @Test
  void storage_inMemoryFlag_winsOverPosDataDir() throws IOException {
    Files.writeString(dir.resolve(".env"), "POS_DATA_DIR=fromdotenv\n");

    assertThat(storage(Map.of("POS_DATA_DIR", "fromenv"), "server", "--in-memory")).isEmpty();
  }

  @Test
  void storage_eitherVariableAlone_isUsed() throws IOException {
    assertThat(storage(Map.of("POS_IN_MEMORY", "true"), "server")).isEmpty();
    assertThat(storage(Map.of("POS_DATA_DIR", "fromenv"), "server"))
        .contains(dir.resolve("fromenv"));
    Files.writeString(dir.resolve(".env"), "POS_DATA_DIR=fromdotenv\n");
    assertThat(storage(Map.of(), "server")).contains(dir.resolve("fromdotenv"));
  }

  @Test
  void storage_posInMemoryFalse_doesNotConflictWithPosDataDir() {
    assertThat(storage(Map.of("POS_IN_MEMORY", "false", "POS_DATA_DIR", "d"), "server"))
        .contains(dir.resolve("d"));
  }

  @Test
  void storage_bothVariablesInTheEnvironment_isAUsageErrorNamingThem() {
    CliRun run = new CliRun(Map.of("POS_IN_MEMORY", "true", "POS_DATA_DIR", "/tmp/d"), dir);

    assertThat(run.run("server", "--port", "0")).isEqualTo(PosCommand.USAGE);
    assertThat(run.err())
        .contains("POS_DATA_DIR=/tmp/d (from the environment)")
        .contains("POS_IN_MEMORY=true (from the environment)")
        .contains("mutually exclusive");
    assertThat(run.out()).doesNotContain("storage:");
  }

  @Test
  void storage_environmentAndDotEnvDisagree_isAUsageErrorNamingTheLine() throws IOException {
    Files.writeString(dir.resolve(".env"), "# storage\nPOS_IN_MEMORY=true\n");
    CliRun run = new CliRun(Map.of("POS_DATA_DIR", "d"), dir);

    assertThat(run.run("server", "--port", "0")).isEqualTo(PosCommand.USAGE);
    assertThat(run.err()).contains("POS_IN_MEMORY=true (from .env line 2)");
  }

  @Test
  void storage_bothFlags_isAUsageError() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("server", "--port", "0", "--in-memory", "--data-dir", "d"))
        .isEqualTo(PosCommand.USAGE);
    assertThat(run.err()).contains("--data-dir and --in-memory are mutually exclusive");
  }

  @Test
  void seed_posSeedMeantForSimulate_leavesTheServerUnseeded() throws IOException {
    Files.writeString(dir.resolve(".env"), "POS_SEED=5\n");
    ServerCommand server = parse(Map.of("POS_SEED", "6"), "server");

    assertThat(server.seed).isNull();
    assertThat(server.seedWarning()).isEmpty();
  }

  @Test
  void seed_fromPosServerSeed_warnsNamingTheLine() throws IOException {
    Files.writeString(dir.resolve(".env"), "PORT=9000\nPOS_SERVER_SEED=5\n");
    ServerCommand server = parse(Map.of(), "server");

    assertThat(server.seed).isEqualTo(5L);
    assertThat(server.seedWarning().orElseThrow())
        .startsWith("warning: winners are drawn from a predictable stream")
        .contains("POS_SERVER_SEED=5 (from .env line 2)");
  }

  @Test
  void seed_fromTheFlag_warnsToo() {
    assertThat(parse(Map.of(), "server", "--seed", "7").seedWarning().orElseThrow())
        .contains("(--seed 7)");
  }

  @Test
  void config_noOptions_isServerConfigsDefaults() {
    // One source for every default: the options' defaults must be ServerConfig's.
    ServerConfig parsed = parse(Map.of(), "server").config(Optional.empty());
    ServerConfig defaults = ServerConfig.defaults();

    assertThat(parsed)
        .usingRecursiveComparison()
        .ignoringFields("randomness", "clock", "chainStore")
        .isEqualTo(defaults);
  }

  @Test
  void run_portTaken_failsWithoutCreatingTheDataDirectory() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun run = new CliRun(Map.of(), dir);

      int code =
          run.run("server", "--port", Integer.toString(taken.getLocalPort()), "--data-dir", "data");

      assertThat(code).isEqualTo(PosCommand.FAILURE);
      assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
      assertThat(dir.resolve("data")).doesNotExist();
    }
  }

  @Test
  void http_notGiven_isOff() {
    assertThat(parse(Map.of(), "server").config(Optional.empty()).http()).isEmpty();
  }

  @Test
  void http_portFromTheEnvironment_listensOnLoopbackUnlessBound() {
    assertThat(parse(Map.of("POS_HTTP_PORT", "8080"), "server").config(Optional.empty()).http())
        .hasValueSatisfying(
            http -> {
              assertThat(http.port()).isEqualTo(8080);
              assertThat(http.bindAddress()).isEqualTo("127.0.0.1");
            });
    assertThat(
            parse(Map.of(), "server", "--http-port", "0", "--http-bind", "0.0.0.0")
                .config(Optional.empty())
                .http()
                .orElseThrow()
                .bindAddress())
        .isEqualTo("0.0.0.0");
  }
}
