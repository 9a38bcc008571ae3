package io.github.posj.core.chain;

/**
 * The rules a chain's blocks must keep; a violation names one of these.
 *
 * <p>Immutable; thread-safe.
 */
public enum ChainRule {
  /** A chain has at least its genesis block. */
  NOT_EMPTY("a chain has at least a genesis block"),
  /**
   * The first block has Index 0 and an empty PrevHash; under the go-tutorial scheme also BPM 0 and
   * no Validator ({@link io.github.posj.core.block.HashScheme#genesisShapeViolation}).
   */
  GENESIS_SHAPE(
      "the genesis block has Index 0 and an empty PrevHash (go-tutorial: also BPM 0 and no"
          + " Validator)"),
  /** The genesis block's hash is what the hash scheme accepts for it. */
  GENESIS_HASH("the genesis block's Hash matches its fields under the hash scheme"),
  /** Each block's Index is the previous block's plus one. */
  INDEX_FOLLOWS("Index is the previous block's Index + 1"),
  /** Each block's PrevHash is the previous block's Hash. */
  PREV_HASH_LINKS("PrevHash is the previous block's Hash"),
  /** Each block's Hash recomputes from its fields under the chain's hash scheme. */
  HASH_MATCHES("Hash recomputes from the block's fields under the hash scheme");

  private final String description;

  ChainRule(String description) {
    this.description = description;
  }

  /** The rule in words, for messages. */
  public String description() {
    return description;
  }
}
