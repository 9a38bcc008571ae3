package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.convert.InstantConverter;
import io.github.posj.cli.options.EnvironmentDefaults;
import io.github.posj.cli.options.OnionLengthOption;
import io.github.posj.cli.report.Quantity;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisJson;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.net.keys.KeyFile;
import io.github.posj.net.keys.KeyFileException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pos devnet init}: keys for N validators and the genesis that lists them, in one directory,
 * with the commands that start the network.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Makes a local network: N validator keys (DIR/validator-1.key ..., readable by you only),"
          + " DIR/genesis.json listing them with their stakes and DIR/devnet.json, the layout of"
          + " its --nodes nodes (ports from --base-port, every node a peer of every other, the"
          + " validators shared out in turn); then prints the genesis hash, each validator and"
          + " the commands that start the network: pos devnet up --dir DIR, or each part by hand.",
      "Refuses a DIR that already holds a genesis.json, a devnet.json or key files.",
      "Exit codes: 0 written, 1 DIR in use or not writable, 2 usage error."
    })
public final class DevnetInitCommand implements Callable<Integer> {
  /** The most validators a devnet has. */
  static final int MAX_VALIDATORS = 1000;

  /** The genesis file's name in DIR. */
  static final String GENESIS_FILE = "genesis.json";

  /** Seconds from now (rounded up to a whole second) to the default genesis time. */
  static final long GENESIS_DELAY_SECONDS = 5;

  /** The stake of every validator without --stake or --stakes. */
  private static final String DEFAULT_STAKE = "100";

