package io.github.posj.core.block;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a block's {@code Hash} is computed from its other fields.
 *
 * <p>Two schemes exist: {@link #posj()}, the default, which covers every field including the
 * validator through an unambiguous binary encoding ({@link BlockEncoding}); and {@link
 * #goTutorial()}, which reproduces the original Go program's formula byte for byte so that chains
 * captured from it verify.
 *
 * <p>Contract: {@link #hash} is a pure function of the five fields it is given (the same fields
 * always give the same hash, on any JVM); implementations are immutable and thread-safe.
 */
public interface HashScheme {
  /** The scheme's name, as used by {@code --hash-scheme}: {@code posj} or {@code go-tutorial}. */
  String name();

  /**
   * The hash of a block with these fields.
   *
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException if {@code timestamp} could not be a block's: longer than
   *     {@value Block#MAX_TIMESTAMP_LENGTH} characters, or with an unpaired surrogate (the message
   *     states the limit and what was given); the posj scheme also refuses a negative {@code index}
   */
  Hash hash(long index, String timestamp, long bpm, Hash prevHash, ValidatorId validator);

  /** The hash of {@code block}'s fields, ignoring the hash it carries. */
  default Hash hash(Block block) {
    return hash(block.index(), block.timestamp(), block.bpm(), block.prevHash(), block.validator());
  }

  /** Whether {@code block}'s hash is what this scheme computes for it. */
  default boolean verifies(Block block) {
    return block.hash().equals(hash(block));
  }

  /**
   * Whether a genesis block's hash is acceptable. By default the same rule as any block; the
   * go-tutorial scheme also accepts the original program's constant (its genesis was hashed while
   * empty).
   */
  default boolean verifiesGenesis(Block genesis) {
    return verifies(genesis);
  }

  /**
   * Why {@code genesis} does not have the shape of this scheme's genesis block, whatever its hash,
   * as {@code "expected ..., got ..."}; empty if it has. Every scheme requires Index 0 and an empty
   * PrevHash. The go-tutorial scheme also requires BPM 0 and no Validator, as the original's
   * genesis always has: its genesis hash is a constant that covers neither.
   */
  default Optional<String> genesisShapeViolation(Block genesis) {
    if (genesis.isGenesis()) {
      return Optional.empty();
    }
    return Optional.of(
        "expected Index 0 and PrevHash \"\", got Index "
            + genesis.index()
            + " and PrevHash \""
            + genesis.prevHash().hex()
            + "\"");
  }

  /**
   * Makes the genesis block: Index 0, BPM 0, no PrevHash, no validator, at {@code timestamp}.
   *
   * @throws IllegalArgumentException if {@code timestamp} could not be a block's, as for {@link
   *     #hash(long, String, long, Hash, ValidatorId)}
   */
  default Block genesis(String timestamp) {
    return seal(0, timestamp, 0, Hash.EMPTY, ValidatorId.NONE);
  }

  /**
   * Makes a block whose hash is computed by this scheme.
   *
   * @throws IllegalArgumentException if the fields could not be a block's ({@link Block})
   */
  default Block seal(long index, String timestamp, long bpm, Hash prevHash, ValidatorId validator) {
    return new Block(
        index,
        timestamp,
        bpm,
        hash(index, timestamp, bpm, prevHash, validator),
        prevHash,
        validator);
  }

  /** The default scheme: SHA-256 over {@link BlockEncoding}, covering every field but Hash. */
  static HashScheme posj() {
    return PosjHashScheme.INSTANCE;
  }

  /** The original program's formula; see {@link GoTutorialHashScheme}. */
  static HashScheme goTutorial() {
    return GoTutorialHashScheme.INSTANCE;
  }

  /** Every scheme, default first. */
  static List<HashScheme> all() {
    return List.of(posj(), goTutorial());
  }

  /** The scheme with this name (case-insensitive), or empty. */
  static Optional<HashScheme> named(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return all().stream().filter(s -> s.name().equals(wanted)).findFirst();
  }
}
