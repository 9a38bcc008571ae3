package io.github.posj.cli.command;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.node.NetworkServerListener;
import java.io.PrintStream;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What {@code pos node} prints: one line per event, each with the time it happened. Called on the
 * node's owner thread, so the lines come in the order things happened.
 *
 * <p>Not thread-safe; confine to the node's owner thread.
 */
final class NodeConsole implements NetworkServerListener {
  private final PrintStream out;
  private final InstantSource clock;
  private final DateTimeFormatter time;
  private final String bindAddress;

  NodeConsole(PrintStream out, InstantSource clock, ZoneId zone, String bindAddress) {
    this.out = out;
    this.clock = clock;
    this.time = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    this.bindAddress = bindAddress;
  }

  private void line(String text) {
    out.println(time.format(clock.instant()) + " " + text);
  }

  @Override
  public void started(int port, List<String> repairs) {
    for (String repair : repairs) {
      out.println("repaired: " + repair);
    }
    out.println("listening on port " + port + " (address " + bindAddress + ")");
    out.println("stop with Ctrl-C");
  }

  @Override
  public void slotStarted(long slot, long epoch, ValidatorId leader) {
    line("slot " + slot + " (epoch " + epoch + "): leader " + leader.hex());
  }

  @Override
  public void slotMissed(long slot, ValidatorId leader) {
    line("slot " + slot + ": empty, no block from its leader " + leader.hex());
  }

  @Override
  public void accepted(SignedBlock block) {
    line(
        "block "
            + block.index()
            + " stored and announced: slot "
            + block.slot()
            + ", BPM "
            + block.block().bpm()
            + ", validator "
            + block.block().validator().hex()
            + ", hash "
            + block.hash().hex());
  }

  @Override
  public void refused(SignedBlock block, String code, String reason) {
    line(
        "refused block "
            + block.index()
            + " for slot "
            + block.slot()
            + " from "
            + block.publicKey().address().hex()
            + " ("
            + code
            + "): "
            + reason);
  }

  @Override
  public void evidence(SignedBlock first, SignedBlock second) {
    line(
        "EVIDENCE: validator "
            + first.publicKey().address().hex()
            + " signed two different blocks for slot "
            + first.slot()
            + ": "
            + first.hash().hex()
            + " (in the chain) and "
            + second.hash().hex()
            + "; both kept");
  }

  @Override
  public void loggedIn(ValidatorId validator, String remote) {
    line("validator " + validator.hex() + " logged in from " + remote);
  }

  @Override
  public void loginFailed(String remote, String reason) {
    line("login from " + remote + " refused: " + reason);
  }

  @Override
  public void forgingStopped(String reason) {
    line("STOPPED accepting blocks: " + reason + " (restart the node)");
  }

  @Override
  public void evidenceNotStored(String reason) {
    line("could not store evidence: " + reason);
  }

  @Override
  public void rolledBack(List<SignedBlock> removed) {
    line(
        "fork choice: switched to a peer's chain; rolled back blocks "
            + removed.get(0).index()
            + " to "
            + removed.get(removed.size() - 1).index()
            + " (kept in rolled-back.jsonl)");
  }

  @Override
  public void peerConnected(String remote, boolean outbound) {
    line("peer " + remote + " connected (" + (outbound ? "dialled" : "incoming") + ")");
  }

  @Override
  public void peerUnreachable(
      String address, String reason, java.util.Optional<java.time.Duration> retryIn) {
    line(
        "peer "
            + address
            + " unreachable: "
            + reason
            + retryIn
                .map(d -> "; trying again in " + (d.toMillis() / 1000.0) + " s")
                .orElse("; given up (an address learned from a peer)"));
  }

  @Override
  public void peerClosed(String remote, String reason) {
    line("peer " + remote + " closed" + (reason.isEmpty() ? "" : ": " + reason));
  }

  @Override
  public void peerBlocksNotStored(String reason) {
    line("blocks from a peer not stored: " + reason);
  }
}
