package io.github.posj.core.block;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Sha256HashFunction;
import io.github.posj.core.stake.ValidatorId;

/**
 * The default hash scheme: SHA-256 over {@link BlockEncoding}, which covers Index, Timestamp, BPM,
 * PrevHash and Validator, so a block can be neither altered nor re-attributed to another validator
 * without its hash changing.
 *
 * <p>Immutable; thread-safe.
 */
/*
 * Implementation notes: the preimage is built in a per-thread scratch buffer and digested with the
 * JDK's SHA-256 (an intrinsic on CPUs with SHA extensions), so a hash allocates only its result.
 * Raw 32-byte hashes and varints keep a node's block within two compression blocks (<= 119 bytes);
 * hex text would take three. Measurements: docs/benchmarks.md.
 */
final class PosjHashScheme implements HashScheme {
  static final PosjHashScheme INSTANCE = new PosjHashScheme();

  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[BlockEncoding.MAX_LENGTH]);

  private PosjHashScheme() {}

  @Override
  public String name() {
    return "posj";
  }

  @Override
  public Hash hash(long index, String timestamp, long bpm, Hash prevHash, ValidatorId validator) {
    byte[] buffer = SCRATCH.get();
    int length = BlockEncoding.encodeInto(buffer, index, timestamp, bpm, prevHash, validator);
    return Sha256HashFunction.instance().digest(buffer, 0, length);
  }

  @Override
  public String toString() {
    return name();
  }
}
