package io.github.posj.core.crypto;

import io.github.posj.core.hash.Sha256HashFunction;
import io.github.posj.core.stake.ValidatorId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An Ed25519 public key: the 32-byte encoding of RFC 8032. Any 32 bytes make a {@code PublicKey}
 * value; whether they are a usable key is {@link #isValid()}.
 *
 * <p>Immutable; thread-safe.
 */
public final class PublicKey implements Comparable<PublicKey> {
  /** The length of the encoding in bytes. */
  public static final int LENGTH = 32;

  /** The length of the hex form in characters. */
  public static final int HEX_LENGTH = 2 * LENGTH;

  /** What {@link #decoded} holds for a key that has no fully validated point. */
  private static final Object NO_POINT = new Object();

  private final byte[] bytes;

  /**
   * Signatures checked against this instance so far, counted up to 2: the point is decoded at the
   * second check, so a key parsed for one check never pays for it.
   */
  private volatile int checks;

  /** BouncyCastle's decoded point ({@code PublicPoint}), {@link #NO_POINT}, or null: not yet. */
  private volatile Object decoded;

  private PublicKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The key with this encoding (copied).
   *
   * @throws IllegalArgumentException if {@code bytes} is not {@value #LENGTH} bytes long
   */
  public static PublicKey of(byte[] bytes) {
    return new PublicKey(FixedBytes.copyOf(bytes, LENGTH, "an Ed25519 public key"));
  }

  /** The key written as {@value #HEX_LENGTH} lowercase hex characters, or empty if it is not. */
  public static Optional<PublicKey> parseHex(String hex) {
    return FixedBytes.parseHex(hex, LENGTH).map(PublicKey::new);
  }

  /**
   * The key written as {@value #HEX_LENGTH} lowercase hex characters.
   *
   * @throws IllegalArgumentException if {@code hex} is not that
   */
  public static PublicKey fromHex(String hex) {
    return new PublicKey(FixedBytes.fromHex(hex, LENGTH, "an Ed25519 public key"));
  }

  /**
   * Whether this is a key a signature can be checked against: a canonical encoding of a point on
   * the curve that is not of small order (BouncyCastle's {@code validatePublicKeyFull}).
   */
  public boolean isValid() {
    return Ed25519.isValidPublicKey(bytes);
  }

  /** The validator address of this key: SHA-256 of its encoding. */
  public ValidatorId address() {
    return new ValidatorId(Sha256HashFunction.instance().digest(bytes, 0, LENGTH));
  }

  /** A copy of the encoding. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Copies the encoding into {@code destination} at {@code offset}. */
  public void copyTo(byte[] destination, int offset) {
    System.arraycopy(bytes, 0, destination, offset, LENGTH);
  }

  byte[] bytes() {
    return bytes;
  }

  /**
   * The decoded point to check signatures against, once this instance is used again and again (a
   * genesis validator's key checks every block of its validator); null on an instance's first
   * check, and for a key that is not {@linkplain #isValid() valid} (checked from its bytes always).
   * Decoding is BouncyCastle's {@code validatePublicKeyFullExport}: the checks its byte path makes
   * on the key, plus the order; see {@link Ed25519#verify(PublicKey, byte[], int, int, Signature)}
   * for why both paths accept the same signatures. Races only decode twice.
   */
  org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint pointForRepeatedChecks() {
    Object point = decoded;
    if (point == null) {
      if (checks < 1) {
        checks = 1;
        return null;
      }
      org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint exported =
          org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFullExport(bytes, 0);
      point = exported == null ? NO_POINT : exported;
      decoded = point;
    }
    return point == NO_POINT ? null : (org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint) point;
  }

  /** The encoding as lowercase hex. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(PublicKey other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PublicKey that && Arrays.equals(bytes, that.bytes);
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
