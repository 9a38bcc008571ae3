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
  HASH_MATCHES("Hash recomputes from the block's fields under the hash scheme"),
  /** Network mode: the first block is block 0 of the genesis ({@code docs/network.md} 3). */
  GENESIS_MATCHES("the first block is block 0 of the genesis"),
  /** Network mode: each block's Slot is greater than its parent's (block 0's is 0). */
  SLOT_ADVANCES("Slot is greater than the previous block's Slot"),
  /** Network mode: the Timestamp is canonical Go-format UTC and lies inside the block's slot. */
  TIMESTAMP_IN_SLOT("Timestamp is canonical Go-format UTC inside the block's slot"),
  /** Network mode: Validator is SHA-256 of PubKey. */
  VALIDATOR_IS_KEY("Validator is SHA-256 of PubKey"),
  /** Network mode: the proposer is the leader the schedule draws for the block's slot. */
  LEADER_FOR_SLOT("the proposer is the slot's leader"),
  /** Network mode: the Reveal hashes to the proposer's previous reveal (first: its commitment). */
  REVEAL_CHAINS("Reveal hashes to the proposer's previous reveal (first: its genesis commitment)"),
  /** Network mode: the Signature is the proposer's Ed25519 signature of the block's preimage. */
  SIGNATURE_VALID("Signature is PubKey's Ed25519 signature of the block's preimage");

  private final String description;

  ChainRule(String description) {
    this.description = description;
  }

  /** The rule in words, for messages. */
  public String description() {
    return description;
  }
}
