package io.github.posj.net.node;

import io.github.posj.core.hash.Hash;
import java.util.Objects;

/**
 * A {@link SigningGuard} refused to sign a block: signing it could make two different blocks for
 * one slot. The reason is a type ({@link #reason()}); the message says it in words, with both slots
 * and hashes.
 *
 * <p>Immutable; thread-safe.
 */
public final class SigningRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a block may not be signed. */
  public enum Reason {
    /** A different block was already signed for this slot. */
    OTHER_BLOCK_FOR_SLOT,
    /** A block was already signed for a later slot. */
    OLDER_SLOT
  }

  private final Reason reason;
  private final long slot;
  private final transient Hash blockHash;
  private final long signedSlot;
  private final transient Hash signedHash;

  /**
   * A refusal to sign {@code blockHash} for {@code slot}, given that {@code signedHash} was signed
   * for {@code signedSlot}.
   */
  public SigningRefusedException(
      Reason reason, long slot, Hash blockHash, long signedSlot, Hash signedHash) {
    super(message(reason, slot, blockHash, signedSlot, signedHash));
    this.reason = Objects.requireNonNull(reason, "reason");
    this.slot = slot;
    this.blockHash = blockHash;
    this.signedSlot = signedSlot;
    this.signedHash = signedHash;
  }

  private static String message(
      Reason reason, long slot, Hash blockHash, long signedSlot, Hash signedHash) {
    Objects.requireNonNull(reason, "reason");
    String wanted = "refusing to sign block " + blockHash.hex() + " for slot " + slot + ": ";
    return switch (reason) {
      case OTHER_BLOCK_FOR_SLOT ->
          wanted + "block " + signedHash.hex() + " was already signed for that slot";
      case OLDER_SLOT ->
          wanted
              + "block "
              + signedHash.hex()
              + " was already signed for the later slot "
              + signedSlot;
    };
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }

  /** The slot of the block refused. */
  public long slot() {
    return slot;
  }

  /** The Hash of the block refused. */
  public Hash blockHash() {
    return blockHash;
  }

  /** The last slot signed. */
  public long signedSlot() {
    return signedSlot;
  }

  /** The Hash of the block signed for {@link #signedSlot()}. */
  public Hash signedHash() {
    return signedHash;
  }
}
