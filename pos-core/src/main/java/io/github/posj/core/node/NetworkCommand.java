package io.github.posj.core.node;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.crypto.PublicKey;
import java.time.Instant;
import java.util.Objects;

/**
 * What a network-mode host asks of its {@link NetworkNode}. The host adds the time from its clock.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface NetworkCommand {
  /**
   * A logged-in validator sends a signed block.
   *
   * <p>Immutable; thread-safe.
   *
   * @param sender the key the connection logged in with
   * @param block the block as received
   * @param receivedAt when it arrived, by the host's clock
   */
  record Submit(PublicKey sender, SignedBlock block, Instant receivedAt) implements NetworkCommand {
    /** Checks the components. */
    public Submit {
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(block, "block");
      Objects.requireNonNull(receivedAt, "receivedAt");
    }
  }

  /**
   * Time has passed: the host's clock reads {@code now} (sent at least at every slot boundary).
   *
   * <p>Immutable; thread-safe.
   *
   * @param now the time
   */
  record Tick(Instant now) implements NetworkCommand {
    /** Checks the component. */
    public Tick {
      Objects.requireNonNull(now, "now");
    }
  }
}
