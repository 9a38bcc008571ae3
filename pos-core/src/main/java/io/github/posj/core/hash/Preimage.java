package io.github.posj.core.hash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds the bytes that posj hashes or signs: a domain tag and its {@code 0x00}, then
 * self-delimiting fields (LEB128 unsigned varints, big-endian 64-bit integers, fixed-length byte
 * strings, length-prefixed text). Every layout built with it is listed in {@code docs/network.md}.
 *
 * <p>Not thread-safe; confine to one thread (build, then {@link #toByteArray} or {@link #sha256}).
 */
public final class Preimage {
  private byte[] bytes;
  private int length;

  private Preimage(int capacity) {
    bytes = new byte[capacity];
  }

  /** A preimage that starts with {@code tag}'s ASCII bytes and a {@code 0x00}. */
  public static Preimage tagged(String tag) {
    Objects.requireNonNull(tag, "tag");
    Preimage out = new Preimage(128);
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (c == 0 || c >= 0x80) {
        throw new IllegalArgumentException(
            "a domain tag is ASCII without NUL, got \"" + tag + "\"");
      }
      out.put((byte) c);
    }
    out.put((byte) 0);
    return out;
  }

  /**
   * Appends {@code value} as an unsigned LEB128 varint (1 to 10 bytes; negative values are 2^64 +
   * value).
   */
  public Preimage uvarint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    put((byte) v);
    return this;
  }

  /** Appends {@code value} as 8 bytes, big-endian. */
  public Preimage uint64(long value) {
    for (int i = 56; i >= 0; i -= 8) {
      put((byte) (value >>> i));
    }
    return this;
  }

  /** Appends the bytes as they are (no length prefix: for fixed-length fields). */
  public Preimage bytes(byte[] value) {
    Objects.requireNonNull(value, "value");
    ensure(value.length);
    System.arraycopy(value, 0, bytes, length, value.length);
    length += value.length;
    return this;
  }

  /**
   * Appends the hash's 32 bytes (no length prefix).
   *
   * @throws IllegalArgumentException if {@code hash} is {@link Hash#EMPTY}
   */
  public Preimage hash(Hash hash) {
    Objects.requireNonNull(hash, "hash");
    if (hash.isEmpty()) {
      throw new IllegalArgumentException("a fixed-length field needs a 32-byte hash, got \"\"");
    }
    ensure(Hash.LENGTH);
    hash.copyTo(bytes, length);
    length += Hash.LENGTH;
    return this;
  }

  /** Appends {@code uvarint(n)} and the {@code n} UTF-8 bytes of {@code text}. */
  public Preimage text(String text) {
    Objects.requireNonNull(text, "text");
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    uvarint(utf8.length);
    return bytes(utf8);
  }

  /** The bytes so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  /** The SHA-256 of the bytes so far. */
  public Hash sha256() {
    return Sha256HashFunction.instance().digest(bytes, 0, length);
  }

  /** The SHA-256 of {@code bytes}. */
  public static Hash sha256Of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return Sha256HashFunction.instance().digest(bytes, 0, bytes.length);
  }

  private void put(byte b) {
    ensure(1);
    bytes[length++] = b;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
