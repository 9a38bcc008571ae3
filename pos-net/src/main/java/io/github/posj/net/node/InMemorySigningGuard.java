package io.github.posj.net.node;

import io.github.posj.core.hash.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SigningGuard} that keeps its record in memory: for tests and simulations only, since a
 * restart forgets what was signed.
 *
 * <p>Thread-safe.
 */
public final class InMemorySigningGuard implements SigningGuard {
  private long signedSlot = -1;
  private Hash signedHash;

  /** A guard that has recorded nothing. */
  public InMemorySigningGuard() {}

  @Override
  public synchronized void check(long slot, Hash blockHash) throws SigningRefusedException {
    Objects.requireNonNull(blockHash, "blockHash");
    if (signedHash == null || slot > signedSlot) {
      return;
    }
    if (slot < signedSlot) {
      throw new SigningRefusedException(
          SigningRefusedException.Reason.OLDER_SLOT, slot, blockHash, signedSlot, signedHash);
    }
    if (!blockHash.equals(signedHash)) {
      throw new SigningRefusedException(
          SigningRefusedException.Reason.OTHER_BLOCK_FOR_SLOT,
          slot,
          blockHash,
          signedSlot,
          signedHash);
    }
  }

  @Override
  public synchronized void record(long slot, Hash blockHash) {
    try {
      check(slot, blockHash);
    } catch (SigningRefusedException e) {
      throw new IllegalStateException("record without a successful check: " + e.getMessage(), e);
    }
    signedSlot = slot;
    signedHash = blockHash;
  }

  /** The last slot recorded, or empty if none. */
  public synchronized Optional<Long> signedSlot() {
    return signedHash == null ? Optional.empty() : Optional.of(signedSlot);
  }
}
