package io.github.posj.core.selection;

import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses one validator with probability exactly {@code stake / total}, in O(1) per draw: an
 * integer alias table, for callers that draw many times from one table (simulations). The server,
 * which builds a table per round and draws once, uses {@link StakeWeightedSelector}, which builds
 * faster.
 *
 * <p>Exact: each validator owns exactly {@code n * stake} of the {@code n * total} (column, offset)
 * tickets, and a draw picks one uniformly: a column uniform in {@code [0, n)}, then an offset
 * uniform in {@code [0, total)}, each by Lemire's multiply-and-reject method on one {@link
 * RandomnessSource#nextLong()} (repeated only when the low word of the product falls below {@code
 * 2^64 mod bound}: no modulo bias, no division on the common path). The table needs {@code n *
 * total <= Long.MAX_VALUE} (at a million validators, a total up to 9.2 * 10<sup>12</sup>); {@link
 * #of} refuses larger ones. Deterministic, and independent of insertion order (address order, as
 * {@link StakeWeightedSelector#of(StakeTable)}). Memory O(validators): 12 bytes a validator.
 *
 * <p>From 8,192 validators on, the 4,096 with the largest stakes (on equal stakes the earlier
 * address) form a heavy level when they hold at least a quarter of the total stake: the offsets
 * below their total stake, in every column, are theirs, drawn from a table of their own that stays
 * in the processor's cache, so that with heavy-tailed stakes (a few whales, or Zipf-like) most
 * draws never touch the large table. Still exactly {@code n * stake} tickets each; which validator
 * a given randomness draws depends on the table's layout, which is not part of the contract beyond
 * being deterministic.
 *
 * <p>Immutable; thread-safe (the randomness source passed to {@link #select} is not shared).
 */
/*
 * Implementation notes: Walker's alias method with Vose's linear-time construction (M. D. Vose,
 * "A linear algorithm for generating random numbers with a given distribution", IEEE TSE 1991),
 * in integers so that it stays exact. Validator i gets mass m_i = stake_i * n; there are n columns
 * of capacity T = total, so the masses fill them exactly. Each column c keeps its own validator
 * for the first cut[c] units and its alias for the rest. A draw r in [0, nT) picks column r / T
 * and offset r % T. P(i) = (cut[i] + sum over columns aliased to i of (T - cut[c])) / nT
 * = m_i / nT = stake_i / total. AliasSelectorTest checks it by enumerating every r.
 *
 * With a heavy level of K = 2^k validators (total stake H), offsets [0, H) of every column are
 * theirs and the large table's columns hold T - H each, in which heavy validators have mass 0. The
 * first L = floor(n / K) * K columns' heavy tickets, L * H of them, form a K-column alias table
 * (column c & (K - 1), ticket (c >>> k) * H + offset) with mass L * stake_j; the other n - L
 * (< K) columns' (n - L) * H go by the heavy validators' prefix sums, (n - L) * stake_j each. So
 * a heavy validator owns n * stake_j tickets, a tail one n * stake_i from the large table.
 *
 * A draw at a million validators is bound by memory, not arithmetic: a column's cut and its alias's
 * position are packed in one long (an 8 MB array at a million validators), so finding a draw's
 * position costs one cache miss, unless the heavy level answers it from its 64 KB; select then
 * reads the winner's id (a second array). The two bounded draws replace the two 64-bit divisions
 * that r / T and a modulo-based bound cost. Lemire, "Fast random integer generation in an
 * interval", ACM TOMACS 29(1), 2019.
 */
public final class AliasSelector {
  /**
   * The default number of heavy validators, a power of two: their alias table (16 bytes each, 64
   * KB; 96 KB with the prefix sums for the last columns) stays in a core's cache.
   */
  static final int HEAVY_COLUMNS = 1 << 12;

  /** Draws per batch in {@link #drawPositions}: its six scratch arrays take 9 KB. */
  private static final int BATCH = 256;

  // The tail table, over every position: column c gives tickets [0, cut) of its own capacity to
  // position c and the rest to its alias, where columns[c] = cut << aliasBits | alias position.
  // Both always fit in one long: n * total <= 2^63 - 1 bounds bits(n - 1) + bits(total) by 64.
  // One array read per draw position. Heavy validators own nothing in it.
  private final ValidatorId[] owners;
  private final long[] columns;
  private final int aliasBits;
  private final long aliasMask;
  private final long total;

  // The heavy level (absent when heavyStake == 0): offsets [0, heavyStake) of every column belong
  // to the heavy validators. Columns [0, heavyLimit) of them map onto a small alias table of
  // heavyCount = 2^heavyBits columns (column c & (heavyCount - 1), level c >>> heavyBits); the
  // columns from heavyLimit on (fewer than heavyCount) onto the heavy validators' prefix sums.
  private final long heavyStake;
  private final int heavyBits;
  private final int heavyLimit;
  private final long[] heavyCut;
  private final int[] heavyOwn;
  private final int[] heavyAlias;
  private final long[] heavyPrefix;

  private AliasSelector(
      ValidatorId[] owners, long[] cuts, int[] alias, long total, HeavyLevel heavy) {
    this.owners = owners;
    this.total = total;
    int n = owners.length;
    this.aliasBits = n <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(n - 1);
    this.aliasMask = aliasBits == 0 ? 0 : -1L >>> (64 - aliasBits);
    if (n > 1 && aliasBits + (64 - Long.numberOfLeadingZeros(total)) > 64) {
      throw new IllegalStateException("a column does not fit 64 bits: " + n + " x " + total);
    }
    this.columns = new long[n];
    for (int c = 0; c < n; c++) {
      columns[c] = (cuts[c] << aliasBits) | alias[c];
    }
    this.heavyStake = heavy.stake;
    this.heavyBits = heavy.bits;
    this.heavyLimit = heavy.limit;
    this.heavyCut = heavy.cut;
    this.heavyOwn = heavy.own;
    this.heavyAlias = heavy.alias;
    this.heavyPrefix = heavy.prefix;
  }

  private long cut(long column) {
    return column >>> aliasBits;
  }

  private int alias(long column) {
    return (int) (column & aliasMask);
  }

  /**
   * An alias table over the eligible (positive-stake) validators of {@code table}.
   *
   * @throws IllegalArgumentException if validators × total stake exceeds {@link Long#MAX_VALUE}
   */
  public static AliasSelector of(StakeTable table) {
    return of(table, HEAVY_COLUMNS, true);
  }

  /**
   * As {@link #of(StakeTable)}, with a heavy level of {@code heavyColumns} validators (a power of
   * two, or 0 for none) whenever there are at least twice as many validators (for tests).
   */
  static AliasSelector of(StakeTable table, int heavyColumns) {
    return of(table, heavyColumns, false);
  }

  private static AliasSelector of(StakeTable table, int heavyColumns, boolean onlyIfWorthIt) {
    Objects.requireNonNull(table, "table");
    if (heavyColumns < 0 || Integer.bitCount(heavyColumns) > 1) {
      throw new IllegalArgumentException("heavy columns: 0 or a power of two, got " + heavyColumns);
    }
    Map<ValidatorId, Long> stakes = table.asMap();
    ValidatorId[] ids = new ValidatorId[stakes.size()];
    long[] weights = new long[stakes.size()];
    int n = 0;
    for (Map.Entry<ValidatorId, Long> entry : stakes.entrySet()) {
      if (entry.getValue() > 0) {
        ids[n] = entry.getKey();
        weights[n] = entry.getValue();
        n++;
      }
    }
    ids = Arrays.copyOf(ids, n);
    long total = table.totalEligibleStake();
    if (n > 0 && total > Long.MAX_VALUE / n) {
      throw new IllegalArgumentException(
          "an alias table needs validators x total stake <= "
              + Long.MAX_VALUE
              + ", got "
              + n
              + " x "
              + total
              + "; use StakeWeightedSelector");
    }
    HeavyLevel heavy = HeavyLevel.NONE;
    if (heavyColumns > 0 && n / 2 >= heavyColumns) {
      HeavyLevel candidate = HeavyLevel.of(heaviest(weights, n, heavyColumns), weights, n);
      // Worth its branch only where it answers many draws: a quarter of the stake or more.
      if (!onlyIfWorthIt || candidate.stake >= total / 4) {
        heavy = candidate;
      }
    }
    long[] mass = new long[n];
    for (int i = 0; i < n; i++) {
      mass[i] = weights[i] * n;
    }
    for (int position : heavy.own) {
      mass[position] = 0; // drawn from the heavy level only
    }
    long[] cut = new long[n];
    int[] alias = new int[n];
    fill(mass, total - heavy.stake, cut, alias);
    return new AliasSelector(ids, cut, alias, total, heavy);
  }

  /**
   * Vose's construction in integers: columns of {@code capacity} tickets, column i first its own
   * {@code mass[i]} (consumed), then its alias's. The masses sum to columns x capacity.
   */
  private static void fill(long[] mass, long capacity, long[] cut, int[] alias) {
    int n = mass.length;
    int[] small = new int[n];
    int[] large = new int[n];
    int smallCount = 0;
    int largeCount = 0;
    for (int i = 0; i < n; i++) {
      if (mass[i] < capacity) {
        small[smallCount++] = i;
      } else {
        large[largeCount++] = i;
      }
    }
    while (smallCount > 0 && largeCount > 0) {
      int less = small[--smallCount];
      int more = large[--largeCount];
      cut[less] = mass[less];
      alias[less] = more;
      mass[more] -= capacity - mass[less];
      if (mass[more] < capacity) {
        small[smallCount++] = more;
      } else {
        large[largeCount++] = more;
      }
    }
    // What is left has exactly a full column (integer arithmetic: no rounding residue).
    while (largeCount > 0) {
      int i = large[--largeCount];
      cut[i] = capacity;
      alias[i] = i;
    }
    while (smallCount > 0) {
      int i = small[--smallCount];
      cut[i] = capacity;
      alias[i] = i;
    }
  }

  /**
   * The positions of the {@code count} largest weights (on equal weights the earlier position), in
   * increasing order: a min-heap of the kept ones, O(n log count) at worst.
   */
  private static int[] heaviest(long[] weights, int n, int count) {
    int[] heap = new int[count];
    for (int i = 0; i < n; i++) {
      if (i < count) {
        heap[i] = i;
        int at = i;
        while (at > 0 && lighter(heap[at], heap[(at - 1) / 2], weights)) {
          swap(heap, at, (at - 1) / 2);
          at = (at - 1) / 2;
        }
      } else if (lighter(heap[0], i, weights)) {
        heap[0] = i;
        int at = 0;
        while (true) {
          int child = 2 * at + 1;
          if (child >= count) {
            break;
          }
          if (child + 1 < count && lighter(heap[child + 1], heap[child], weights)) {
            child++;
          }
          if (!lighter(heap[child], heap[at], weights)) {
            break;
          }
          swap(heap, at, child);
          at = child;
        }
      }
    }
    Arrays.sort(heap);
    return heap;
  }

  /** Whether position a weighs less than b: a smaller weight, or the same and a later position. */
  private static boolean lighter(int a, int b, long[] weights) {
    return weights[a] < weights[b] || (weights[a] == weights[b] && a > b);
  }

  private static void swap(int[] array, int i, int j) {
    int kept = array[i];
    array[i] = array[j];
    array[j] = kept;
  }

  /** The heavy validators' tables (see the fields of AliasSelector). */
  private static final class HeavyLevel {
    static final HeavyLevel NONE =
        new HeavyLevel(0, 0, 0, new long[0], new int[0], new int[0], new long[] {0});

    final long stake;
    final int bits;
    final int limit;
    final long[] cut;
    final int[] own;
    final int[] alias;
    final long[] prefix;

    private HeavyLevel(
        long stake, int bits, int limit, long[] cut, int[] own, int[] alias, long[] prefix) {
      this.stake = stake;
      this.bits = bits;
      this.limit = limit;
      this.cut = cut;
      this.own = own;
      this.alias = alias;
      this.prefix = prefix;
    }

    /**
     * The level of the validators at {@code positions} (a power of two of them, at most half of the
     * {@code n}). Columns [0, limit) x offsets [0, stake) are limit x stake tickets, an alias table
     * of {@code count} columns of {@code levels x stake}, where validator j has mass {@code limit x
     * weight}; the other {@code n - limit} columns' (n - limit) x stake tickets go by prefix sums,
     * {@code (n - limit) x weight} to each: n x weight in all.
     */
    static HeavyLevel of(int[] positions, long[] weights, int n) {
      int count = positions.length;
      int bits = Integer.numberOfTrailingZeros(count);
      int levels = n >>> bits;
      int limit = levels << bits;
      long[] prefix = new long[count + 1];
      for (int j = 0; j < count; j++) {
        prefix[j + 1] = prefix[j] + weights[positions[j]];
      }
      long stake = prefix[count];
      long[] mass = new long[count];
      for (int j = 0; j < count; j++) {
        mass[j] = (long) limit * weights[positions[j]];
      }
      long[] cut = new long[count];
      int[] aliasIndex = new int[count];
      fill(mass, levels * stake, cut, aliasIndex);
      int[] alias = new int[count];
      for (int m = 0; m < count; m++) {
        alias[m] = positions[aliasIndex[m]];
      }
      return new HeavyLevel(stake, bits, limit, cut, positions, alias, prefix);
    }
  }

  /** Chooses a validator, or empty when none is eligible. */
  public Optional<ValidatorId> select(RandomnessSource randomness) {
    Objects.requireNonNull(randomness, "randomness");
    int n = owners.length;
    if (n == 0) {
      return Optional.empty();
    }
    if (n == 1) {
      return Optional.of(owners[0]);
    }
    int c = (int) uniform(randomness, n);
    long offset = uniform(randomness, total);
    return Optional.of(owners[position(c, offset)]);
  }

  /**
   * Draws like {@link #select} (the same randomness consumed, the same winner) but returns the
   * winner's position in address order, {@code [0, size())}, without reading its id: for callers
   * that count wins over many draws (a simulation) and look the ids up once, with {@link
   * #validator(int)}. Reads one array (the large table's column, or the heavy level's), where
   * {@link #select} also reads the winner's id. For many draws, {@link #drawPositions} is faster.
   *
   * @throws IllegalStateException if no validator is eligible
   */
  public int drawPosition(RandomnessSource randomness) {
    Objects.requireNonNull(randomness, "randomness");
    int n = owners.length;
    if (n <= 1) {
      if (n == 0) {
        throw new IllegalStateException("no eligible validator to draw");
      }
      return 0;
    }
    int c = (int) uniform(randomness, n);
    long offset = uniform(randomness, total);
    return position(c, offset);
  }

  /**
   * Fills {@code positions} with as many draws: the same randomness consumed and the same positions
   * as that many {@link #drawPosition} calls, faster at large tables. The draws go in batches:
   * first every batch's column and offset, then the table reads, which do not depend on each other,
   * so the processor overlaps their cache misses where one draw at a time waits for each.
   *
   * @throws IllegalStateException if no validator is eligible and {@code positions} is not empty
   */
  public void drawPositions(RandomnessSource randomness, int[] positions) {
    Objects.requireNonNull(randomness, "randomness");
    Objects.requireNonNull(positions, "positions");
    int n = owners.length;
    if (n <= 1) {
      if (n == 0 && positions.length > 0) {
        throw new IllegalStateException("no eligible validator to draw");
      }
      Arrays.fill(positions, 0);
      return;
    }
    int size = Math.min(positions.length, BATCH);
    long[] offsets = new long[size];
    int[] heavy = new int[size];
    int[] tail = new int[size];
    int[] tailColumn = new int[size];
    long[] tailOffset = new long[size];
    long[] tailRead = new long[size];
    for (int from = 0; from < positions.length; from += BATCH) {
      int to = Math.min(positions.length, from + BATCH);
      // The randomness first (in drawPosition's order), sorting the draws into heavy and tail
      // without a branch to mispredict: each is written to both lists, and only its own advances.
      int heavyCount = 0;
      int tailCount = 0;
      for (int i = from; i < to; i++) {
        int c = (int) uniform(randomness, n);
        long offset = uniform(randomness, total);
        positions[i] = c;
        offsets[i - from] = offset;
        int isHeavy = (int) ((offset - heavyStake) >>> 63); // both in [0, 2^63)
        heavy[heavyCount] = i;
        tail[tailCount] = i;
        tailColumn[tailCount] = c;
        tailOffset[tailCount] = offset - heavyStake;
        heavyCount += isHeavy;
        tailCount += 1 - isHeavy;
      }
      // Then the large table's columns, in a loop of reads alone: they do not depend on each
      // other, and nothing else in the loop holds them up.
      for (int k = 0; k < tailCount; k++) {
        tailRead[k] = columns[tailColumn[k]];
      }
      for (int k = 0; k < heavyCount; k++) {
        int i = heavy[k];
        positions[i] = heavyPosition(positions[i], offsets[i - from]);
      }
      for (int k = 0; k < tailCount; k++) {
        long column = tailRead[k];
        int mask = (int) ((tailOffset[k] - cut(column)) >> 63); // all ones: column c's own
        positions[tail[k]] = (tailColumn[k] & mask) | (alias(column) & ~mask);
      }
    }
  }

  /** The position that owns ticket (column {@code c}, {@code offset}). */
  private int position(int c, long offset) {
    if (offset < heavyStake) {
      return heavyPosition(c, offset);
    }
    long column = columns[c];
    return offset - heavyStake < cut(column) ? c : alias(column);
  }

  private int heavyPosition(int c, long offset) {
    if (c < heavyLimit) {
      int m = c & (heavyOwn.length - 1);
      long ticket = (long) (c >>> heavyBits) * heavyStake + offset;
      int mask = (int) ((ticket - heavyCut[m]) >> 63); // all ones: column m's own
      return (heavyOwn[m] & mask) | (heavyAlias[m] & ~mask);
    }
    // The last n - limit columns: ticket t of (n - limit) x heavyStake is heavy validator j's
    // where (n - limit) x prefix[j] <= t < (n - limit) x prefix[j + 1].
    long scaled = ((long) (c - heavyLimit) * heavyStake + offset) / (owners.length - heavyLimit);
    int found = Arrays.binarySearch(heavyPrefix, scaled);
    return heavyOwn[found >= 0 ? found : -found - 2];
  }

  /**
   * The eligible validator at {@code position} in address order.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= position < size()}
   */
  public ValidatorId validator(int position) {
    return owners[position];
  }

  /**
   * A uniform value in {@code [0, bound)}: the high word of the unsigned 128-bit product of a
   * random long and {@code bound}, drawing again while the low word is below {@code 2^64 mod bound}
   * (Lemire 2019).
   */
  static long uniform(RandomnessSource randomness, long bound) {
    long x = randomness.nextLong();
    long low = x * bound;
    if (Long.compareUnsigned(low, bound) < 0) {
      long threshold = Long.remainderUnsigned(-bound, bound);
      while (Long.compareUnsigned(low, threshold) < 0) {
        x = randomness.nextLong();
        low = x * bound;
      }
    }
    // Unsigned high word for a positive bound (Math.unsignedMultiplyHigh is Java 18).
    return Math.multiplyHigh(x, bound) + ((x >> 63) & bound);
  }

  /**
   * The validator that owns ticket {@code r} of {@code [0, size() * totalStake())}: ticket {@code
   * r} is offset {@code r % total} of column {@code r / total}.
   */
  public ValidatorId owner(long r) {
    long tickets = owners.length * total;
    if (r < 0 || r >= tickets) {
      throw new IllegalArgumentException("a ticket is in [0, " + tickets + "), got " + r);
    }
    int c = (int) (r / total);
    return owners[position(c, r - c * total)];
  }

  /**
   * How many tickets of {@code [0, n * total)} the validator at {@code position} owns, computed
   * from the table's columns (for tests of large totals, where enumerating is impossible).
   */
  long ticketsOwnedBy(int position) {
    return ticketsOwned()[position];
  }

  /** How many tickets each position owns, from the tables, in O(n) (for tests). */
  long[] ticketsOwned() {
    int n = owners.length;
    long[] owned = new long[n];
    long tail = total - heavyStake;
    for (int c = 0; c < n; c++) {
      long cut = cut(columns[c]);
      owned[c] += cut;
      if (cut < tail) {
        owned[alias(columns[c])] += tail - cut;
      }
    }
    long capacity = (long) (heavyLimit >>> heavyBits) * heavyStake;
    for (int m = 0; m < heavyOwn.length; m++) {
      owned[heavyOwn[m]] += heavyCut[m] + (n - heavyLimit) * (heavyPrefix[m + 1] - heavyPrefix[m]);
      if (heavyCut[m] < capacity) {
        owned[heavyAlias[m]] += capacity - heavyCut[m];
      }
    }
    return owned;
  }

  /** The number of validators drawn from the heavy level (0 when it has none). */
  int heavyCount() {
    return heavyOwn.length;
  }

  /** Whether the validator at {@code position} is drawn from the heavy level. */
  boolean isHeavy(int position) {
    return Arrays.binarySearch(heavyOwn, position) >= 0;
  }

  /** The position of {@code validator} in address order, or -1. */
  int positionOf(ValidatorId validator) {
    return Arrays.asList(owners).indexOf(validator);
  }

  /** The number of eligible validators. */
  public int size() {
    return owners.length;
  }

  /** The total eligible stake. */
  public long totalStake() {
    return total;
  }
}
