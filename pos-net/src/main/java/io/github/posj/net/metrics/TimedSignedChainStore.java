package io.github.posj.net.metrics;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.store.SignedChainStore;
import java.util.List;

/**
 * A {@link SignedChainStore} that times each append into {@code posj_store_append_seconds};
 * everything else is the wrapped store's (a chain switch is not timed: it is rare, and its time
 * grows with the branch, which would skew the appends' histogram).
 *
 * <p>Thread-safety: the wrapped store's.
 */
final class TimedSignedChainStore implements SignedChainStore {
  private final SignedChainStore store;
  private final MetricsRegistry metrics;

  TimedSignedChainStore(SignedChainStore store, MetricsRegistry metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public Opened open(Genesis genesis) {
    return store.open(genesis);
  }

  @Override
  public void append(SignedBlock block) {
    metrics.timeAppend(() -> store.append(block));
  }

  @Override
  public void replaceFrom(long forkIndex, List<SignedBlock> branch) {
    store.replaceFrom(forkIndex, branch);
  }

  @Override
  public void close() {
    store.close();
  }
}
