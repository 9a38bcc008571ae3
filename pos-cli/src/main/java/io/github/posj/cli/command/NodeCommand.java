package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.options.DataDirectoryChoice;
import io.github.posj.cli.options.HttpOptions;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisJson;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.InMemorySignedChainStore;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.net.node.EvidenceLog;
import io.github.posj.net.node.NetworkServer;
import io.github.posj.net.node.NetworkServerConfig;
import io.github.posj.net.node.PeerSettings;
import io.github.posj.net.store.FileEvidenceLog;
import io.github.posj.net.store.FileSignedChainStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pos node}: runs a network-mode node in the foreground until Ctrl-C. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a network-mode node (docs/network.md): slots and a public leader per slot from the"
          + " genesis; validators log in with their keys (pos validator --key) and the node"
          + " accepts the first valid signed block from each slot's leader, stores it, then"
          + " announces it. Anyone may watch with nc.",
      "Prints one line per slot and per block; Ctrl-C closes every connection and stops. With"
          + " --http-port it serves the HTTP API, the live page and /metrics (docs/api.md)."
    })
public final class NodeCommand implements Callable<Integer> {
  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  @Option(
      names = "--genesis",
      paramLabel = "FILE",
      required = true,
      description = "The chain's genesis file (pos devnet init writes one).")
  Path genesisFile;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "9000",
      description = "TCP port; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
  String bind;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the chain is stored (default ./pos-node-data); exclusive with --in-memory.")
  Path dataDirectory;

  @Option(
      names = "--in-memory",
      description = "Keep the chain in memory only: it is lost when the node stops.")
  boolean inMemory;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Most connections at once (default ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-line-length",
      paramLabel = "BYTES",
      defaultValue = "16384",
      description = "Longest line a client may send (default ${DEFAULT-VALUE}).")
  int maxLineLength;

  @Option(
      names = "--peer",
      paramLabel = "HOST:PORT",
      split = ",",
      description =
          "Another node's peer port to connect to; repeatable, or comma-separated. Redialled with"
              + " backoff while the node runs.")
  List<String> peers = new ArrayList<>();

  @Option(
      names = "--peer-port",
      paramLabel = "PORT",
      description =
          "Listen for other nodes on this port (0 picks a free one); without it the node only"
              + " dials its --peer addresses.")
  Integer peerPort;

  @Option(
      names = "--max-peers",
      paramLabel = "N",
      defaultValue = "16",
      description =
          "Most peer connections at once, incoming and dialled ones each (default"
              + " ${DEFAULT-VALUE}).")
  int maxPeers;

  @Mixin HttpOptions http;

  NodeCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    Genesis genesis = readGenesis(environment.workingDirectory().resolve(genesisFile));
    Optional<Path> directory = chainDirectory();
    NetworkServerConfig config = config(genesis);
    PrintStream out = environment.out();
    SignedChainStore store =
        directory
            .<SignedChainStore>map(FileSignedChainStore::new)
            .orElseGet(InMemorySignedChainStore::new);
    EvidenceLog evidence =
        directory.<EvidenceLog>map(FileEvidenceLog::new).orElse(EvidenceLog.NONE);
    out.println(
        "chain: "
            + genesis.chainId()
            + ", genesis "
            + genesis.hash().hex()
            + ", "
            + genesis.validators().size()
            + (genesis.validators().size() == 1 ? " validator" : " validators")
            + ", slots of "
            + genesis.slotSeconds()
            + " s from "
            + genesis.genesisTime()
            + ", "
            + genesis.epochSlots()
            + " slots an epoch");
    out.println("storage: " + directory.map(Path::toString).orElse("in memory (lost on exit)"));
    NetworkServer server;
    try {
      SignedChainStore.Opened opened = store.open(genesis);
      out.println(
          "head: height "
              + opened.state().head().index()
              + ", slot "
              + opened.state().headSlot()
              + ", hash "
              + opened.state().head().hash().hex());
      server =
          NetworkServer.start(
              config,
              opened,
              store,
              evidence,
              new NodeConsole(out, InstantSource.system(), ZoneId.systemDefault(), bind));
    } catch (ChainStoreException | IllegalStateException | IllegalArgumentException e) {
      store.close();
      throw new CommandFailure(e.getMessage());
    }
    server.httpPort().ifPresent(port -> out.println(http.listening(port)));
    server
        .peerPort()
        .ifPresent(
            port -> out.println("peers: listening on port " + port + " (address " + bind + ")"));
    if (!peers.isEmpty()) {
      out.println("peers: dialling " + String.join(", ", peers));
    }
    try {
      environment.stop().await();
      out.println("stopping: closing connections");
    } finally {
      server.close();
      out.println("stopped");
      out.flush();
    }
    return PosCommand.OK;
  }

  /** How the node runs: the options' values for {@code genesis}, on the system clock. */
  NetworkServerConfig config(Genesis genesis) {
    try {
      return new NetworkServerConfig(
          genesis,
          bind,
          port,
          maxConnections,
          maxLineLength,
          NetworkServerConfig.DEFAULT_MAX_OUTBOUND_BUFFER_BYTES,
          InstantSource.system(),
          true,
          http.settings(),
          peerSettings());
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(e.getMessage(), PosCommand.USAGE);
    }
  }

  private PeerSettings peerSettings() {
    return PeerSettings.listening(
            peerPort == null ? OptionalInt.empty() : OptionalInt.of(peerPort), peers)
        .withMaxPeers(maxPeers);
  }

  /** The genesis in {@code file}, or a usage failure that says what is wrong with it. */
  static Genesis readGenesis(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CommandFailure(
          "cannot read the genesis file " + file + ": " + e.getMessage(), PosCommand.USAGE);
    }
    try {
      return GenesisJson.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(
          "the genesis file " + file + " is not a valid genesis: " + e.getMessage(),
          PosCommand.USAGE);
    }
  }

  /** Where the chain is kept: a directory, or empty for in memory (as pos server decides). */
  Optional<Path> chainDirectory() {
    return DataDirectoryChoice.of(spec, environment, dataDirectory, "pos-node-data");
  }
}
