package io.github.posj.core.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * An Ed25519 private key: the 32-byte seed of RFC 8032, with its public key.
 *
 * <p>pos-core makes no randomness of its own: {@link #generate} takes the generator it draws the
 * seed from (a {@code SecureRandom} for a real key). Signing is deterministic (RFC 8032), so it is
 * a pure function of the seed and the message.
 *
 * <p>{@link #toString()} does not show the seed. Immutable; thread-safe.
 */
public final class SigningKey {
  /** The length of the seed in bytes. */
  public static final int SEED_LENGTH = 32;

  private final byte[] seed;
  private final PublicKey publicKey;

  private SigningKey(byte[] seed) {
    this.seed = seed;
    this.publicKey = Ed25519.publicKeyOf(seed);
  }

  /**
   * The key with this seed (copied).
   *
   * @throws IllegalArgumentException if {@code seed} is not {@value #SEED_LENGTH} bytes long
   */
  public static SigningKey fromSeed(byte[] seed) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length != SEED_LENGTH) {
      throw new IllegalArgumentException(
          "an Ed25519 seed has " + SEED_LENGTH + " bytes, got " + seed.length);
    }
    return new SigningKey(seed.clone());
  }

  /** A new key whose seed is drawn from {@code random}: pass a {@code SecureRandom}. */
  public static SigningKey generate(RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    byte[] seed = new byte[SEED_LENGTH];
    for (int i = 0; i < SEED_LENGTH; i += Long.BYTES) {
      long value = random.nextLong();
      for (int j = 0; j < Long.BYTES; j++) {
        seed[i + j] = (byte) (value >>> (8 * j));
      }
    }
    return new SigningKey(seed);
  }

  /** The public key. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** A copy of the seed: the secret. */
  public byte[] seed() {
    return seed.clone();
  }

  /** The RFC 8032 signature of {@code message}. */
  public Signature sign(byte[] message) {
    Objects.requireNonNull(message, "message");
    return Ed25519.sign(seed, publicKey, message, 0, message.length);
  }

  /** The RFC 8032 signature of {@code length} bytes of {@code message} from {@code offset}. */
  public Signature sign(byte[] message, int offset, int length) {
    Objects.requireNonNull(message, "message");
    Objects.checkFromIndexSize(offset, length, message.length);
    return Ed25519.sign(seed, publicKey, message, offset, length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SigningKey that && Arrays.equals(seed, that.seed);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  /** The public key only: the seed is never printed. */
  @Override
  public String toString() {
    return "SigningKey[publicKey=" + publicKey.hex() + "]";
  }
}
