package io.github.posj.core.chain;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.stake.ValidatorId;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A valid chain of blocks under one {@link HashScheme}: a genesis block, then blocks that each
 * follow, link to and hash as the rules ({@link ChainRule}) say. A {@code Chain} can only be made
 * valid: by {@link #genesis}, {@link #append} or {@link #validate}.
 *
 * <p>Appending returns a new chain and leaves this one as it was. Snapshots share their blocks, so
 * appending is amortised O(1) and handing a chain to another thread copies nothing.
 *
 * <p>Immutable; thread-safe.
 */
/*
 * Implementation notes: chains that grow from one another share one backing array. Each array has
 * an AtomicInteger "claimed" that says how many slots some chain has filled. Appending to a chain
 * of size n writes slot n in place only if it wins the claim from n to n + 1 (so only the first
 * of two chains that branch from the same snapshot extends the array; the other copies its first
 * n blocks into a new array). A chain never reads past its own size, and the slot it reads was
 * written before the chain object that covers it was constructed; the final fields publish it to
 * any thread (JLS 17.5). This is the usual "append-only vector with a claimed tail" trick; it
 * keeps the owner's hot path (append, then hand out the snapshot) free of copies.
 */
public final class Chain {
  private static final int INITIAL_CAPACITY = 16;

  private final HashScheme scheme;
  private final Block[] blocks;
  private final int size;
  private final AtomicInteger claimed;
  private final List<Block> view;

  private Chain(HashScheme scheme, Block[] blocks, int size, AtomicInteger claimed) {
    this.scheme = scheme;
    this.blocks = blocks;
    this.size = size;
    this.claimed = claimed;
    this.view = new BlockView(blocks, size);
  }

  /**
   * Starts a chain with the scheme's genesis block at {@code timestamp} (handed in: pos-core reads
   * no clock).
   *
   * @throws IllegalArgumentException if {@code timestamp} could not be a block's (over {@value
   *     Block#MAX_TIMESTAMP_LENGTH} characters, or an unpaired surrogate)
   */
  public static Chain genesis(HashScheme scheme, String timestamp) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(timestamp, "timestamp");
    Block[] array = new Block[INITIAL_CAPACITY];
    array[0] = scheme.genesis(timestamp);
    return new Chain(scheme, array, 1, new AtomicInteger(1));
  }

  /**
   * Checks a whole chain received from elsewhere, block by block, and reports the first block that
   * breaks a rule, or the valid {@link Chain}.
   *
   * @throws NullPointerException if {@code blocks}, an element of it or {@code scheme} is null (the
   *     message names the position)
   */
  public static ChainValidation validate(List<Block> blocks, HashScheme scheme) {
    Objects.requireNonNull(blocks, "blocks");
    Objects.requireNonNull(scheme, "scheme");
    if (blocks.isEmpty()) {
      return empty();
    }
    Block genesis = requireBlock(blocks, 0);
    Optional<Violation> genesisViolation = checkGenesis(genesis, scheme);
    if (genesisViolation.isPresent()) {
      return genesisViolation.get().at(0, genesis);
    }
    Block[] array = new Block[Math.max(INITIAL_CAPACITY, blocks.size())];
    array[0] = genesis;
    for (int i = 1; i < blocks.size(); i++) {
      Block block = requireBlock(blocks, i);
      Optional<Violation> violation = check(array[i - 1], block, scheme);
      if (violation.isPresent()) {
        return violation.get().at(i, block);
      }
      array[i] = block;
    }
    return new ChainValidation.Valid(
        new Chain(scheme, array, blocks.size(), new AtomicInteger(blocks.size())));
  }

  private static Block requireBlock(List<Block> blocks, int position) {
    return Objects.requireNonNull(
        blocks.get(position),
        () -> "blocks holds null at position " + position + " of " + blocks.size());
  }

  /** Appends {@code block} if it follows, links to and hashes as the head requires. */
  public AppendResult append(Block block) {
    Objects.requireNonNull(block, "block");
    Optional<Violation> violation = check(head(), block, scheme);
    if (violation.isPresent()) {
      return new AppendResult.Rejected(block, violation.get().rule(), violation.get().detail());
    }
    return new AppendResult.Accepted(appendUnchecked(block));
  }

  /**
   * Whether {@code block} would be accepted by {@link #append}, and if not, why; empty when it
   * would.
   */
  public Optional<AppendResult.Rejected> checkNext(Block block) {
    return check(head(), block, scheme)
        .map(v -> new AppendResult.Rejected(block, v.rule(), v.detail()));
  }

  /**
   * Makes the block that {@code validator} proposes with {@code bpm} on top of this chain's head,
   * sealed under this chain's scheme. The block is not appended.
   *
   * @throws IllegalArgumentException if {@code timestamp} could not be a block's (over {@value
   *     Block#MAX_TIMESTAMP_LENGTH} characters, or an unpaired surrogate)
   */
  public Block nextBlock(long bpm, String timestamp, ValidatorId validator) {
    Block head = head();
    return scheme.seal(head.index() + 1, timestamp, bpm, head.hash(), validator);
  }

  /**
   * Returns {@code candidate} if it is longer than this chain and starts from the same genesis
   * block under the same scheme, else this chain: the tutorial's "longest valid chain wins" rule as
   * a pure function. Both chains are valid by construction.
   */
  public Chain preferLonger(Chain candidate) {
    Objects.requireNonNull(candidate, "candidate");
    boolean sameOrigin =
        candidate.scheme.name().equals(scheme.name())
            && candidate.genesisBlock().equals(genesisBlock());
    return sameOrigin && candidate.size > size ? candidate : this;
  }

  /** The hash scheme every block of this chain is checked under. */
  public HashScheme scheme() {
    return scheme;
  }

  /** The newest block. */
  public Block head() {
    return blocks[size - 1];
  }

  /** The first block. */
  public Block genesisBlock() {
    return blocks[0];
  }

  /** The number of blocks, genesis included. */
  public int size() {
    return size;
  }

  /** The head's Index: the number of blocks after genesis. */
  public long height() {
    return head().index();
  }

  /** The blocks, oldest first: an unmodifiable view that costs nothing to make. */
  public List<Block> blocks() {
    return view;
  }

  @Override
  public String toString() {
    return "Chain[" + scheme.name() + ", size=" + size + ", head=" + head().hash().hex() + "]";
  }

  private Chain appendUnchecked(Block block) {
    if (size < blocks.length && claimed.compareAndSet(size, size + 1)) {
      blocks[size] = block;
      return new Chain(scheme, blocks, size + 1, claimed);
    }
    Block[] copy = new Block[Math.max(INITIAL_CAPACITY, size * 2)];
    System.arraycopy(blocks, 0, copy, 0, size);
    copy[size] = block;
    return new Chain(scheme, copy, size + 1, new AtomicInteger(size + 1));
  }

  /** What {@link #validate} says of no blocks at all. */
  static ChainValidation.Invalid empty() {
    return new ChainValidation.Invalid(
        0, Optional.empty(), ChainRule.NOT_EMPTY, "the list has no blocks");
  }

  /** The rule {@code genesis} breaks as the first block of a chain under {@code scheme}, if any. */
  static Optional<Violation> checkGenesis(Block genesis, HashScheme scheme) {
    Optional<String> shape = scheme.genesisShapeViolation(genesis);
    if (shape.isPresent()) {
      return Optional.of(new Violation(ChainRule.GENESIS_SHAPE, shape.get()));
    }
    if (!scheme.verifiesGenesis(genesis)) {
      return Optional.of(
          new Violation(
              ChainRule.GENESIS_HASH,
              "expected "
                  + scheme.hash(genesis).hex()
                  + " ("
                  + scheme.name()
                  + " scheme), got "
                  + genesis.hash().hex()));
    }
    return Optional.empty();
  }

  /** The rule {@code block} breaks as the block after {@code previous}, if any. */
  static Optional<Violation> check(Block previous, Block block, HashScheme scheme) {
    if (block.index() != previous.index() + 1) {
      return Optional.of(
          new Violation(
              ChainRule.INDEX_FOLLOWS,
              "expected Index " + (previous.index() + 1) + ", got " + block.index()));
    }
    if (!block.prevHash().equals(previous.hash())) {
      return Optional.of(
          new Violation(
              ChainRule.PREV_HASH_LINKS,
              "expected PrevHash "
                  + previous.hash().hex()
                  + ", got \""
                  + block.prevHash().hex()
                  + "\""));
    }
    if (!scheme.verifies(block)) {
      return Optional.of(
          new Violation(
              ChainRule.HASH_MATCHES,
              "expected Hash "
                  + scheme.hash(block).hex()
                  + " ("
                  + scheme.name()
                  + " scheme), got "
                  + block.hash().hex()));
    }
    return Optional.empty();
  }

  /** A broken rule and its expected and actual values, before it is placed in a chain. */
  record Violation(ChainRule rule, String detail) {
    /** This violation by {@code block} at {@code position} of the blocks checked. */
    ChainValidation.Invalid at(int position, Block block) {
      return new ChainValidation.Invalid(position, Optional.of(block), rule, detail);
    }
  }

  private static final class BlockView extends AbstractList<Block> implements RandomAccess {
    private final Block[] blocks;
    private final int size;

    BlockView(Block[] blocks, int size) {
      this.blocks = blocks;
      this.size = size;
    }

    @Override
    public Block get(int index) {
      Objects.checkIndex(index, size);
      return blocks[index];
    }

    @Override
    public int size() {
      return size;
    }
  }
}
