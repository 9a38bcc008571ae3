package io.github.posj.core.testing;

import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.genesis.GenesisValidator;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Sha256HashFunction;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small network-mode chain for tests: validators with fixed keys and short onions, a genesis, and
 * a way to forge the valid block of any slot as its leader would.
 *
 * <p>Immutable; thread-safe.
 */
public final class TestNetwork {
  /** The genesis time of every test network. */
  public static final Instant GENESIS_TIME = Instant.parse("2026-12-01T00:00:00Z");

  /** The onion length of every test validator. */
  public static final int ONION_LENGTH = 256;

  private final Genesis genesis;
  private final Map<ValidatorId, SigningKey> keys = new HashMap<>();
  private final Map<ValidatorId, HashOnion> onions = new HashMap<>();

  private TestNetwork(long[] stakes, long slotSeconds, long epochSlots) {
    List<GenesisValidator> validators = new ArrayList<>();
    for (int i = 0; i < stakes.length; i++) {
      SigningKey key = key(i);
      HashOnion onion = HashOnion.of(sha256("test onion " + i), ONION_LENGTH);
      keys.put(key.publicKey().address(), key);
      onions.put(key.publicKey().address(), onion);
      validators.add(new GenesisValidator(key.publicKey(), stakes[i], onion.commitment()));
    }
    genesis = Genesis.of("posj-test", GENESIS_TIME, slotSeconds, epochSlots, validators);
  }

  /** Validators 0, 1, ... with these stakes, 30-second slots and 8-slot epochs. */
  public static TestNetwork withStakes(long... stakes) {
    return new TestNetwork(stakes, 30, 8);
  }

  /** As {@link #withStakes} with other slot and epoch lengths. */
  public static TestNetwork withSlots(long slotSeconds, long epochSlots, long... stakes) {
    return new TestNetwork(stakes, slotSeconds, epochSlots);
  }

  /** Test validator {@code i}'s key: its seed is SHA-256("posj test key i"). */
  public static SigningKey key(int i) {
    return SigningKey.fromSeed(sha256("posj test key " + i).toByteArray());
  }

  /** The genesis. */
  public Genesis genesis() {
    return genesis;
  }

  /** A fresh state holding block 0. */
  public SignedChainState start() {
    return SignedChainState.start(genesis);
  }

  /** The key of the validator with this address. */
  public SigningKey keyOf(ValidatorId validator) {
    return keys.get(validator);
  }

  /** The onion of the validator with this address. */
  public HashOnion onionOf(ValidatorId validator) {
    return onions.get(validator);
  }

  /** A timestamp {@code offsetMillis} into {@code slot}. */
  public String timestampIn(long slot, long offsetMillis) {
    return GoTimestamp.format(genesis.slotStart(slot).plusMillis(offsetMillis));
  }

  /** The valid block of {@code slot} on top of {@code state}, made and signed by its leader. */
  public SignedBlock forge(SignedChainState state, long slot, long bpm) {
    ValidatorId leader = state.leaderOf(slot);
    HashOnion onion = onions.get(leader);
    Hash reveal = onion.revealAfter(state.lastReveal(leader).orElseThrow()).orElseThrow();
    return SignedBlock.sign(
        keys.get(leader),
        genesis.hash(),
        state.head().index() + 1,
        slot,
        state.head().hash(),
        reveal,
        bpm,
        timestampIn(slot, 1_500));
  }

  /** Appends the valid blocks of slots {@code from} to {@code to} and returns them. */
  public List<SignedBlock> forgeSlots(SignedChainState state, long from, long to) {
    List<SignedBlock> blocks = new ArrayList<>();
    for (long slot = from; slot <= to; slot++) {
      SignedBlock block = forge(state, slot, 60 + slot);
      state
          .append(block)
          .ifPresent(
              v -> {
                throw new IllegalStateException(v.describe());
              });
      blocks.add(block);
    }
    return blocks;
  }

  private static Hash sha256(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Sha256HashFunction.instance().digest(bytes, 0, bytes.length);
  }
}
