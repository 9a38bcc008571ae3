package io.github.posj.net.node;

import io.github.posj.core.hash.Hash;
import java.io.IOException;

/**
 * Slashing protection: what stands between a validator and signing two different blocks for one
 * slot ({@code docs/network.md} section 12). The validator asks {@link #check} before it signs a
 * block and {@link #record}s it before the signature leaves the process; it never sends a block
 * whose record failed. A guard keeps the last slot signed and the block signed for it, so the rule
 * holds across restarts only if that record survives them (a file fsynced before {@code record}
 * returns, as {@code SlashingProtection} does); {@link InMemorySigningGuard} is for tests.
 *
 * <p>The rule: a block may be signed for slot {@code s} only if no block was signed for a slot
 * after {@code s}, and none other than this very block (same Hash) for {@code s} itself. Signing
 * the same block again is allowed: Ed25519 signing is deterministic, and a node takes it as a
 * duplicate.
 *
 * <p>Implementations are thread-safe. The validator calls them from its one event thread, {@code
 * check} then {@code record} for one block, never concurrently.
 */
public interface SigningGuard {
  /**
   * Whether a block with Hash {@code blockHash} may be signed for {@code slot}; returns normally if
   * it may. Changes nothing.
   *
   * @throws SigningRefusedException if signing it could be a second block for one slot: a slot
   *     before the last one signed, or another block for that slot (the exception says which)
   * @throws IOException if the guard cannot tell (e.g. its file cannot be read): then nothing may
   *     be signed
   */
  void check(long slot, Hash blockHash) throws SigningRefusedException, IOException;

  /**
   * Records that the block with Hash {@code blockHash} is signed for {@code slot}, durably: when
   * this returns, a {@link #check} after any crash and restart sees it. Called after a successful
   * {@link #check} of the same block and before its signature leaves the process.
   *
   * @throws IOException if the record could not be made durable: the caller must not send the
   *     signature
   * @throws IllegalStateException if {@link #check} would refuse this block (a caller's error)
   */
  void record(long slot, Hash blockHash) throws IOException;
}
