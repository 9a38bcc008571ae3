package io.github.posj.core.block;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Sha256HashFunction;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The original Go program's hash formula, byte for byte, so chains captured from it verify.
 *
 * <p>{@code Hash = hex(SHA-256(string(Index) + Timestamp + string(BPM) + PrevHash))}, where Go's
 * {@code string(int)} is not the decimal number but the UTF-8 encoding of the code point with that
 * value; values that are negative, above U+10FFFF, surrogates or outside the 32-bit range become
 * U+FFFD. PrevHash is its hex text. The Validator is not covered: under this scheme a block can be
 * re-attributed without detection (defect B12 of the tutorial), which is why it is not the default.
 *
 * <p>The original hashes its genesis block while it is still empty, so every genesis hash is {@code
 * SHA-256("\0\0")} = {@value #GENESIS_HASH_HEX}, whatever its timestamp. {@link #genesis(String)}
 * reproduces that, and {@link #verifiesGenesis} accepts it as well as a hash recomputed from the
 * genesis block's own fields.
 *
 * <p>Immutable; thread-safe.
 */
public final class GoTutorialHashScheme implements HashScheme {
  /** The hash of the tutorial's empty genesis block, {@code SHA-256("\0\0")}. */
  public static final String GENESIS_HASH_HEX =
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7";

  static final GoTutorialHashScheme INSTANCE = new GoTutorialHashScheme();

  private static final Hash GENESIS_HASH = Hash.fromHex(GENESIS_HASH_HEX);
  private static final int REPLACEMENT_CHARACTER = 0xFFFD;
  private static final int MAX_LENGTH = 4 + Block.MAX_TIMESTAMP_UTF8_LENGTH + 4 + Hash.HEX_LENGTH;
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[MAX_LENGTH]);

  private GoTutorialHashScheme() {}

  @Override
  public String name() {
    return "go-tutorial";
  }

  @Override
  public Hash hash(long index, String timestamp, long bpm, Hash prevHash, ValidatorId validator) {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(validator, "validator");
    if (timestamp.length() > Block.MAX_TIMESTAMP_LENGTH) {
      Block.checkTimestamp(timestamp); // throws, stating the limit and the length
    }
    byte[] buffer = SCRATCH.get();
    int p = writeGoRune(buffer, 0, index);
    p = writeUtf8(buffer, p, timestamp);
    p = writeGoRune(buffer, p, bpm);
    p += prevHash.writeHexAscii(buffer, p);
    return Sha256HashFunction.instance().digest(buffer, 0, p);
  }

  @Override
  public boolean verifiesGenesis(Block genesis) {
    return genesis.hash().equals(GENESIS_HASH) || verifies(genesis);
  }

  /**
   * Index 0, BPM 0, PrevHash {@code ""} and Validator {@code ""}: the original's genesis block. Its
   * hash, a constant, covers none of the fields, so without this any BPM or Validator would pass.
   */
  @Override
  public Optional<String> genesisShapeViolation(Block genesis) {
    if (genesis.isGenesis() && genesis.bpm() == 0 && genesis.validator().isNone()) {
      return Optional.empty();
    }
    return Optional.of(
        "expected Index 0, BPM 0, PrevHash \"\" and Validator \"\" (the go-tutorial genesis),"
            + " got Index "
            + genesis.index()
            + ", BPM "
            + genesis.bpm()
            + ", PrevHash \""
            + genesis.prevHash().hex()
            + "\" and Validator \""
            + genesis.validator().hex()
            + "\"");
  }

  @Override
  public Block genesis(String timestamp) {
    return new Block(0, timestamp, 0, GENESIS_HASH, Hash.EMPTY, ValidatorId.NONE);
  }

  /**
   * Writes Go's {@code string(v)} for an {@code int} (64-bit) as UTF-8: the runtime keeps {@code v}
   * only if it survives a round trip through {@code rune} (int32), then encodes it as a code point,
   * U+FFFD for surrogates and values past U+10FFFF.
   */
  static int writeGoRune(byte[] buffer, int p, long value) {
    int cp = (int) value;
    if (cp != value || cp < 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
      cp = REPLACEMENT_CHARACTER;
    }
    if (cp < 0x80) {
      buffer[p] = (byte) cp;
      return p + 1;
    }
    if (cp < 0x800) {
      buffer[p] = (byte) (0xC0 | (cp >> 6));
      buffer[p + 1] = (byte) (0x80 | (cp & 0x3F));
      return p + 2;
    }
    if (cp < 0x10000) {
      buffer[p] = (byte) (0xE0 | (cp >> 12));
      buffer[p + 1] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      buffer[p + 2] = (byte) (0x80 | (cp & 0x3F));
      return p + 3;
    }
    buffer[p] = (byte) (0xF0 | (cp >> 18));
    buffer[p + 1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
    buffer[p + 2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
    buffer[p + 3] = (byte) (0x80 | (cp & 0x3F));
    return p + 4;
  }

  private static int writeUtf8(byte[] buffer, int p, String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        // getBytes would write an unpaired surrogate as '?', the preimage of another timestamp.
        Block.checkTimestamp(text);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Block.checkTimestampUtf8Length(utf8.length);
        System.arraycopy(utf8, 0, buffer, p, utf8.length);
        return p + utf8.length;
      }
      buffer[p + i] = (byte) c;
    }
    return p + length;
  }

  @Override
  public String toString() {
    return name();
  }
}
