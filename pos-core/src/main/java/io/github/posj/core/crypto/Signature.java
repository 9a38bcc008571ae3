package io.github.posj.core.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An Ed25519 signature: 64 bytes, R then S (RFC 8032). Any 64 bytes make a {@code Signature} value;
 * whether it is valid for a message and key is {@link Ed25519#verify}'s answer.
 *
 * <p>Two different signatures can be valid for one message and key (the signer chooses the nonce
 * freely), so a signature is never an identifier: compare what was signed, not signatures.
 *
 * <p>Immutable; thread-safe.
 */
public final class Signature {
  /** The length in bytes. */
  public static final int LENGTH = 64;

  /** The length of the hex form in characters. */
  public static final int HEX_LENGTH = 2 * LENGTH;

  private final byte[] bytes;

  private Signature(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The signature with these bytes (copied).
   *
   * @throws IllegalArgumentException if {@code bytes} is not {@value #LENGTH} bytes long
   */
  public static Signature of(byte[] bytes) {
    return new Signature(FixedBytes.copyOf(bytes, LENGTH, "an Ed25519 signature"));
  }

  /** The signature written as {@value #HEX_LENGTH} lowercase hex characters, or empty. */
  public static Optional<Signature> parseHex(String hex) {
    return FixedBytes.parseHex(hex, LENGTH).map(Signature::new);
  }

  /**
   * The signature written as {@value #HEX_LENGTH} lowercase hex characters.
   *
   * @throws IllegalArgumentException if {@code hex} is not that
   */
  public static Signature fromHex(String hex) {
    return new Signature(FixedBytes.fromHex(hex, LENGTH, "an Ed25519 signature"));
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  byte[] bytes() {
    return bytes;
  }

  /** The bytes as lowercase hex. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Signature that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
