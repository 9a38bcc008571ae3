package io.github.posj.net.node;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.LeaderSchedule;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.http.NetworkSnapshot;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.RandomAccess;

/**
 * The node's blocks after block 0, appended by the owner thread and read by any thread: a reader
 * sees a prefix that never changes (slots below the published size are written before the size is
 * published through a volatile field, and never again). With each block it keeps the mix after it
 * and the Index of the same validator's previous block, so that the HTTP API can show how any
 * block's leader was drawn ({@link NetworkSnapshot.Chain}).
 *
 * <p>Thread-safe for readers; {@link #add} is confined to the owner thread.
 */
final class PublishedBlocks {
  private static final int MIX = Hash.LENGTH;

  /**
   * Block Index k (k >= 1) and the Index of its validator's previous block (0: none) are at
   * position k - 1; the mix after block k (k >= 0) at [k * 32, k * 32 + 32).
   */
  private static final class Storage {
    final SignedBlock[] blocks;
    final byte[] mixes;
    final long[] previous;

    Storage(int capacity) {
      this(new SignedBlock[capacity], new byte[(capacity + 1) * MIX], new long[capacity]);
    }

    Storage(SignedBlock[] blocks, byte[] mixes, long[] previous) {
      this.blocks = blocks;
      this.mixes = mixes;
      this.previous = previous;
    }
  }

  private final Block block0;

  /** Owner thread only: each validator's last block. */
  private final Map<ValidatorId, Long> lastBy = new HashMap<>();

  private volatile Snapshot snapshot;

  PublishedBlocks(Genesis genesis, List<SignedBlock> initial) {
    this.block0 = genesis.block0();
    int capacity = Math.max(16, initial.size() * 2);
    Storage arrays = new Storage(capacity);
    System.arraycopy(
        LeaderSchedule.of(genesis).initialMix().toByteArray(), 0, arrays.mixes, 0, MIX);
    int size = 0;
    for (SignedBlock block : initial) {
      write(arrays, size, block);
      size++;
    }
    snapshot = new Snapshot(block0, arrays, size);
  }

  /** Appends {@code block} (owner thread only). */
  void add(SignedBlock block) {
    Snapshot current = snapshot;
    Storage arrays = current.arrays;
    if (current.size == arrays.blocks.length) {
      int capacity = arrays.blocks.length * 2;
      arrays =
          new Storage(
              Arrays.copyOf(arrays.blocks, capacity),
              Arrays.copyOf(arrays.mixes, (capacity + 1) * MIX),
              Arrays.copyOf(arrays.previous, capacity));
    }
    write(arrays, current.size, block);
    snapshot = new Snapshot(block0, arrays, current.size + 1);
  }

  /**
   * Drops the blocks after Index {@code index} (owner thread only; a fork choice switch). Readers
   * of an earlier snapshot keep theirs: the kept prefix is copied into new arrays, since the old
   * ones may still be read.
   */
  void rollBackTo(long index) {
    Snapshot current = snapshot;
    if (index < 0 || index > current.size) {
      throw new IllegalArgumentException(
          "cannot roll back to Index " + index + " of " + current.size);
    }
    Storage arrays = current.arrays;
    for (int position = current.size - 1; position >= index; position--) {
      SignedBlock block = arrays.blocks[position];
      long previous = arrays.previous[position];
      if (previous == 0) {
        lastBy.remove(block.block().validator());
      } else {
        lastBy.put(block.block().validator(), previous);
      }
    }
    int capacity = arrays.blocks.length;
    Storage copy =
        new Storage(
            Arrays.copyOf(arrays.blocks, capacity),
            Arrays.copyOf(arrays.mixes, (capacity + 1) * MIX),
            Arrays.copyOf(arrays.previous, capacity));
    Arrays.fill(copy.blocks, (int) index, current.size, null);
    snapshot = new Snapshot(block0, copy, (int) index);
  }

  /** Writes block Index {@code position + 1} and what is kept with it. */
  private void write(Storage arrays, int position, SignedBlock block) {
    long index = position + 1L;
    if (block.index() != index) {
      throw new IllegalArgumentException("expected Index " + index + ", got " + block.index());
    }
    arrays.blocks[position] = block;
    Hash before = Hash.of(Arrays.copyOfRange(arrays.mixes, position * MIX, (position + 1) * MIX));
    byte[] after = LeaderSchedule.mix(before, block.reveal()).toByteArray();
    System.arraycopy(after, 0, arrays.mixes, (position + 1) * MIX, MIX);
    Long previous = lastBy.put(block.block().validator(), index);
    arrays.previous[position] = previous == null ? 0 : previous;
  }

  /** The number of blocks after block 0. */
  int size() {
    return snapshot.size;
  }

  /** The chain as it stands: an immutable prefix. */
  NetworkSnapshot.Chain chain() {
    return snapshot;
  }

  /** The blocks with Index {@code from} (at least 1) and up, at most {@code count}. */
  List<SignedBlock> range(long from, int count) {
    Snapshot current = snapshot;
    if (from > current.size) {
      return List.of();
    }
    int start = (int) (from - 1);
    int end = (int) Math.min(current.size, (long) start + count);
    return List.of(Arrays.copyOfRange(current.arrays.blocks, start, end));
  }

  /** One published prefix. */
  private static final class Snapshot implements NetworkSnapshot.Chain {
    final Block block0;
    final Storage arrays;
    final int size;
    private final List<Block> blocks;

    Snapshot(Block block0, Storage arrays, int size) {
      this.block0 = block0;
      this.arrays = arrays;
      this.size = size;
      this.blocks = new BlockList();
    }

    @Override
    public long height() {
      return size;
    }

    @Override
    public List<Block> blocks() {
      return blocks;
    }

    @Override
    public SignedBlock signed(long index) {
      Objects.checkIndex(index - 1, size);
      return arrays.blocks[(int) index - 1];
    }

    @Override
    public Hash mixAfter(long index) {
      Objects.checkIndex(index, size + 1L);
      int from = (int) index * MIX;
      return Hash.of(Arrays.copyOfRange(arrays.mixes, from, from + MIX));
    }

    @Override
    public OptionalLong previousByValidator(long index) {
      Objects.checkIndex(index - 1, size);
      long previous = arrays.previous[(int) index - 1];
      return previous == 0 ? OptionalLong.empty() : OptionalLong.of(previous);
    }

    /** The six fields of every block from block 0. */
    private final class BlockList extends AbstractList<Block> implements RandomAccess {
      @Override
      public Block get(int index) {
        Objects.checkIndex(index, size + 1);
        return index == 0 ? block0 : arrays.blocks[index - 1].block();
      }

      @Override
      public int size() {
        return size + 1;
      }
    }
  }
}
