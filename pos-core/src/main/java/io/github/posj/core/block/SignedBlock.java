package io.github.posj.core.block;

import io.github.posj.core.crypto.Ed25519;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.crypto.Signature;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Preimage;
import java.util.Objects;

/**
 * A network-mode block (block version 2): the tutorial's six fields, plus the slot it was made for,
 * the proposer's public key, its hash-onion reveal and its Ed25519 signature.
 *
 * <p>The hash and the signature cover the same preimage ({@link #preimage}), which binds the
 * genesis hash, Index, Slot, PrevHash, PubKey, Reveal, BPM and Timestamp; the signature is not part
 * of the hash ({@code docs/network.md} section 3). Like {@link Block}, a {@code SignedBlock} is a
 * plain value: whether its hash, signature and the rest hold is checked by {@link
 * io.github.posj.core.chain.SignedChainState}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param block the tutorial's six fields; Index at least 1, a 64-hex PrevHash and a Validator
 * @param slot the slot it was made for, at least 1
 * @param publicKey the proposer's key
 * @param reveal the proposer's next hash-onion value
 * @param signature the proposer's signature of the preimage
 */
public record SignedBlock(
    Block block, long slot, PublicKey publicKey, Hash reveal, Signature signature) {
  /** The domain tag of the preimage. */
  public static final String DOMAIN = "posj/block/v2";

  /**
   * Checks the components' shapes (not the rules between them).
   *
   * @throws IllegalArgumentException if Index or Slot is below 1, or PrevHash, Validator or Reveal
   *     is empty
   */
  public SignedBlock {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(reveal, "reveal");
    Objects.requireNonNull(signature, "signature");
    if (block.index() < 1) {
      throw new IllegalArgumentException("a signed block's Index is >= 1, got " + block.index());
    }
    if (slot < 1) {
      throw new IllegalArgumentException("a signed block's Slot is >= 1, got " + slot);
    }
    if (block.prevHash().isEmpty() || block.validator().isNone() || reveal.isEmpty()) {
      throw new IllegalArgumentException(
          "a signed block has a PrevHash, a Validator and a Reveal of 64 hex characters each");
    }
  }

  /**
   * Makes and signs the block that {@code key} proposes: its Validator is the key's address, its
   * Hash and Signature cover the preimage.
   *
   * @throws IllegalArgumentException if a field could not be a signed block's
   */
  public static SignedBlock sign(
      SigningKey key,
      Hash genesisHash,
      long index,
      long slot,
      Hash prevHash,
      Hash reveal,
      long bpm,
      String timestamp) {
    Objects.requireNonNull(key, "key");
    byte[] preimage =
        preimage(genesisHash, index, slot, prevHash, key.publicKey(), reveal, bpm, timestamp);
    Hash hash = Preimage.sha256Of(preimage);
    Block block = new Block(index, timestamp, bpm, hash, prevHash, key.publicKey().address());
    return new SignedBlock(block, slot, key.publicKey(), reveal, key.sign(preimage));
  }

  /**
   * The bytes that are hashed and signed:
   *
   * <pre>
   *   "posj/block/v2" 0x00, genesisHash (32), uvarint(Index), uvarint(Slot), PrevHash (32),
   *   PubKey (32), Reveal (32), uvarint(zigzag(BPM)), uvarint(len) Timestamp (UTF-8)
   * </pre>
   *
   * @throws IllegalArgumentException if a hash is empty, or the timestamp could not be a block's
   */
  public static byte[] preimage(
      Hash genesisHash,
      long index,
      long slot,
      Hash prevHash,
      PublicKey publicKey,
      Hash reveal,
      long bpm,
      String timestamp) {
    Objects.requireNonNull(publicKey, "publicKey");
    Block.checkTimestamp(Objects.requireNonNull(timestamp, "timestamp"));
    return Preimage.tagged(DOMAIN)
        .hash(genesisHash)
        .uvarint(index)
        .uvarint(slot)
        .hash(prevHash)
        .bytes(publicKey.toByteArray())
        .hash(reveal)
        .uvarint((bpm << 1) ^ (bpm >> 63))
        .text(timestamp)
        .toByteArray();
  }

  /** This block's preimage on the chain of {@code genesisHash}. */
  public byte[] preimage(Hash genesisHash) {
    return preimage(
        genesisHash,
        block.index(),
        slot,
        block.prevHash(),
        publicKey,
        reveal,
        block.bpm(),
        block.timestamp());
  }

  /** The Hash this block should carry on the chain of {@code genesisHash}. */
  public Hash computeHash(Hash genesisHash) {
    return Preimage.sha256Of(preimage(genesisHash));
  }

  /**
   * Whether the signature is valid for this block's preimage on the chain of {@code genesisHash}.
   */
  public boolean signatureValid(Hash genesisHash) {
    return Ed25519.verify(publicKey, preimage(genesisHash), signature);
  }

  /**
   * As {@link #signatureValid(Hash)}, checked against {@code key}, an instance of this block's
   * PubKey that the caller keeps (a genesis validator's): an instance that checks many blocks
   * decodes its point once ({@link Ed25519#verify(PublicKey, byte[], Signature)}). The answer is
   * the one {@link #signatureValid(Hash)} gives; false if {@code key} is another key.
   */
  public boolean signatureValid(Hash genesisHash, PublicKey key) {
    return key.equals(publicKey) && Ed25519.verify(key, preimage(genesisHash), signature);
  }

  /** Index. */
  public long index() {
    return block.index();
  }

  /** Hash, as carried. */
  public Hash hash() {
    return block.hash();
  }
}
