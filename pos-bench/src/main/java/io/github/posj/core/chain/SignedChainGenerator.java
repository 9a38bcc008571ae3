package io.github.posj.core.chain;

import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Preimage;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network-mode chain for benchmarks, made with pos-core's own API: a genesis of validators whose
 * keys and onion secrets come from fixed seeds ({@code SHA-256("posj bench key i")}, {@code
 * SHA-256("posj bench onion i")}) and whose stakes are drawn in 1..1000 from a fixed seed,
 * 30-second slots and 8-slot epochs (the defaults of {@code pos devnet init}); then, slot after
 * slot, the block that the slot's leader makes, with a Timestamp 1 to 2 s into the slot, as a
 * node's clock gives it (nanoseconds). Each block is checked with {@link
 * SignedChainState#appendSignatureChecked} as it is made (the signature is this class's own), so
 * every block is valid. The same arguments give the same chain, byte for byte.
 *
 * <p>Each validator's onion is sized for the blocks it is expected to make ({@code 1.25 x} its
 * share of the planned blocks, plus 64); a leader whose onion is used up skips its slot (an empty
 * slot, which the rules allow), so any number of blocks can be made.
 *
 * <p>Not thread-safe; confine to one thread.
 */
public final class SignedChainGenerator {
  /** The genesis time: the start of slot 0. */
  public static final Instant GENESIS_TIME = Instant.parse("2026-12-01T00:00:00Z");

  private final Genesis genesis;
  private final SignedChainState state;
  private final Map<ValidatorId, SigningKey> keys = new HashMap<>();
  private final Map<ValidatorId, Onion> onions = new HashMap<>();
  private final RandomnessSource bpms = RandomnessSource.seeded(72);
  private final long firstNanosIntoSlot;
  private final long spanNanos;
  private long slot;
  private long skipped;

  private SignedChainGenerator(
      int validators,
      long plannedBlocks,
      String chainId,
      Instant genesisTime,
      long slotSeconds,
      long firstNanosIntoSlot,
      long spanNanos) {
    this.firstNanosIntoSlot = firstNanosIntoSlot;
    this.spanNanos = spanNanos;
    RandomnessSource stakes = RandomnessSource.seeded(20261201);
    long[] amounts = new long[validators];
    long total = 0;
    for (int i = 0; i < validators; i++) {
      amounts[i] = 1 + stakes.nextLong(1000);
      total += amounts[i];
    }
    List<GenesisValidator> listed = new ArrayList<>(validators);
    for (int i = 0; i < validators; i++) {
      SigningKey key = SigningKey.fromSeed(sha256("posj bench key " + i).toByteArray());
      long expected = (long) Math.ceil(1.25 * plannedBlocks * amounts[i] / total);
      int length = (int) Math.min(HashOnion.MAX_LENGTH, expected + 64);
      Onion onion = new Onion(sha256("posj bench onion " + i), length);
      keys.put(key.publicKey().address(), key);
      onions.put(key.publicKey().address(), onion);
      listed.add(new GenesisValidator(key.publicKey(), amounts[i], onion.commitment()));
    }
    genesis = Genesis.of(chainId, genesisTime, slotSeconds, Genesis.DEFAULT_EPOCH_SLOTS, listed);
    state = SignedChainState.start(genesis);
  }

  /**
   * A chain of {@code validators} validators, ready to make about {@code plannedBlocks} blocks
   * (more can be made; a validator whose onion runs out then skips its slots).
   *
   * @throws IllegalArgumentException if {@code validators} is outside 1 to {@link
   *     Genesis#MAX_VALIDATORS} or {@code plannedBlocks} is negative
   */
  public static SignedChainGenerator of(int validators, long plannedBlocks) {
    check(validators, plannedBlocks);
    return new SignedChainGenerator(
        validators,
        plannedBlocks,
        "posj-bench",
        GENESIS_TIME,
        Genesis.DEFAULT_SLOT_SECONDS,
        1_000_000_000L,
        1_000_000_000L);
  }

