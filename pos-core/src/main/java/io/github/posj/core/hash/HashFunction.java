package io.github.posj.core.hash;

/**
 * A cryptographic hash with a 32-byte digest, as used for block hashes, addresses and the
 * hash-chain randomness.
 *
 * <p>Contract: {@link #digest(byte[], int, int)} is a pure function of the bytes it is given; the
 * same input always gives the same {@link Hash}. Implementations are thread-safe (they may keep
 * per-thread state) and never retain the input array.
 */
public interface HashFunction {
  /** The digest of {@code length} bytes of {@code input} starting at {@code offset}. */
  Hash digest(byte[] input, int offset, int length);

  /** The digest of all of {@code input}. */
  default Hash digest(byte[] input) {
    return digest(input, 0, input.length);
  }

  /** SHA-256 (FIPS 180-4) through the JDK's {@code MessageDigest}. */
  static HashFunction sha256() {
    return Sha256HashFunction.INSTANCE;
  }
}
