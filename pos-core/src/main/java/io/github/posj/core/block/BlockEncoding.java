package io.github.posj.core.block;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The canonical bytes of a block for the {@code posj} hash scheme (version 1): every field but
 * {@code Hash}, in an encoding where no two different blocks give the same bytes.
 *
 * <pre>
 *   0x01                         version
 *   uvarint(Index)               LEB128, 1 to 10 bytes (Index is never negative)
 *   uvarint(zigzag(BPM))         zigzag maps -1,1,-2,.. to 1,2,3,..; then LEB128
 *   PrevHash                     0x00 if empty, else 0x01 and its 32 raw bytes
 *   Validator                    0x00 if none,  else 0x01 and its 32 raw bytes
 *   uvarint(n) Timestamp         n = length of the UTF-8 bytes, then the bytes
 * </pre>
 *
 * <p>Every part is self-delimiting (LEB128 and the tagged hashes are prefix-free, the timestamp is
 * length-prefixed), so the concatenation is unambiguous. A node's own block (a 39-character UTC
 * timestamp, small Index and BPM) encodes in about 111 bytes: two SHA-256 compression blocks.
 *
 * <p>Immutable; thread-safe.
 */
public final class BlockEncoding {
  /** The version byte that starts every encoding. */
  public static final byte VERSION = 1;

  /** The most bytes an encoding can take, for a buffer that fits any block. */
  public static final int MAX_LENGTH =
      1 + 10 + 10 + (1 + Hash.LENGTH) * 2 + 2 + Block.MAX_TIMESTAMP_UTF8_LENGTH;

  private BlockEncoding() {}

  /**
   * The canonical bytes of these block fields.
   *
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException if {@code index} is negative, or {@code timestamp} could not
   *     be a block's (longer than {@value Block#MAX_TIMESTAMP_LENGTH} characters, or an unpaired
   *     surrogate)
   */
  public static byte[] encode(
      long index, String timestamp, long bpm, Hash prevHash, ValidatorId validator) {
    byte[] buffer = new byte[MAX_LENGTH];
    int length = encodeInto(buffer, index, timestamp, bpm, prevHash, validator);
    byte[] out = new byte[length];
    System.arraycopy(buffer, 0, out, 0, length);
    return out;
  }

  /** The canonical bytes of {@code block} (its Hash field is not part of them). */
  public static byte[] encode(Block block) {
    return encode(
        block.index(), block.timestamp(), block.bpm(), block.prevHash(), block.validator());
  }

  /**
   * Writes the canonical bytes into {@code buffer} (at least {@link #MAX_LENGTH} bytes) from
   * position 0 and returns their number. Allocates nothing for an ASCII timestamp.
   *
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException if {@code buffer} is shorter than {@link #MAX_LENGTH}, {@code
   *     index} is negative, or {@code timestamp} could not be a block's (longer than {@value
   *     Block#MAX_TIMESTAMP_LENGTH} characters, or an unpaired surrogate)
   */
  public static int encodeInto(
      byte[] buffer, long index, String timestamp, long bpm, Hash prevHash, ValidatorId validator) {
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(validator, "validator");
    if (buffer.length < MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the buffer holds at least " + MAX_LENGTH + " bytes, got " + buffer.length);
    }
    if (index < 0) {
      throw new IllegalArgumentException("Index must be >= 0, got " + index);
    }
    if (timestamp.length() > Block.MAX_TIMESTAMP_LENGTH) {
      Block.checkTimestamp(timestamp); // throws, stating the limit and the length
    }
    int p = 0;
    buffer[p++] = VERSION;
    p = writeUnsignedVarint(buffer, p, index);
    p = writeUnsignedVarint(buffer, p, (bpm << 1) ^ (bpm >> 63));
    p = writeTaggedHash(buffer, p, prevHash);
    p = writeTaggedHash(buffer, p, validator.value());
    return writeTimestamp(buffer, p, timestamp);
  }

  private static int writeTaggedHash(byte[] buffer, int p, Hash hash) {
    if (hash.isEmpty()) {
      buffer[p] = 0;
      return p + 1;
    }
    buffer[p] = 1;
    hash.copyTo(buffer, p + 1);
    return p + 1 + Hash.LENGTH;
  }

  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): exact once all are ASCII
  private static int writeTimestamp(byte[] buffer, int p, String timestamp) {
    int length = timestamp.length();
    // Two passes for ASCII (what the node writes), the length prefix being the character count:
    // a read-only scan whose loop has no branch and no store (the characters' bits are or-ed, and
    // one test after the loop tells whether one was not ASCII), then the String's own bulk copy of
    // each character's low byte, which is the character itself when all are ASCII. Together about
    // two thirds of the time of one loop that copies while it checks (docs/benchmarks.md).
    int seen = 0;
    for (int i = 0; i < length; i++) {
      seen |= timestamp.charAt(i);
    }
    if (seen >= 0x80) {
      // The low bytes are not the text; and getBytes(UTF_8) would write an unpaired surrogate as
      // '?', the preimage of another timestamp.
      Block.checkTimestamp(timestamp);
      byte[] utf8 = timestamp.getBytes(StandardCharsets.UTF_8);
      Block.checkTimestampUtf8Length(utf8.length);
      int q = writeUnsignedVarint(buffer, p, utf8.length);
      System.arraycopy(utf8, 0, buffer, q, utf8.length);
      return q + utf8.length;
    }
    int start = writeUnsignedVarint(buffer, p, length);
    timestamp.getBytes(0, length, buffer, start);
    return start + length;
  }

  /** Writes {@code value} as unsigned LEB128 (7 bits a byte, low first, high bit = more). */
  static int writeUnsignedVarint(byte[] buffer, int p, long value) {
    // One and two bytes (values below 2^14 = 16,384: a heart rate's BPM, every timestamp length, a
    // chain's first 16,384 Indexes) without the loop, whose exit test and safepoint check cost
    // more than the bytes.
    if ((value & ~0x7FL) == 0) {
      buffer[p] = (byte) value;
      return p + 1;
    }
    if ((value & ~0x3FFFL) == 0) {
      buffer[p] = (byte) (value | 0x80);
      buffer[p + 1] = (byte) (value >>> 7);
      return p + 2;
    }
    long v = value;
    while ((v & ~0x7FL) != 0) {
      buffer[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buffer[p++] = (byte) v;
    return p;
  }
}
