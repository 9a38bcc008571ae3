package io.github.posj.core.block;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One block of the chain, with the tutorial's six fields: {@code Index}, {@code Timestamp}, {@code
 * BPM}, {@code Hash}, {@code PrevHash} and {@code Validator}.
 *
 * <p>A block is a plain value: its {@code hash} is whatever the block says, checked or not. Blocks
 * that the node makes are sealed by a {@link HashScheme} ({@link HashScheme#seal}); blocks from
 * elsewhere are checked by {@link io.github.posj.core.chain.Chain}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param index the height: 0 for genesis, previous + 1 after; never negative
 * @param timestamp when the block was made, as text; the hash covers its UTF-8 bytes, so any format
 *     verifies (the node writes {@link GoTimestamp}'s); at most {@value #MAX_TIMESTAMP_LENGTH}
 *     characters, and Unicode text: no unpaired surrogate, which has no UTF-8 form (encoders write
 *     it as {@code ?}, so it would share its hash with another text)
 * @param bpm the block's data: a pulse rate in beats per minute, any 64-bit integer as in the
 *     tutorial
 * @param hash the block's own hash
 * @param prevHash the previous block's hash, {@link Hash#EMPTY} for genesis
 * @param validator who forged it, {@link ValidatorId#NONE} for genesis
 */
public record Block(
    long index, String timestamp, long bpm, Hash hash, Hash prevHash, ValidatorId validator) {

  /** The longest timestamp a block may carry, in UTF-16 characters. */
  public static final int MAX_TIMESTAMP_LENGTH = 128;

  /**
   * The most UTF-8 bytes a valid timestamp takes, which the encoders' buffers are sized for: a
   * character takes at most 3 bytes, a surrogate pair (2 characters) 4.
   */
  static final int MAX_TIMESTAMP_UTF8_LENGTH = 3 * MAX_TIMESTAMP_LENGTH;

  /**
   * Checks the components.
   *
   * @throws NullPointerException if any reference is null
   * @throws IllegalArgumentException if {@code index} is negative, or the timestamp is too long or
   *     has an unpaired surrogate
   */
  public Block {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(validator, "validator");
    if (index < 0) {
      throw new IllegalArgumentException("a block's Index is >= 0, got " + index);
    }
    checkTimestamp(timestamp);
  }

  /**
   * Throws unless {@code timestamp} may be a block's Timestamp: at most {@value
   * #MAX_TIMESTAMP_LENGTH} characters and no unpaired surrogate.
   */
  static void checkTimestamp(String timestamp) {
    Optional<String> problem = timestampProblem(timestamp);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("a block's " + problem.get());
    }
  }

  /**
   * Throws unless a timestamp's UTF-8 form fits the encoders' buffers; always true of a timestamp
   * that passes {@link #checkTimestamp}, checked again where the bytes are written.
   */
  static void checkTimestampUtf8Length(int utf8Length) {
    if (utf8Length > MAX_TIMESTAMP_UTF8_LENGTH) {
      throw new IllegalArgumentException(
          "a block's Timestamp has at most "
              + MAX_TIMESTAMP_UTF8_LENGTH
              + " UTF-8 bytes, got "
              + utf8Length);
    }
  }

  /**
   * What keeps {@code timestamp} from being a block's Timestamp, as {@code "Timestamp ..."} with
   * the expected and the actual value; empty if nothing does.
   */
  static Optional<String> timestampProblem(String timestamp) {
    if (timestamp.length() > MAX_TIMESTAMP_LENGTH) {
      return Optional.of(
          "Timestamp has at most "
              + MAX_TIMESTAMP_LENGTH
              + " characters, got "
              + timestamp.length());
    }
    for (int i = 0; i < timestamp.length(); i++) {
      char c = timestamp.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < timestamp.length()
          && Character.isLowSurrogate(timestamp.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            String.format(
                Locale.ROOT,
                "Timestamp must be Unicode text (every surrogate paired), got an unpaired"
                    + " surrogate U+%04X at character %d",
                (int) c,
                i));
      }
    }
    return Optional.empty();
  }

  /** Whether this block has the shape of a genesis block: Index 0 and an empty PrevHash. */
  public boolean isGenesis() {
    return index == 0 && prevHash.isEmpty();
  }
}
