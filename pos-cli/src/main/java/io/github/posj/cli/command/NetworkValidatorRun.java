package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.net.keys.KeyFile;
import io.github.posj.net.keys.SlashingProtection;
import io.github.posj.net.node.NetworkValidator;
import io.github.posj.net.node.NodeMessage;
import io.github.posj.net.node.Scheduler;
import io.github.posj.net.node.SigningGuard;
import io.github.posj.net.node.SigningRefusedException;
import io.github.posj.net.node.SkipReason;
import io.github.posj.net.node.ValidatorConfig;
import io.github.posj.net.node.ValidatorListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * {@code pos validator --key}: a network-mode validator, wired from its key file, its
 * slashing-protection file and a node's address; prints one line per event until Ctrl-C or until
 * the node closes the connection.
 *
 * <p>Not thread-safe; one run per command.
 */
final class NetworkValidatorRun {
  private static final Duration POLL = Duration.ofMillis(100);

  private NetworkValidatorRun() {}

  /** The slashing-protection file that goes with {@code keyFile} when none is named. */
  static Path defaultProtectionFile(Path keyFile) {
    return keyFile.resolveSibling(keyFile.getFileName() + ".protection");
  }

  static int run(
      CliEnvironment environment,
      Path keyFile,
      String host,
      int port,
      Optional<Genesis> genesis,
      Path protectionFile,
      long bpm)
      throws InterruptedException {
    PrintStream out = environment.out();
    KeyFile.Contents key;
    try {
      key = KeyFile.read(keyFile);
    } catch (RuntimeException e) {
      throw new CommandFailure(e.getMessage());
    }
    key.warnings().forEach(w -> environment.err().println("warning: " + w));
    if (genesis.isPresent() && genesis.get().validator(key.key().publicKey()).isEmpty()) {
      throw new CommandFailure(
          "the key in "
              + keyFile
              + " (validator "
              + key.address().hex()
              + ") is not a validator of the genesis "
              + genesis.get().hash().hex());
    }
    SlashingProtection protection;
    try {
      protection = SlashingProtection.open(protectionFile, key.key().publicKey());
    } catch (RuntimeException e) {
      throw new CommandFailure(e.getMessage());
    }
    out.println(
        "validator "
            + key.address().hex()
            + "; slashing protection: "
            + protectionFile
            + (protection.lastSignedSlot() > 0
                ? " (last signed slot " + protection.lastSignedSlot() + ")"
                : ""));
    AtomicReference<String> closedBy = new AtomicReference<>();
    Clock clock = Clock.systemUTC();
    ValidatorConfig config = ValidatorConfig.of(host, port);
    if (genesis.isPresent()) {
      config = config.withGenesisHash(genesis.get().hash());
    }
    try (protection) {
      NetworkValidator validator;
      try {
        validator =
            NetworkValidator.connect(
                config,
                key.key(),
                key.onion(),
                guard(protection),
                () -> bpm,
                new Printer(out, clock, closedBy),
                clock,
                Scheduler.system(clock));
      } catch (IOException e) {
        throw new CommandFailure(
            "cannot connect to the node at " + host + ":" + port + ": " + e.getMessage());
      }
      try (validator) {
        while (!validator.awaitClosed(POLL)) {
          if (environment.stop().requested()) {
            out.println("stopping (Ctrl-C)");
            return PosCommand.OK;
          }
        }
      }
    }
    throw new CommandFailure("the connection to the node ended: " + closedBy.get());
  }

  /** The protection file as the validator's guard: checked, then recorded before signing. */
  private static SigningGuard guard(SlashingProtection protection) {
    return new SigningGuard() {
      @Override
      public void check(long slot, Hash blockHash) throws SigningRefusedException {
        Optional<SlashingProtection.Refusal> refusal = protection.check(slot, blockHash);
        if (refusal.isPresent()) {
          SlashingProtection.Refusal r = refusal.get();
          throw new SigningRefusedException(
              r.reason() == SlashingProtection.Reason.EARLIER_SLOT
                  ? SigningRefusedException.Reason.OLDER_SLOT
                  : SigningRefusedException.Reason.OTHER_BLOCK_FOR_SLOT,
              slot,
              blockHash,
              r.lastSignedSlot(),
              r.lastSignedHash());
        }
      }

      @Override
      public void record(long slot, Hash blockHash) {
        protection.record(slot, blockHash);
      }
    };
  }

  /** One line per event, with the time. */
  private static final class Printer implements ValidatorListener {
    private final PrintStream out;
    private final Clock clock;
    private final AtomicReference<String> closedBy;
    private final DateTimeFormatter time =
        DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    Printer(PrintStream out, Clock clock, AtomicReference<String> closedBy) {
      this.out = out;
      this.clock = clock;
      this.closedBy = closedBy;
    }

    private void line(String text) {
      out.println(time.format(clock.instant()) + " " + text);
    }

    private static String slots(List<Long> slots) {
      return slots.isEmpty()
          ? "none until the end of the next epoch"
          : slots.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    @Override
    public void onConnected(NodeMessage.Welcome w) {
      line(
          "connected: chain "
              + w.chainId()
              + ", genesis "
              + w.genesisHash().hex()
              + ", height "
              + w.height()
              + ", slot "
              + w.slot());
    }

    @Override
    public void onLoggedIn(NodeMessage.LoggedIn l) {
      line("logged in with stake " + l.stake() + "; my slots: " + slots(l.duties()));
    }

    @Override
    public void onDuties(List<Long> slots) {
      line("my slots: " + slots(slots));
    }

    @Override
    public void onSwitched(long forkIndex) {
      line(
          "the node switched to a peer's chain after block "
              + forkIndex
              + "; my onion follows that chain");
    }

    @Override
    public void onProposed(SignedBlock block) {
      line(
          "slot "
              + block.slot()
              + ": signed and sent block "
              + block.index()
              + " (BPM "
              + block.block().bpm()
              + ")");
    }

    @Override
    public void onAccepted(NodeMessage.Accepted accepted) {
      line("block " + accepted.index() + " accepted: " + accepted.hash().hex());
    }

    @Override
    public void onRefused(NodeMessage.Refused refused) {
      line(
          "slot "
              + refused.slot()
              + ": refused ("
              + refused.code()
              + refused.rule().map(r -> ", " + r).orElse("")
              + "): "
              + refused.reason());
    }

    @Override
    public void onSkipped(long slot, SkipReason reason, String detail) {
      line("slot " + slot + ": not signed: " + detail);
    }

    @Override
    public void onAnnounced(SignedBlock block) {
      line(
          "block "
              + block.index()
              + " (slot "
              + block.slot()
              + ") by "
              + block.block().validator().hex());
    }

    @Override
    public void onError(String reason) {
      line("the node says: " + reason);
    }

    @Override
    public void onClosed(String reason) {
      closedBy.set(reason);
      line("connection closed: " + reason);
    }
  }
}
