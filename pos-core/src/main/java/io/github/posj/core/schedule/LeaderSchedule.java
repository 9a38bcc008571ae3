package io.github.posj.core.schedule;

import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Preimage;
import io.github.posj.core.random.HashChainRandomness;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.selection.StakeWeightedSelector;
import io.github.posj.core.stake.ValidatorId;
import java.util.Objects;

/**
 * Who leads each slot of a network-mode chain: one public leader per slot, drawn with posj's exact
 * stake-weighted selector over the genesis stakes, from a seed that the chain's hash-onion reveals
 * fix two epochs ahead ({@code docs/network.md} section 6).
 *
 * <pre>
 *   mix after block 0 = SHA-256("posj/mix/v1" 0x00 || genesisHash)
 *   mix after block b = SHA-256("posj/mix/v1" 0x00 || mix || b.Reveal)
 *   seed(e)           = SHA-256("posj/seed/v1" 0x00 || genesisHash || uint64_be(e) || mixAtEnd(e - 2))
 *   leaderSeed(s)     = SHA-256("posj/leader/v1" 0x00 || seed(epoch(s)) || uint64_be(s))
 *   leader(s)         = owner of nextLong(total) drawn from HashChainRandomness(leaderSeed(s))
 * </pre>
 *
 * <p>Immutable; thread-safe.
 */
public final class LeaderSchedule {
  /** The domain tag of the mix. */
  public static final String MIX_DOMAIN = "posj/mix/v1";

  /** The domain tag of an epoch's seed. */
  public static final String SEED_DOMAIN = "posj/seed/v1";

  /** The domain tag of a slot's seed. */
  public static final String LEADER_DOMAIN = "posj/leader/v1";

  private final Genesis genesis;
  private final StakeWeightedSelector selector;
  private final Hash initialMix;

  private LeaderSchedule(Genesis genesis) {
    this.genesis = genesis;
    this.selector = StakeWeightedSelector.of(genesis.stakes());
    this.initialMix = Preimage.tagged(MIX_DOMAIN).hash(genesis.hash()).sha256();
  }

  /** The schedule of the chain that starts from {@code genesis}. */
  public static LeaderSchedule of(Genesis genesis) {
    return new LeaderSchedule(Objects.requireNonNull(genesis, "genesis"));
  }

  /** The genesis the schedule draws from. */
  public Genesis genesis() {
    return genesis;
  }

  /** The mix after block 0. */
  public Hash initialMix() {
    return initialMix;
  }

  /** The mix after a block with {@code reveal}, from the mix before it. */
  public static Hash mix(Hash mix, Hash reveal) {
    return Preimage.tagged(MIX_DOMAIN).hash(mix).hash(reveal).sha256();
  }

  /**
   * The seed of {@code epoch}, given the mix at the end of epoch {@code epoch - 2} (the mix after
   * block 0 while that epoch is before the chain's first block).
   */
  public Hash seed(long epoch, Hash mixAtEndOfEpochBeforeLast) {
    if (epoch < 0) {
      throw new IllegalArgumentException("an epoch is >= 0, got " + epoch);
    }
    return Preimage.tagged(SEED_DOMAIN)
        .hash(genesis.hash())
        .uint64(epoch)
        .hash(mixAtEndOfEpochBeforeLast)
        .sha256();
  }

  /** The seed of slot {@code slot}'s draw, from its epoch's seed. */
  public static Hash leaderSeed(Hash epochSeed, long slot) {
    return Preimage.tagged(LEADER_DOMAIN).hash(epochSeed).uint64(slot).sha256();
  }

  /** The leader drawn with {@code leaderSeed}. */
  public ValidatorId leader(Hash leaderSeed) {
    return selector
        .select(new HashChainRandomness(leaderSeed.toByteArray()))
        .orElseThrow(() -> new IllegalStateException("a genesis has at least one validator"));
  }

  /** The leader of {@code slot}, given its epoch's seed. */
  public ValidatorId leader(long slot, Hash epochSeed) {
    return leader(leaderSeed(epochSeed, slot));
  }

  /**
   * The draw of {@code slot}'s leader with every intermediate value, for a person or another
   * program to re-check by hand: its {@link Draw#leader()} is {@link #leader(long, Hash)}'s.
   */
  public Draw draw(long slot, Hash epochSeed) {
    Hash leaderSeed = leaderSeed(epochSeed, slot);
    long total = selector.totalStake();
    long ticket = 0;
    int[] values = {0};
    if (selector.size() > 1) {
      HashChainRandomness stream = new HashChainRandomness(leaderSeed.toByteArray());
      RandomnessSource counted =
          () -> {
            values[0]++;
            return stream.nextLong();
          };
      ticket = counted.nextLong(total);
    }
    StakeWeightedSelector.Tickets tickets = selector.ticketsOfOwner(ticket);
    return new Draw(
        slot,
        epochSeed,
        leaderSeed,
        total,
        ticket,
        values[0],
        selector.owner(ticket),
        tickets.from(),
        tickets.to());
  }

  /**
   * How one slot's leader was drawn ({@code docs/network.md} section 6): the seeds, the ticket
   * drawn from {@code HashChainRandomness(leaderSeed)} with {@code nextLong(totalStake)}, and the
   * leader, whose tickets (in ascending address order of the genesis validators) hold it.
   *
   * <p>Immutable; thread-safe.
   *
   * @param slot the slot
   * @param epochSeed the seed of its epoch
   * @param leaderSeed the seed of its draw
   * @param totalStake the genesis stakes' sum: the number of tickets
   * @param ticket the ticket drawn, in {@code [0, totalStake)}; 0 with one validator (no draw)
   * @param valuesDrawn the 64-bit values taken from the stream: 1, more when {@code nextLong}
   *     rejected a value, 0 with one validator
   * @param leader the ticket's owner
   * @param ticketsFrom the leader's first ticket
   * @param ticketsTo one past the leader's last ticket ({@code ticketsTo - ticketsFrom} is its
   *     stake)
   */
  public record Draw(
      long slot,
      Hash epochSeed,
      Hash leaderSeed,
      long totalStake,
      long ticket,
      int valuesDrawn,
      ValidatorId leader,
      long ticketsFrom,
      long ticketsTo) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException unless {@code ticketsFrom <= ticket < ticketsTo <=
     *     totalStake}
     */
    public Draw {
      Objects.requireNonNull(epochSeed, "epochSeed");
      Objects.requireNonNull(leaderSeed, "leaderSeed");
      Objects.requireNonNull(leader, "leader");
      if (ticketsFrom < 0
          || ticket < ticketsFrom
          || ticket >= ticketsTo
          || ticketsTo > totalStake
          || valuesDrawn < 0) {
        throw new IllegalArgumentException(
            "a draw has 0 <= ticketsFrom <= ticket < ticketsTo <= totalStake, got ticket "
                + ticket
                + " in ["
                + ticketsFrom
                + ", "
                + ticketsTo
                + ") of "
                + totalStake);
      }
    }
  }
}
