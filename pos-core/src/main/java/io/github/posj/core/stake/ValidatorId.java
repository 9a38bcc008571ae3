package io.github.posj.core.stake;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.HashFunction;
import java.util.Objects;
import java.util.Optional;

/**
 * A validator's address: 32 bytes, written as 64 lowercase hex characters, as in the tutorial
 * (which takes the SHA-256 of a timestamp). {@link #NONE} is the empty address {@code ""} of the
 * genesis block.
 *
 * <p>A small value type on purpose: when validators sign their blocks, the address can become a
 * public-key hash without changing its users.
 *
 * <p>Immutable; thread-safe.
 *
 * @param value the address bytes, or {@link Hash#EMPTY} for {@link #NONE}
 */
public record ValidatorId(Hash value) implements Comparable<ValidatorId> {
  /** No validator: the genesis block's {@code Validator} field, {@code ""}. */
  public static final ValidatorId NONE = new ValidatorId(Hash.EMPTY);

  /** Checks the component. */
  public ValidatorId {
    Objects.requireNonNull(value, "value");
  }

  /**
   * Derives an address as the SHA-256 of {@code material}. The server hands in unpredictable
   * material (the tutorial used the time of day, which is guessable).
   */
  public static ValidatorId derive(byte[] material) {
    return new ValidatorId(HashFunction.sha256().digest(material));
  }

  /**
   * Parses the wire form, {@code ""} or 64 lowercase hex characters.
   *
   * @throws IllegalArgumentException if {@code hex} is neither
   */
  public static ValidatorId fromHex(String hex) {
    return parseHex(hex)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "a validator address is \"\" or 64 lowercase hex digits, got \""
                        + (hex.length() <= 80 ? hex : hex.substring(0, 77) + "...")
                        + "\""));
  }

  /** Parses the wire form, returning empty for text that is not an address. */
  public static Optional<ValidatorId> parseHex(String hex) {
    return Hash.parseHex(hex).map(ValidatorId::new);
  }

  /** Whether this is {@link #NONE}. */
  public boolean isNone() {
    return value.isEmpty();
  }

  /** The wire form: 64 lowercase hex characters, or {@code ""} for {@link #NONE}. */
  public String hex() {
    return value.hex();
  }

  @Override
  public int compareTo(ValidatorId other) {
    return value.compareTo(other.value);
  }

  /** The hex form. */
  @Override
  public String toString() {
    return value.hex();
  }
}
