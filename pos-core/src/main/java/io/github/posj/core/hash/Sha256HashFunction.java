package io.github.posj.core.hash;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 through the JDK's {@link MessageDigest}, one digest object per thread.
 *
 * <p>Immutable; thread-safe.
 */
/*
 * Implementation notes: the JDK's SHA-256 is an intrinsic that uses the CPU's SHA extensions where
 * present; on the machines we measured it is several times faster than BouncyCastle's pure-Java
 * SHA256Digest (docs/benchmarks.md). MessageDigest is not thread-safe, so each thread keeps its
 * own; reset is implicit after digest().
 */
public final class Sha256HashFunction implements HashFunction {
  static final Sha256HashFunction INSTANCE = new Sha256HashFunction();

  private static final ThreadLocal<MessageDigest> DIGESTS =
      ThreadLocal.withInitial(Sha256HashFunction::newDigest);

  private Sha256HashFunction() {}

  /** The shared instance, as {@link HashFunction#sha256()}. */
  public static Sha256HashFunction instance() {
    return INSTANCE;
  }

  @Override
  public Hash digest(byte[] input, int offset, int length) {
    byte[] out = new byte[Hash.LENGTH];
    digestInto(input, offset, length, out);
    return Hash.wrap(out);
  }

  /**
   * Writes the digest of {@code length} bytes of {@code input} into the first 32 bytes of {@code
   * out}, without allocating.
   */
  public void digestInto(byte[] input, int offset, int length, byte[] out) {
    MessageDigest digest = DIGESTS.get();
    digest.update(input, offset, length);
    try {
      digest.digest(out, 0, Hash.LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest did not fit 32 bytes", e);
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE platform must provide SHA-256 (MessageDigest Javadoc).
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }
}
