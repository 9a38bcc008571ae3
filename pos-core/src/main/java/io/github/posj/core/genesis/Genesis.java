package io.github.posj.core.genesis;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Preimage;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a network-mode chain starts from: its id, the start and length of its slots, the length of
 * its epochs, and its validators with their stakes and hash-onion commitments. Its {@link #hash()}
 * is SHA-256 of a canonical encoding ({@code docs/network.md} section 2), not of JSON text, so any
 * spelling of the same genesis has the same hash; every block and login of the chain binds it.
 *
 * <p>Validators are kept in ascending address order, whatever order they were given in: the order
 * of the canonical encoding and of the leader draw.
 *
 * <p>Immutable; thread-safe.
 */
public final class Genesis {
  /** The domain tag of the canonical encoding. */
  public static final String DOMAIN = "posj/genesis/v1";

  /** The most validators a genesis may list. */
  public static final int MAX_VALIDATORS = 100_000;

  /** The longest chain id, in characters. */
  public static final int MAX_CHAIN_ID_LENGTH = 64;

  /** The longest slot, in seconds (a day). */
  public static final long MAX_SLOT_SECONDS = 86_400;

  /** The most slots an epoch may have. */
  public static final long MAX_EPOCH_SLOTS = 1_000_000;

  /** The latest genesis time: the end of year 9999, so that every slot time has a 4-digit year. */
  public static final Instant MAX_GENESIS_TIME = Instant.parse("9999-12-31T23:59:59Z");

  /** The default slot length: the tutorial's 30-second round. */
  public static final long DEFAULT_SLOT_SECONDS = 30;

  /** The default number of slots per epoch (4 minutes of 30-second slots). */
  public static final long DEFAULT_EPOCH_SLOTS = 8;

  private static final Pattern CHAIN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String chainId;
  private final Instant genesisTime;
  private final long slotSeconds;
  private final long epochSlots;
  private final List<GenesisValidator> validators;
  private final Map<ValidatorId, GenesisValidator> byAddress;
  private final long totalStake;
  private final Hash hash;

  private Genesis(
      String chainId,
      Instant genesisTime,
      long slotSeconds,
      long epochSlots,
      List<GenesisValidator> validators,
      Map<ValidatorId, GenesisValidator> byAddress,
      long totalStake) {
    this.chainId = chainId;
    this.genesisTime = genesisTime;
    this.slotSeconds = slotSeconds;
    this.epochSlots = epochSlots;
    this.validators = validators;
    this.byAddress = byAddress;
    this.totalStake = totalStake;
    this.hash = encode().sha256();
  }

  /**
   * A genesis with these parameters, checked against every rule of {@code docs/network.md} section
   * 2.
   *
   * @throws IllegalArgumentException naming the rule and the value that breaks it: a chain id
   *     outside {@code [A-Za-z0-9._-]{1,64}}, a genesis time that is not whole seconds between 1970
   *     and the end of 9999, a slot length outside 1 to {@value #MAX_SLOT_SECONDS} s, an epoch
   *     length outside 1 to {@value #MAX_EPOCH_SLOTS} slots, no validator or more than {@value
   *     #MAX_VALIDATORS}, a key listed twice or not a valid Ed25519 key, or stakes that add up to
   *     more than {@link Long#MAX_VALUE}
   */
  public static Genesis of(
      String chainId,
      Instant genesisTime,
      long slotSeconds,
      long epochSlots,
      List<GenesisValidator> validators) {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(genesisTime, "genesisTime");
    Objects.requireNonNull(validators, "validators");
    if (!CHAIN_ID.matcher(chainId).matches()) {
      throw new IllegalArgumentException(
          "a chain id is 1 to "
              + MAX_CHAIN_ID_LENGTH
              + " characters from A-Z a-z 0-9 . _ -, got \""
              + chainId
              + "\"");
    }
    if (genesisTime.getNano() != 0
        || genesisTime.isBefore(Instant.EPOCH)
        || genesisTime.isAfter(MAX_GENESIS_TIME)) {
      throw new IllegalArgumentException(
          "the genesis time is whole seconds from "
              + Instant.EPOCH
              + " to "
              + MAX_GENESIS_TIME
              + ", got "
              + genesisTime);
    }
    if (slotSeconds < 1 || slotSeconds > MAX_SLOT_SECONDS) {
      throw new IllegalArgumentException(
          "a slot lasts 1 to " + MAX_SLOT_SECONDS + " seconds, got " + slotSeconds);
    }
    if (epochSlots < 1 || epochSlots > MAX_EPOCH_SLOTS) {
      throw new IllegalArgumentException(
          "an epoch has 1 to " + MAX_EPOCH_SLOTS + " slots, got " + epochSlots);
    }
    if (validators.isEmpty() || validators.size() > MAX_VALIDATORS) {
      throw new IllegalArgumentException(
          "a genesis has 1 to " + MAX_VALIDATORS + " validators, got " + validators.size());
    }
    Map<ValidatorId, GenesisValidator> byAddress = new HashMap<>();
    long total = 0;
    for (GenesisValidator validator : validators) {
      Objects.requireNonNull(validator, "validator");
      if (!validator.publicKey().isValid()) {
        throw new IllegalArgumentException(
            "a genesis validator's key must be a valid Ed25519 public key (a canonical point of"
                + " large order), got "
                + validator.publicKey().hex());
      }
      if (byAddress.put(validator.address(), validator) != null) {
        throw new IllegalArgumentException(
            "a key is listed twice in the genesis: " + validator.publicKey().hex());
      }
      if (validator.stake() > Long.MAX_VALUE - total) {
        throw new IllegalArgumentException(
            "the genesis stakes add up to more than "
                + Long.MAX_VALUE
                + " (the most a stake total"
                + " may be)");
      }
      total += validator.stake();
    }
    List<GenesisValidator> sorted = new ArrayList<>(validators);
    sorted.sort(Comparator.comparing(GenesisValidator::address));
    return new Genesis(
        chainId,
        genesisTime,
        slotSeconds,
        epochSlots,
        Collections.unmodifiableList(sorted),
        Collections.unmodifiableMap(byAddress),
        total);
  }

  /** The canonical encoding, whose SHA-256 is {@link #hash()}. */
  public byte[] encoding() {
    return encode().toByteArray();
  }

  private Preimage encode() {
    Preimage out =
        Preimage.tagged(DOMAIN)
            .text(chainId)
            .uvarint(genesisTime.getEpochSecond())
            .uvarint(slotSeconds)
            .uvarint(epochSlots)
            .uvarint(validators.size());
    for (GenesisValidator validator : validators) {
      out.bytes(validator.publicKey().toByteArray())
          .uvarint(validator.stake())
          .hash(validator.commitment());
    }
    return out;
  }

  /** SHA-256 of the canonical encoding: the chain's identity. */
  public Hash hash() {
    return hash;
  }

  /** The chain id. */
  public String chainId() {
    return chainId;
  }

  /** The start of slot 0, in whole seconds. */
  public Instant genesisTime() {
    return genesisTime;
  }

  /** The length of a slot in seconds. */
  public long slotSeconds() {
    return slotSeconds;
  }

  /** The number of slots in an epoch. */
  public long epochSlots() {
    return epochSlots;
  }

  /** The validators, in ascending address order. */
  public List<GenesisValidator> validators() {
    return validators;
  }

  /** The validator with this address, or empty. */
  public Optional<GenesisValidator> validator(ValidatorId address) {
    return Optional.ofNullable(byAddress.get(address));
  }

  /** The validator with this key, or empty. */
  public Optional<GenesisValidator> validator(PublicKey publicKey) {
    return validator(publicKey.address()).filter(v -> v.publicKey().equals(publicKey));
  }

  /** The sum of all stakes. */
  public long totalStake() {
    return totalStake;
  }

  /** The stakes as a table, keyed by address. */
  public StakeTable stakes() {
    Map<ValidatorId, Long> stakes = new HashMap<>();
    for (GenesisValidator validator : validators) {
      stakes.put(validator.address(), validator.stake());
    }
    return StakeTable.of(stakes);
  }

  /**
   * Block 0 of the chain: Index 0, the genesis time in the tutorial's Go format, BPM 0, the genesis
   * hash as its Hash, no PrevHash and no Validator. It is derived, signed by no one.
   */
  public Block block0() {
    return new Block(0, GoTimestamp.format(genesisTime), 0, hash, Hash.EMPTY, ValidatorId.NONE);
  }

  /** The start of slot {@code slot}. */
  public Instant slotStart(long slot) {
    if (slot < 0) {
      throw new IllegalArgumentException("a slot is >= 0, got " + slot);
    }
    return genesisTime.plusSeconds(Math.multiplyExact(slot, slotSeconds));
  }

  /** The slot that {@code time} lies in; -1 before the genesis time. */
  public long slotAt(Instant time) {
    Objects.requireNonNull(time, "time");
    if (time.isBefore(genesisTime)) {
      return -1;
    }
    return (time.getEpochSecond() - genesisTime.getEpochSecond()) / slotSeconds;
  }

  /** The epoch of slot {@code slot}. */
  public long epochOf(long slot) {
    return Math.floorDiv(slot, epochSlots);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Genesis that && hash.equals(that.hash);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "Genesis["
        + chainId
        + ", "
        + validators.size()
        + " validators, hash="
        + hash.hex()
        + "]";
  }
}
