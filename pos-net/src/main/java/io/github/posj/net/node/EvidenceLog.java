package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;

/**
 * Where a node keeps equivocation evidence: two different blocks signed by one key for one slot.
 *
 * <p>Implementations are called from the node's owner thread only; {@link #record} returns when the
 * evidence is durable or throws.
 */
public interface EvidenceLog {
  /** Evidence is logged only (in-memory nodes, tests). */
  EvidenceLog NONE = (first, second) -> {};

  /**
   * Keeps the pair.
   *
   * @throws java.io.UncheckedIOException if it could not be kept
   */
  void record(SignedBlock first, SignedBlock second);
}
