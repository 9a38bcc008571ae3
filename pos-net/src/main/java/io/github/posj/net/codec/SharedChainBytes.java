package io.github.posj.net.codec;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.net.protocol.ServerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The bytes of chain broadcasts, made once and shared by every connection: a broadcast costs memory
 * O(chain), not O(chain × connections), and a new block costs the encoding of that block only.
 * {@link #bytes} returns, for a {@link ServerMessage.ChainUpdate} and a mode, exactly what {@link
 * WireFormat#encode} would write, as a read-only view that shares its memory with every other view
 * of the same chain.
 *
 * <p>Not thread-safe; confine to one thread (the node's owner thread, which sends the broadcasts).
 * The bytes it hands out may be read on any thread once handed over (a channel write): bytes once
 * written are never changed.
 */
/*
 * Implementation notes: the chain's JSON array without its closing bracket, "[b0,b1,...", is kept
 * in append-only direct chunks of CHUNK_BYTES (a block's JSON never spans two chunks). Direct, as
 * are the prefixes and suffixes: Netty copies a heap buffer into a new direct buffer for every
 * channel it is written to (AbstractNioByteChannel.filterOutboundMessage), and the JDK copies a
 * heap ByteBuffer into a temporary direct one on every socket write. A broadcast of n
 * blocks is a composite of fixed-length slices of the chunks that hold blocks 0..n-1, with the
 * mode's prefix and suffix: text "]\n", JSON {"type":"chain","blocks": ... "]}\n". Appending to
 * the last chunk writes past every slice already handed out, so those stay valid. The chain of a
 * tutorial-mode node only grows; if a broadcast's blocks do not extend the encoded ones (another
 * chain), the chunks are rebuilt.
 */
public final class SharedChainBytes {
  private static final int FIRST_CHUNK_BYTES = 1 << 16;
  private static final int CHUNK_BYTES = 1 << 20;
  private static final ByteBuf NEW_LINE = constant("\n");
  private static final ByteBuf TEXT_SUFFIX = constant("]\n");
  private static final ByteBuf JSON_PREFIX = constant("{\"type\":\"chain\",\"blocks\":");
  private static final ByteBuf JSON_SUFFIX = constant("]}\n");

  private final List<ByteBuf> chunks = new ArrayList<>();
  private Block lastEncoded;
  private int encodedBlocks;

  private ServerMessage.ChainUpdate lastMessage;
  private ByteBuf lastText;
  private ByteBuf lastJson;

  /**
   * A constant piece of the wire in direct memory, never released. Everything handed to a channel
   * is direct: Netty would copy a heap buffer into a direct one for each connection it is written
   * to, which is the per-connection copy this class exists to avoid.
   */
  private static ByteBuf constant(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Unpooled.unreleasableBuffer(
        Unpooled.directBuffer(bytes.length, bytes.length).writeBytes(bytes).asReadOnly());
  }

  /** An empty cache. */
  public SharedChainBytes() {}

  /**
   * The bytes of {@code message} in {@code mode}: a new reference the caller owns (release it, or
   * hand it to a channel write, which does).
   */
  public ByteBuf bytes(ServerMessage.ChainUpdate message, WireMode mode) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(mode, "mode");
    if (message != lastMessage) {
      prepare(message);
    }
    return switch (mode) {
      case TEXT -> lastText.retainedDuplicate();
      case JSON -> lastJson.retainedDuplicate();
      case JSON_FIRST ->
          Unpooled.wrappedUnmodifiableBuffer(NEW_LINE.duplicate(), lastJson.retainedDuplicate());
    };
  }

  /** Drops every chunk; views already handed out stay valid until released. */
  public void release() {
    releaseLast();
    chunks.forEach(ByteBuf::release);
    chunks.clear();
    lastEncoded = null;
    encodedBlocks = 0;
  }

  private void prepare(ServerMessage.ChainUpdate message) {
    List<Block> blocks = message.blocks();
    if (!extendsEncoded(blocks)) {
      release();
    }
    for (int i = encodedBlocks; i < blocks.size(); i++) {
      append(blocks.get(i), i == 0);
    }
    releaseLast();
    lastMessage = message;
    lastText = compose(blocks.size(), null, TEXT_SUFFIX);
    lastJson = compose(blocks.size(), JSON_PREFIX, JSON_SUFFIX);
  }

  private boolean extendsEncoded(List<Block> blocks) {
    return encodedBlocks <= blocks.size()
        && (encodedBlocks == 0 || blocks.get(encodedBlocks - 1).equals(lastEncoded));
  }

  private void append(Block block, boolean first) {
    byte[] json = ((first ? "[" : ",") + ChainJson.write(block)).getBytes(StandardCharsets.UTF_8);
    ByteBuf chunk = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
    if (chunk == null || chunk.maxWritableBytes() < json.length) {
      // Grows up to CHUNK_BYTES; a slice reads through the buffer, so growing keeps it valid.
      int max = Math.max(CHUNK_BYTES, json.length);
      chunk = Unpooled.directBuffer(Math.min(FIRST_CHUNK_BYTES, max), max);
      chunks.add(chunk);
    }
    chunk.writeBytes(json);
    lastEncoded = block;
    encodedBlocks++;
  }

  /** The first {@code blocks} blocks between {@code prefix} and {@code suffix}, sharing chunks. */
  private ByteBuf compose(int blocks, ByteBuf prefix, ByteBuf suffix) {
    // Every encoded block is in the message (they extend each other), so all chunks are whole.
    List<ByteBuf> parts = new ArrayList<>(chunks.size() + 2);
    if (prefix != null) {
      parts.add(prefix.duplicate());
    }
    for (ByteBuf chunk : chunks) {
      parts.add(chunk.retainedSlice(0, chunk.writerIndex()));
    }
    parts.add(suffix.duplicate());
    if (blocks != encodedBlocks) {
      throw new IllegalStateException(
          "encoded " + encodedBlocks + " blocks for a chain of " + blocks);
    }
    return Unpooled.wrappedUnmodifiableBuffer(parts.toArray(new ByteBuf[0]));
  }

  private void releaseLast() {
    if (lastText != null) {
      lastText.release();
      lastJson.release();
      lastText = null;
      lastJson = null;
      lastMessage = null;
    }
  }

  /** The number of chunks held; for tests. */
  int chunkCount() {
    return chunks.size();
  }
}
