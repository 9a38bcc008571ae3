package io.github.posj.core.crypto;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/** Reading keys and signatures: fixed-length byte strings and their lowercase hex. */
final class FixedBytes {
  private FixedBytes() {}

  /** A copy of {@code bytes}, which must have {@code length} bytes. */
  static byte[] copyOf(byte[] bytes, int length, String what) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != length) {
      throw new IllegalArgumentException(what + " has " + length + " bytes, got " + bytes.length);
    }
    return bytes.clone();
  }

  /** The bytes of exactly {@code 2 * length} lowercase hex digits, or empty. */
  static Optional<byte[]> parseHex(String hex, int length) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 2 * length) {
      return Optional.empty();
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return Optional.empty();
      }
    }
    return Optional.of(HexFormat.of().parseHex(hex));
  }

  /** {@code parseHex}, or an exception that states the expected shape. */
  static byte[] fromHex(String hex, int length, String what) {
    return parseHex(hex, length)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    what
                        + " is "
                        + 2 * length
                        + " lowercase hex characters, got \""
                        + io.github.posj.core.text.UntrustedText.escape(hex)
                        + "\""));
  }
}
