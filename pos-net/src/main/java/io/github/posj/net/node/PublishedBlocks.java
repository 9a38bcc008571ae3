package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;
import java.util.Arrays;
import java.util.List;

/**
 * The node's blocks after block 0, appended by the owner thread and read by any thread: a reader
 * sees a prefix that never changes (slots below the published size are written before the size is
 * published through a volatile field, and never again).
 *
 * <p>Thread-safe for readers; {@link #add} is confined to the owner thread.
 */
final class PublishedBlocks {
  private record Snapshot(SignedBlock[] blocks, int size) {}

  private volatile Snapshot snapshot;

  PublishedBlocks(List<SignedBlock> initial) {
    SignedBlock[] blocks = initial.toArray(new SignedBlock[Math.max(16, initial.size() * 2)]);
    snapshot = new Snapshot(blocks, initial.size());
  }

  /** Appends {@code block} (owner thread only). */
  void add(SignedBlock block) {
    Snapshot current = snapshot;
    SignedBlock[] blocks = current.blocks;
    if (current.size == blocks.length) {
      blocks = Arrays.copyOf(blocks, blocks.length * 2);
    }
    blocks[current.size] = block;
    snapshot = new Snapshot(blocks, current.size + 1);
  }

  /** The number of blocks after block 0. */
  int size() {
    return snapshot.size;
  }

  /** The blocks with Index {@code from} (at least 1) and up, at most {@code count}. */
  List<SignedBlock> range(long from, int count) {
    Snapshot current = snapshot;
    if (from > current.size) {
      return List.of();
    }
    int start = (int) (from - 1);
    int end = (int) Math.min(current.size, (long) start + count);
    return List.of(Arrays.copyOfRange(current.blocks, start, end));
  }
}
