package io.github.posj.core.schedule;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Preimage;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A validator's hash onion: {@code h(0) = secret}, {@code h(i+1) = SHA-256("posj/onion/v1" 0x00 ||
 * h(i))}, committed to by its top {@code h(length)} and revealed downwards, one value per block the
 * validator makes ({@code docs/network.md} section 5). Given the commitment each reveal is unique,
 * so a proposer cannot grind the randomness it adds: it can only reveal or skip.
 *
 * <p>Only the secret is stored; values are recomputed from it (at most {@code length} hashes, a few
 * milliseconds for the default length).
 *
 * <p>Immutable; thread-safe.
 */
public final class HashOnion {
  /** The domain tag of each step. */
  public static final String DOMAIN = "posj/onion/v1";

  /** The default number of layers: 65,536 blocks per commitment. */
  public static final int DEFAULT_LENGTH = 65_536;

  /** The most layers an onion may have. */
  public static final int MAX_LENGTH = 1 << 24;

  private final Hash secret;
  private final int length;

  private HashOnion(Hash secret, int length) {
    this.secret = secret;
    this.length = length;
  }

  /**
   * The onion with this secret and {@code length} layers.
   *
   * @throws IllegalArgumentException if the secret is not 32 bytes or {@code length} is outside 1
   *     to {@value #MAX_LENGTH}
   */
  public static HashOnion of(Hash secret, int length) {
    Objects.requireNonNull(secret, "secret");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("an onion secret is 32 bytes, got none");
    }
    if (length < 1 || length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "an onion has 1 to " + MAX_LENGTH + " layers, got " + length);
    }
    return new HashOnion(secret, length);
  }

  /** One step up: {@code SHA-256("posj/onion/v1" 0x00 || value)}. */
  public static Hash next(Hash value) {
    return Preimage.tagged(DOMAIN).hash(value).sha256();
  }

  /** Whether {@code reveal} is the value just below {@code last}: {@code next(reveal) == last}. */
  public static boolean chains(Hash reveal, Hash last) {
    return !reveal.isEmpty() && next(reveal).equals(last);
  }

  /** The secret, {@code h(0)}. */
  public Hash secret() {
    return secret;
  }

  /** The number of layers: the most blocks one commitment covers. */
  public int length() {
    return length;
  }

  /** The commitment, {@code h(length)}. */
  public Hash commitment() {
    return valueAt(length);
  }

  /**
   * {@code h(i)}.
   *
   * @throws IndexOutOfBoundsException if {@code i} is outside 0 to {@link #length()}
   */
  public Hash valueAt(int i) {
    Objects.checkIndex(i, length + 1);
    Hash value = secret;
    for (int k = 0; k < i; k++) {
      value = next(value);
    }
    return value;
  }

  /**
   * The layer {@code i} with {@code h(i) == value}, or empty if the value is not in this onion:
   * where a validator's last reveal sits, so that its next reveal is {@code h(i - 1)}.
   */
  public OptionalInt indexOf(Hash value) {
    Objects.requireNonNull(value, "value");
    Hash current = secret;
    for (int i = 0; i <= length; i++) {
      if (current.equals(value)) {
        return OptionalInt.of(i);
      }
      current = next(current);
    }
    return OptionalInt.empty();
  }

  /**
   * The value a validator reveals in its next block when its last reveal (or, before its first
   * block, its commitment) is {@code last}: {@code h(i - 1)} where {@code h(i) == last}; empty if
   * {@code last} is not in this onion or is its secret (the onion is used up).
   */
  public Optional<Hash> revealAfter(Hash last) {
    OptionalInt at = indexOf(last);
    if (at.isEmpty() || at.getAsInt() == 0) {
      return Optional.empty();
    }
    return Optional.of(valueAt(at.getAsInt() - 1));
  }

  /** The commitment only: the secret is never printed. */
  @Override
  public String toString() {
    return "HashOnion[length=" + length + "]";
  }
}
