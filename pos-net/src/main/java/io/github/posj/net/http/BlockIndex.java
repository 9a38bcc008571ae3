package io.github.posj.net.http;

import io.github.posj.core.block.Block;
import io.github.posj.core.hash.Hash;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Finds a block by its hash: an index of the chain's blocks built on the first look-up and extended
 * by each later one to the chain it is given (chains only grow, and snapshots share their blocks).
 *
 * <p>Thread-safe: look-ups are serialised (each is O(1) on average, plus the blocks added since the
 * last one).
 */
/*
 * Implementation notes: an open-addressing table of block positions (an int each), probed linearly
 * from the hash's hashCode, at most half full. A hit is confirmed by comparing the block's hash, so
 * the table holds no Hash objects of its own: 8 bytes per block at worst (a 10^6-block chain: 8
 * MiB), against about 50 for a HashMap<Hash, Integer>. Built lazily, since most nodes are never
 * asked for a block by hash.
 */
final class BlockIndex {
  private static final int EMPTY = -1;

  private int[] slots = new int[0];
  private int indexed;

  /**
   * The position in {@code blocks} (a chain's blocks from block 0, or a longer list of the same
   * chain) of the block whose hash is {@code hash}, if any.
   */
  synchronized OptionalInt find(List<Block> blocks, Hash hash) {
    if (blocks.size() < indexed) {
      // Another chain than the one indexed (a node does not shrink its chain): start again.
      slots = new int[0];
      indexed = 0;
    }
    if (blocks.size() > indexed) {
      grow(blocks, blocks.size());
      for (int i = indexed; i < blocks.size(); i++) {
        insert(blocks.get(i).hash(), i);
      }
      indexed = blocks.size();
    }
    if (slots.length == 0) {
      return OptionalInt.empty();
    }
    int mask = slots.length - 1;
    for (int slot = hash.hashCode() & mask; slots[slot] != EMPTY; slot = (slot + 1) & mask) {
      if (blocks.get(slots[slot]).hash().equals(hash)) {
        return OptionalInt.of(slots[slot]);
      }
    }
    return OptionalInt.empty();
  }

  private void grow(List<Block> blocks, int size) {
    if (size * 2L <= slots.length) {
      return;
    }
    int capacity = Integer.highestOneBit(Math.max(16, size * 4 - 1));
    slots = new int[capacity];
    Arrays.fill(slots, EMPTY);
    for (int i = 0; i < indexed; i++) {
      insert(blocks.get(i).hash(), i);
    }
  }

  private void insert(Hash hash, int position) {
    int mask = slots.length - 1;
    int slot = hash.hashCode() & mask;
    while (slots[slot] != EMPTY) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = position;
  }
}