  /** The validators' commands are listed one by one up to this many, then as a shell loop. */
  private static final int LISTED_COMMANDS = 10;

  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  @Option(
      names = "--validators",
      paramLabel = "N",
      required = true,
      description = "How many validators, 1 to " + MAX_VALIDATORS + ".")
  int validators;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      required = true,
      description =
          "Where to write the keys and the genesis (created if missing; refused if it holds"
              + " them already).")
  Path dir;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "How many nodes, 1 to "
              + DevnetManifest.MAX_NODES
              + " (default ${DEFAULT-VALUE}); validator k logs in to node ((k - 1) mod N) + 1.")
  int nodes;

  @Option(
      names = "--base-port",
      paramLabel = "PORT",
      defaultValue = "9000",
      description =
          "Node i (from 1) listens on PORT + i - 1, for peers on PORT + "
              + DevnetManifest.PEER_PORT_OFFSET
              + " + i - 1 and for HTTP on PORT + "
              + DevnetManifest.HTTP_PORT_OFFSET
              + " + i - 1 (default ${DEFAULT-VALUE}).")
  int basePort;

  @Option(
      names = "--chain-id",
      paramLabel = "ID",
      defaultValue = "posj-devnet",
      description = "The chain id: 1 to 64 of A-Z a-z 0-9 . _ - (default ${DEFAULT-VALUE}).")
  String chainId;

  @Option(
      names = "--slot-seconds",
      paramLabel = "SECONDS",
      defaultValue = "" + Genesis.DEFAULT_SLOT_SECONDS,
      description = "Length of a slot in whole seconds, 1 to 86400 (default ${DEFAULT-VALUE}).")
  long slotSeconds;

  @Option(
      names = "--epoch-slots",
      paramLabel = "N",
      defaultValue = "" + Genesis.DEFAULT_EPOCH_SLOTS,
      description = "Slots in an epoch, 1 to 1000000 (default ${DEFAULT-VALUE}).")
  long epochSlots;

  @Option(
      names = "--stake",
      paramLabel = "TOKENS",
      defaultValue = DEFAULT_STAKE,
      description = "Every validator's stake (default ${DEFAULT-VALUE}); exclusive with --stakes.")
  long stake;

  @Option(
      names = "--stakes",
      paramLabel = "TOKENS",
      split = ",",
      splitSynopsisLabel = ",",
      description =
          "One stake per validator, in key file order (validator-1 first); exclusive with"
              + " --stake.")
  List<Long> stakes;

  @Option(
      names = "--genesis-time",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description =
          "The start of slot 0, RFC 3339 in whole seconds, e.g. 2026-12-01T00:00:00Z (default:"
              + " "
              + GENESIS_DELAY_SECONDS
              + " s after now, rounded up to a whole second).")
  Instant genesisTime;

  @Mixin OnionLengthOption onionLength;

  /** Where "now" comes from for the default genesis time; fixed in tests. */
  Clock clock = Clock.systemUTC();

  DevnetInitCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    if (validators < 1 || validators > MAX_VALIDATORS) {
      throw new CommandFailure(
          "--validators is 1 to " + MAX_VALIDATORS + ", got " + validators, PosCommand.USAGE);
    }
    onionLength.check();
    DevnetManifest manifest;
    try {
      manifest = DevnetManifest.layout(nodes, validators, basePort, DevnetInitCommand::keyFileName);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(e.getMessage(), PosCommand.USAGE);
    }
    List<Long> chosenStakes = stakes();
    Path directory = environment.workingDirectory().resolve(dir);
    refuseUsed(directory);
    Instant time = genesisTime != null ? genesisTime : defaultGenesisTime();

    SecureRandom random = new SecureRandom();
    List<SigningKey> keys = new ArrayList<>(validators);
    List<HashOnion> onions = new ArrayList<>(validators);
    for (int i = 0; i < validators; i++) {
      keys.add(SigningKey.generate(random));
      onions.add(onionLength.newOnion(random));
    }
    // Every rule of the genesis is checked before the onions' commitments, the slow part, are
    // computed: no rule looks at a commitment beyond its length, so the secrets stand in for them.
    genesis(time, keys, chosenStakes, onions.stream().map(HashOnion::secret).toList());
    Genesis genesis =
        genesis(
            time, keys, chosenStakes, onions.parallelStream().map(HashOnion::commitment).toList());

    write(directory, genesis, manifest, keys, onions);
    print(genesis, manifest, keys, chosenStakes);
    return PosCommand.OK;
  }

  /** The stakes in key file order: --stakes, or --stake for everyone. */
  private List<Long> stakes() {
    boolean listed =
        EnvironmentDefaults.of(spec)
            .exclusive(spec, "--stake", "--stakes")
            .filter("--stakes"::equals)
            .isPresent();
    if (!listed) {
      if (stake < 1) {
        throw new CommandFailure("--stake is at least 1, got " + stake, PosCommand.USAGE);
      }
      return Collections.nCopies(validators, stake);
    }
    if (stakes.size() != validators) {
      throw new CommandFailure(
          "--stakes lists "
              + Quantity.of(stakes.size(), "stake")
              + " for "
              + Quantity.of(validators, "validator")
              + "; give one per validator",
          PosCommand.USAGE);
    }
    for (int i = 0; i < stakes.size(); i++) {
      if (stakes.get(i) < 1) {
        throw new CommandFailure(
            "--stakes: every stake is at least 1, got "
                + stakes.get(i)
                + " for validator "
                + (i + 1),
            PosCommand.USAGE);
      }
    }
    return List.copyOf(stakes);
  }

  /** Refuses a directory that is a file, or holds a genesis, a manifest or key files already. */
  private void refuseUsed(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    if (!Files.isDirectory(directory)) {
      throw new CommandFailure(dir + " is not a directory; choose another --dir");
    }
    List<String> found = new ArrayList<>();
    if (Files.exists(directory.resolve(GENESIS_FILE))) {
      found.add(GENESIS_FILE);
    }
    if (Files.exists(directory.resolve(DevnetManifest.FILE))) {
      found.add(DevnetManifest.FILE);
    }
    try (DirectoryStream<Path> keyFiles = Files.newDirectoryStream(directory, "*.key")) {
      keyFiles.forEach(file -> found.add(file.getFileName().toString()));
    } catch (IOException e) {
      throw new CommandFailure("cannot read the directory " + dir + ": " + e.getMessage());
    }
    if (!found.isEmpty()) {
      Collections.sort(found);
      throw new CommandFailure(
          dir
              + " already holds a devnet ("
              + String.join(", ", found.subList(0, Math.min(3, found.size())))
              + (found.size() > 3 ? ", ..." : "")
              + "); its keys are never overwritten. Choose another --dir, or move that one away");
    }
  }

  /** Now, rounded up to a whole second, plus {@link #GENESIS_DELAY_SECONDS}. */
  private Instant defaultGenesisTime() {
    Instant now = clock.instant();
    Instant whole = now.truncatedTo(ChronoUnit.SECONDS);
    return (whole.equals(now) ? whole : whole.plusSeconds(1)).plusSeconds(GENESIS_DELAY_SECONDS);
  }

  private Genesis genesis(
      Instant time, List<SigningKey> keys, List<Long> chosenStakes, List<Hash> commitments) {
    List<GenesisValidator> entries = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      entries.add(
          new GenesisValidator(keys.get(i).publicKey(), chosenStakes.get(i), commitments.get(i)));
    }
    try {
      return Genesis.of(chainId, time, slotSeconds, epochSlots, entries);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(e.getMessage(), PosCommand.USAGE);
    }
  }

  /**
   * Writes the genesis and the manifest, then the key files. Each key file's write forces the
   * directory, which also makes the other files' entries durable.
   */
  private void write(
      Path directory,
      Genesis genesis,
      DevnetManifest manifest,
      List<SigningKey> keys,
      List<HashOnion> onions) {
    try {
      Files.createDirectories(directory);
      writeNew(directory.resolve(GENESIS_FILE), GenesisJson.writePretty(genesis));
      writeNew(directory.resolve(DevnetManifest.FILE), manifest.toJson());
      for (int i = 0; i < keys.size(); i++) {
        KeyFile.write(directory.resolve(keyFileName(i)), keys.get(i), onions.get(i));
      }
    } catch (IOException | KeyFileException e) {
      // An AccessDeniedException's message is only the path.
      throw new CommandFailure(
          "cannot write the devnet in "
              + dir
              + ": "
              + (e instanceof AccessDeniedException ? "permission denied: " : "")
              + e.getMessage()
              + (Files.exists(directory.resolve(GENESIS_FILE))
                  ? ". It holds part of a devnet now: move it away and run again"
                  : ""));
    }
  }

  /** Writes {@code text} to a new {@code file} and forces it to disk. */
  private static void writeNew(Path file, String text) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
  }

  private void print(
      Genesis genesis, DevnetManifest manifest, List<SigningKey> keys, List<Long> chosenStakes) {
    PrintStream out = environment.out();
    out.println(
        "devnet "
            + genesis.chainId()
            + ": "
            + Quantity.of(keys.size(), "validator")
            + ", "
            + genesis.totalStake()
            + " tokens staked");
    out.println(
        "genesis time: "
            + genesis.genesisTime()
            + ", slots of "
            + genesis.slotSeconds()
            + " s, epochs of "
            + Quantity.of(genesis.epochSlots(), "slot"));
    out.println("genesis hash: " + genesis.hash().hex());
    for (int i = 0; i < keys.size(); i++) {
      out.println(
          "  "
              + keyFileName(i)
              + "  address "
              + keys.get(i).publicKey().address().hex()
              + "  stake "
              + chosenStakes.get(i));
    }
    out.println(
        "wrote "
            + shown(dir.resolve(GENESIS_FILE))
            + ", "
            + shown(dir.resolve(DevnetManifest.FILE))
            + " and "
            + Quantity.of(keys.size(), "key file")
            + " (readable by you only: keep "
            + (keys.size() == 1 ? "it" : "them")
            + " secret)");
    out.println();
    out.println("start the network and watch it:");
    out.println("  pos devnet up --dir " + shown(dir));
    List<DevnetManifest.Node> layout = manifest.nodes();
    out.println(
        "or start each part in its own terminal: "
            + (layout.size() == 1 ? "the node," : "the nodes,"));
    for (DevnetManifest.Node node : layout) {
      out.println("  pos " + shellWords(node.nodeArguments(dir)));
    }
    out.println("then the validators:");
    if (keys.size() <= LISTED_COMMANDS) {
      for (int i = 0; i < keys.size(); i++) {
        DevnetManifest.Node node = layout.get(i % layout.size());
        out.println("  pos " + shellWords(node.validatorArguments(dir, keyFileName(i))));
      }
    } else {
      // Validator k is on node ((k - 1) mod N) + 1: node j has j, j + N, j + 2N, ...
      for (int j = 0; j < layout.size() && j < keys.size(); j++) {
        // The key file's word is the loop's, so it is written here rather than quoted.
        List<String> arguments = layout.get(j).validatorArguments(dir, "validator-1.key");
        String line =
            "pos "
                + shellWords(arguments.subList(0, 2))
                + " "
                + shown(dir)
                + "/validator-$i.key "
                + shellWords(arguments.subList(3, arguments.size()));
        out.println(
            "  for i in $(seq "
                + (layout.size() == 1
                    ? "1 " + keys.size()
                    : (j + 1) + " " + layout.size() + " " + keys.size())
                + "); do");
        out.println("    " + line + " &");
        out.println("  done");
      }
    }
  }

  /** {@code words} joined with spaces, each quoted for the shell when it needs it. */
  static String shellWords(List<String> words) {
    List<String> shownWords = new ArrayList<>(words.size());
    for (String word : words) {
      shownWords.add(shown(word));
    }
    return String.join(" ", shownWords);
  }

  /** The key file of validator {@code i} (from 0): {@code validator-1.key} for 0. */
  static String keyFileName(int i) {
    return "validator-" + (i + 1) + ".key";
  }

  /** {@code path} as a shell word: quoted when it holds characters a shell would act on. */
  private static String shown(Path path) {
    return shown(path.toString());
  }

  /** {@code text} as a shell word: quoted when it holds characters a shell would act on. */
  private static String shown(String text) {
    return SHELL_SAFE.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
  }
}
