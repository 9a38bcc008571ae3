package io.github.posj.core.random;

import io.github.posj.core.hash.Sha256HashFunction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A deterministic stream that any language can reproduce from a seed: SHA-256 over a domain tag,
 * the seed and a counter.
 *
 * <pre>
 *   block(k) = SHA-256( "posj/hash-chain-randomness/v1" || 0x00 || seed || uint64_be(k) )
 * </pre>
 *
 * for k = 0, 1, 2, ...; each 32-byte block gives four values, read as big-endian signed 64-bit
 * integers from bytes 0-7, 8-15, 16-23, 24-31. The tag keeps these digests apart from block hashes
 * and addresses (domain separation). Vectors: {@code pos-core/src/test/resources/vectors/}.
 *
 * <p>Reproducible and as unpredictable as the seed is secret: publish the seed after a round and
 * anyone can re-run its draw.
 *
 * <p>Not thread-safe; confine to one thread.
 */
public final class HashChainRandomness implements RandomnessSource {
  /** The domain tag that starts every preimage. */
  public static final String DOMAIN = "posj/hash-chain-randomness/v1";

  private final byte[] preimage;
  private final int counterOffset;
  private final byte[] block = new byte[32];
  private long counter;
  private int used = 4;

  /** A stream from {@code seed} (copied; any length, including 0). */
  public HashChainRandomness(byte[] seed) {
    Objects.requireNonNull(seed, "seed");
    byte[] tag = DOMAIN.getBytes(StandardCharsets.US_ASCII);
    preimage = new byte[tag.length + 1 + seed.length + Long.BYTES];
    System.arraycopy(tag, 0, preimage, 0, tag.length);
    System.arraycopy(seed, 0, preimage, tag.length + 1, seed.length);
    counterOffset = tag.length + 1 + seed.length;
  }

  @Override
  public long nextLong() {
    if (used == 4) {
      for (int i = 0; i < Long.BYTES; i++) {
        preimage[counterOffset + i] = (byte) (counter >>> (56 - 8 * i));
      }
      counter++;
      Sha256HashFunction.instance().digestInto(preimage, 0, preimage.length, block);
      used = 0;
    }
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = (value << 8) | (block[used * Long.BYTES + i] & 0xFF);
    }
    used++;
    return value;
  }
}