  /**
   * As {@link #of(int, long)} with another chain id, genesis time and slot length, each block's
   * Timestamp within {@code maxNanosIntoSlot} of its slot's start (e.g. a chain whose slots are all
   * over by the system clock, so that a node takes it from a peer).
   *
   * @throws IllegalArgumentException as {@link #of(int, long)}, or if {@code maxNanosIntoSlot} is
   *     not in 1 to {@code slotSeconds} seconds
   */
  public static SignedChainGenerator of(
      int validators,
      long plannedBlocks,
      String chainId,
      Instant genesisTime,
      long slotSeconds,
      long maxNanosIntoSlot) {
    check(validators, plannedBlocks);
    if (maxNanosIntoSlot < 1 || maxNanosIntoSlot > slotSeconds * 1_000_000_000L) {
      throw new IllegalArgumentException(
          "the Timestamp lies in its slot: 1 to " + slotSeconds + " s, got " + maxNanosIntoSlot);
    }
    return new SignedChainGenerator(
        validators, plannedBlocks, chainId, genesisTime, slotSeconds, 0, maxNanosIntoSlot);
  }

  private static void check(int validators, long plannedBlocks) {
    if (validators < 1 || validators > Genesis.MAX_VALIDATORS) {
      throw new IllegalArgumentException(
          "1 to " + Genesis.MAX_VALIDATORS + " validators, got " + validators);
    }
    if (plannedBlocks < 0) {
      throw new IllegalArgumentException("planned blocks >= 0, got " + plannedBlocks);
    }
  }

  /** The genesis. */
  public Genesis genesis() {
    return genesis;
  }

  /** The chain's state after the blocks made so far (block 0 only at first). */
  public SignedChainState state() {
    return state;
  }

  /** How many slots were left empty because their leader's onion was used up. */
  public long skippedSlots() {
    return skipped;
  }

  /** The key of the validator with this address. */
  public SigningKey keyOf(ValidatorId validator) {
    return keys.get(validator);
  }

  /**
   * The next block: made and signed by the leader of the next slot whose leader can still reveal,
   * and appended to {@link #state()}.
   *
   * @throws IllegalStateException if the block breaks a rule (a bug in this generator)
   */
  public SignedBlock next() {
    while (true) {
      slot++;
      ValidatorId leader = state.leaderOf(slot);
      Onion onion = onions.get(leader);
      if (onion.position == 0) {
        skipped++;
        continue;
      }
      long nanos = firstNanosIntoSlot + Math.floorMod(slot * 0x9E3779B97F4A7C15L, spanNanos);
      SignedBlock block =
          SignedBlock.sign(
              keys.get(leader),
              genesis.hash(),
              state.head().index() + 1,
              slot,
              state.head().hash(),
              onion.reveal(),
              60 + bpms.nextLong(41),
              GoTimestamp.format(genesis.slotStart(slot).plusNanos(nanos)));
      state
          .appendSignatureChecked(block)
          .ifPresent(
              v -> {
                throw new IllegalStateException("generated an invalid block: " + v.describe());
              });
      onion.position--;
      return block;
    }
  }

  /** The next {@code count} blocks, in order. */
  public List<SignedBlock> next(int count) {
    List<SignedBlock> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      blocks.add(next());
    }
    return blocks;
  }

  private static Hash sha256(String text) {
    return Preimage.sha256Of(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A validator's onion, every layer computed once ({@link HashOnion#valueAt} recomputes from the
   * secret, O(length) per reveal): {@code 32 (length + 1)} bytes.
   */
  private static final class Onion {
    private final byte[] layers;
    private int position;

    Onion(Hash secret, int length) {
      layers = new byte[Hash.LENGTH * (length + 1)];
      Hash value = secret;
      value.copyTo(layers, 0);
      for (int i = 1; i <= length; i++) {
        value = HashOnion.next(value);
        value.copyTo(layers, i * Hash.LENGTH);
      }
      position = length;
    }

    Hash commitment() {
      return layer(position);
    }

    /** {@code h(position - 1)}: the value below the last one revealed. */
    Hash reveal() {
      return layer(position - 1);
    }

    private Hash layer(int i) {
      byte[] value = new byte[Hash.LENGTH];
      System.arraycopy(layers, i * Hash.LENGTH, value, 0, Hash.LENGTH);
      return Hash.of(value);
    }
  }
}
