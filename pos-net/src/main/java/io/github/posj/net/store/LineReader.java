package io.github.posj.net.store;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Splits a stream into {@code \n}-terminated lines of at most {@link ChainFile#MAX_LINE_BYTES}
 * bytes, holding one line at a time, and decodes a line strictly as UTF-8.
 *
 * <p>Not thread-safe; confine to one thread.
 */
final class LineReader {
  /** What {@link #next} found. */
  enum Kind {
    /** A line ended by {@code \n} (not included). */
    LINE,
    /** Bytes after the last {@code \n}, up to the end of the stream. */
    UNTERMINATED,
    /** A line longer than the limit; reading stops there. */
    TOO_LONG,
    /** The end of the stream, with no bytes after the last {@code \n}. */
    END
  }

  private final InputStream in;
  private final byte[] chunk = new byte[64 * 1024];
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private int position;
  private int limit;
  private byte[] line = new byte[2048];
  private int length;
  private long offset;
  private int malformedAt;

  LineReader(InputStream in) {
    this.in = in;
  }

  /** Reads the next line into this reader (see {@link #decode}). */
  Kind next() throws IOException {
    return next(ChainFile.MAX_LINE_BYTES);
  }

  /**
   * Reads the next line of at most {@code maxBytes} bytes (a header may be longer than a block).
   */
  Kind next(int maxBytes) throws IOException {
    length = 0;
    while (true) {
      if (position == limit) {
        limit = Math.max(0, in.read(chunk, 0, chunk.length));
        position = 0;
        if (limit == 0) {
          return length == 0 ? Kind.END : Kind.UNTERMINATED;
        }
      }
      int end = position;
      while (end < limit && chunk[end] != '\n') {
        end++;
      }
      int taken = end - position;
      if (length + taken > maxBytes) {
        return Kind.TOO_LONG;
      }
      if (length + taken > line.length) {
        line = Arrays.copyOf(line, Math.min(maxBytes, 2 * (length + taken)));
      }
      System.arraycopy(chunk, position, line, length, taken);
      length += taken;
      offset += taken;
      position = end;
      if (end < limit) {
        position++;
        offset++;
        return Kind.LINE;
      }
    }
  }

  /**
   * The last line as a block, if it is in the exact form posj writes ({@link
   * ChainJson#parseCanonicalBlock}); empty otherwise (read it with {@link #text}).
   */
  Optional<Block> canonicalBlock() {
    return ChainJson.parseCanonicalBlock(line, 0, length);
  }

  /**
   * The last line as a signed block, if it is in the exact form posj writes ({@link
   * SignedBlockJson#parseCanonical}); empty otherwise (read it with {@link #text}).
   */
  Optional<SignedBlock> canonicalSignedBlock() {
    return SignedBlockJson.parseCanonical(line, 0, length);
  }

  /** How many bytes of the stream the lines read so far hold, newlines included. */
  long offset() {
    return offset;
  }

  /** The last line as text, or empty when it is not UTF-8 (then {@link #notUtf8} says where). */
  Optional<String> text() {
    ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
    CharBuffer chars = CharBuffer.allocate(length);
    decoder.reset();
    CoderResult result = decoder.decode(bytes, chars, true);
    if (!result.isError()) {
      result = decoder.flush(chars);
    }
    if (result.isError()) {
      malformedAt = bytes.position();
      return Optional.empty();
    }
    return Optional.of(chars.flip().toString());
  }

  /** Where the last line that {@link #text} found not UTF-8 breaks: "column N, byte 0xNN". */
  String notUtf8() {
    return "column "
        + (malformedAt + 1)
        + (malformedAt < length
            ? ", byte 0x" + String.format("%02x", line[malformedAt] & 0xff)
            : ", the line ends inside a character");
  }
}
