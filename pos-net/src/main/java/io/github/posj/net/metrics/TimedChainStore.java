package io.github.posj.net.metrics;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.store.ChainStore;

/**
 * A {@link ChainStore} that times each append into {@code posj_store_append_seconds}; everything
 * else is the wrapped store's.
 *
 * <p>Thread-safety: the wrapped store's.
 */
final class TimedChainStore implements ChainStore {
  private final ChainStore store;
  private final MetricsRegistry metrics;

  TimedChainStore(ChainStore store, MetricsRegistry metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public Opened open(HashScheme scheme, Block genesis) {
    return store.open(scheme, genesis);
  }

  @Override
  public void append(Block block) {
    metrics.timeAppend(() -> store.append(block));
  }

  @Override
  public void close() {
    store.close();
  }
}
