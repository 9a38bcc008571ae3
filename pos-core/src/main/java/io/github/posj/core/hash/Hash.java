package io.github.posj.core.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A 32-byte SHA-256 digest, or the empty hash that a genesis block has as its {@code PrevHash}.
 *
 * <p>On the wire (the tutorial's JSON) a hash is 64 lowercase hexadecimal characters, and the empty
 * hash is the empty string {@code ""}. Bytes are copied on the way in and out, and two hashes are
 * equal when their bytes are.
 *
 * <p>Immutable; thread-safe.
 */
public final class Hash implements Comparable<Hash> {
  /** Length in bytes of a non-empty hash. */
  public static final int LENGTH = 32;

  /** Length in characters of the hex form of a non-empty hash. */
  public static final int HEX_LENGTH = 2 * LENGTH;

  /** The empty hash: no bytes, written {@code ""}. The genesis block's {@code PrevHash}. */
  public static final Hash EMPTY = new Hash(new byte[0]);

  /** Eight bytes of an array as a long, the first in the high byte (for reads and stores). */
  private static final VarHandle EIGHT_BYTES_HIGH_FIRST =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Eight bytes of an array as a long, in the platform's order (for copies). */
  private static final VarHandle EIGHT_BYTES =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private static final ThreadLocal<byte[]> HEX_SCRATCH =
      ThreadLocal.withInitial(() -> new byte[HEX_LENGTH]);

  private final byte[] bytes;

  // Racy single-check cache (as String.hashCode): the String is immutable, so a thread that sees
  // the field non-null sees a whole string; at worst two threads compute it twice.
  private String hex;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Returns the hash with these bytes (copied).
   *
   * @throws IllegalArgumentException if {@code bytes} is not exactly {@value #LENGTH} bytes long
   */
  public static Hash of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a hash has " + LENGTH + " bytes, got " + bytes.length + " bytes");
    }
    return new Hash(bytes.clone());
  }

  /**
   * Parses {@code length} ASCII bytes of {@code text} from {@code offset} as {@link
   * #parseHex(String)} does: none for {@link #EMPTY}, or exactly 64 lowercase hex digits.
   *
   * @return the hash, or empty if the bytes are neither
   * @throws IndexOutOfBoundsException if the range is not within {@code text}
   */
  public static Optional<Hash> parseHex(byte[] text, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, text.length);
    if (length == 0) {
      return Optional.of(EMPTY);
    }
    if (length != HEX_LENGTH) {
      return Optional.empty();
    }
    byte[] out = new byte[LENGTH];
    int invalid = 0;
    for (int i = 0, at = offset; i < LENGTH; i++, at += 2) {
      // A table lookup per digit; a non-digit is -1, which sets the sign bit of invalid.
      int high = HEX_DIGIT[text[at] & 0xff];
      int low = HEX_DIGIT[text[at + 1] & 0xff];
      invalid |= high | low;
      out[i] = (byte) ((high << 4) | low);
    }
    return invalid < 0 ? Optional.empty() : Optional.of(new Hash(out));
  }

  /**
   * Parses the wire form: {@code ""} for {@link #EMPTY}, otherwise exactly 64 lowercase hex digits.
   *
   * @throws IllegalArgumentException with the offending text if {@code hex} is neither
   */
  public static Hash fromHex(String hex) {
    return parseHex(hex)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "a hash is \"\" or 64 lowercase hex digits, got \"" + abbreviate(hex) + "\""));
  }

  /**
   * Parses the wire form like {@link #fromHex}, returning empty instead of throwing for text that
   * is not a hash (the normal outcome for untrusted input).
   */
  public static Optional<Hash> parseHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.isEmpty()) {
      return Optional.of(EMPTY);
    }
    if (hex.length() != HEX_LENGTH) {
      return Optional.empty();
    }
    byte[] out = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      int high = lowerHexValue(hex.charAt(2 * i));
      int low = lowerHexValue(hex.charAt(2 * i + 1));
      if (high < 0 || low < 0) {
        return Optional.empty();
      }
      out[i] = (byte) ((high << 4) | low);
    }
    Hash hash = new Hash(out);
    hash.hex = hex;
    return Optional.of(hash);
  }

  /** Each byte's value as a lowercase hex digit, or -1. */
  private static final byte[] HEX_DIGIT = hexDigits();

  private static byte[] hexDigits() {
    byte[] digits = new byte[256];
    for (int b = 0; b < digits.length; b++) {
      digits[b] = (byte) lowerHexValue((char) b);
    }
    return digits;
  }

  private static int lowerHexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  /** Whether this is {@link #EMPTY}. */
  public boolean isEmpty() {
    return bytes.length == 0;
  }

  /** The number of bytes: {@value #LENGTH}, or 0 for {@link #EMPTY}. */
  public int length() {
    return bytes.length;
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Copies the bytes into {@code destination} at {@code offset}, without allocating. */
  public void copyTo(byte[] destination, int offset) {
    byte[] source = bytes;
    Objects.checkFromIndexSize(offset, source.length, destination.length);
    if (source.length == 0) {
      return;
    }
    // Four eight-byte moves written out, all four reads first: at 32 bytes, about a third of the
    // time of the same moves in a loop over the length, and of the general array copy.
    long first = (long) EIGHT_BYTES.get(source, 0);
    long second = (long) EIGHT_BYTES.get(source, 8);
    long third = (long) EIGHT_BYTES.get(source, 16);
    long fourth = (long) EIGHT_BYTES.get(source, 24);
    EIGHT_BYTES.set(destination, offset, first);
    EIGHT_BYTES.set(destination, offset + 8, second);
    EIGHT_BYTES.set(destination, offset + 16, third);
    EIGHT_BYTES.set(destination, offset + 24, fourth);
  }

  /**
   * Writes the lowercase hex form as ASCII bytes into {@code destination} at {@code offset},
   * without allocating; returns the number of bytes written (64, or 0 for {@link #EMPTY}).
   */
  public int writeHexAscii(byte[] destination, int offset) {
    byte[] source = bytes;
    Objects.checkFromIndexSize(offset, 2 * source.length, destination.length);
    if (source.length == 0) {
      return 0;
    }
    // Eight bytes at a time, written out (no loop over the length), each half's eight hex digits
    // in one long: no table, no branch.
    writeSixteenHexDigits(source, 0, destination, offset);
    writeSixteenHexDigits(source, 8, destination, offset + 16);
    writeSixteenHexDigits(source, 16, destination, offset + 32);
    writeSixteenHexDigits(source, 24, destination, offset + 48);
    return HEX_LENGTH;
  }

  private static void writeSixteenHexDigits(byte[] source, int at, byte[] destination, int offset) {
    long eight = (long) EIGHT_BYTES_HIGH_FIRST.get(source, at);
    EIGHT_BYTES_HIGH_FIRST.set(destination, offset, hexDigits((int) (eight >>> 32)));
    EIGHT_BYTES_HIGH_FIRST.set(destination, offset + Long.BYTES, hexDigits((int) eight));
  }

  /**
   * The eight lowercase hex digits of {@code four} as ASCII bytes, the first (most significant
   * nibble) in the long's highest byte: each nibble spread into a byte, then {@code '0' + nibble},
   * plus {@code 'a' - '0' - 10 = 39} where the nibble is 10 or more (its byte + 6 carries into bit
   * 4).
   */
  static long hexDigits(int four) {
    long v = four & 0xFFFF_FFFFL;
    v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFFL;
    v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FFL;
    v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0FL;
    long letters = ((v + 0x0606_0606_0606_0606L) >>> 4) & 0x0101_0101_0101_0101L;
    return v + 0x3030_3030_3030_3030L + letters * 39;
  }

  /** The wire form: 64 lowercase hex digits, or {@code ""} for {@link #EMPTY}. */
  public String hex() {
    String result = hex;
    if (result == null) {
      // The digits go into a per-thread scratch array, then into a String with one array copy:
      // the String's own array is the only one allocated. The (deprecated) byte-per-char
      // constructor makes a compact Latin-1 String from ASCII with fewer steps than a charset.
      byte[] ascii = HEX_SCRATCH.get();
      int length = writeHexAscii(ascii, 0);
      result = asciiString(ascii, length);
      hex = result;
    }
    return result;
  }

  /** A compact Latin-1 {@code String} of the first {@code length} bytes of {@code ascii}. */
  @SuppressWarnings("deprecation") // the only String constructor without a charset lookup
  private static String asciiString(byte[] ascii, int length) {
    return new String(ascii, 0, 0, length);
  }

  /** Unsigned lexicographic order of the bytes; {@link #EMPTY} sorts first. */
  @Override
  public int compareTo(Hash other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Hash && Arrays.equals(bytes, ((Hash) other).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The hex form, as {@link #hex()}. */
  @Override
  public String toString() {
    return hex();
  }

  /** Wraps {@code bytes} without copying; the caller hands over ownership. */
  static Hash wrap(byte[] bytes) {
    return new Hash(bytes);
  }
}
