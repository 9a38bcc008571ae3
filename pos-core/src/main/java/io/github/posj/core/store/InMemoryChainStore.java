package io.github.posj.core.store;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.AppendResult;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.chain.ChainValidation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A store that keeps the chain in memory only: nothing survives the process ({@code --in-memory},
 * tests). Durable in the only sense it can be: an appended block is kept until the store is
 * dropped.
 *
 * <p>Not thread-safe; confine to one thread.
 */
public final class InMemoryChainStore implements ChainStore {
  private Chain chain;
  private boolean closed;

  /** An empty store: {@link #open} starts it with the genesis block it is given. */
  public InMemoryChainStore() {}

  /** A store that already holds {@code chain} (a server started from a chain in memory). */
  public InMemoryChainStore(Chain chain) {
    this.chain = Objects.requireNonNull(chain, "chain");
  }

  @Override
  public Opened open(HashScheme scheme, Block genesis) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(genesis, "genesis");
    checkOpen();
    if (chain != null && !chain.scheme().name().equals(scheme.name())) {
      throw new ChainStoreException(
          "the store holds a chain under the "
              + chain.scheme().name()
              + " hash scheme, not "
              + scheme.name());
    }
    if (chain == null) {
      ChainValidation validation = Chain.validate(List.of(genesis), scheme);
      if (validation instanceof ChainValidation.Invalid invalid) {
        throw new IllegalArgumentException("not a genesis block: " + invalid.describe());
      }
      chain = ((ChainValidation.Valid) validation).chain();
    }
    return new Opened(chain, List.of());
  }

  @Override
  public void append(Block block) {
    checkOpen();
    if (chain == null) {
      throw new IllegalStateException("open the store before appending");
    }
    AppendResult result = chain.append(block);
    if (result instanceof AppendResult.Rejected rejected) {
      throw new IllegalArgumentException(
          "block " + block.index() + " does not follow the stored chain: " + rejected.detail());
    }
    chain = ((AppendResult.Accepted) result).chain();
  }

  /** The stored chain; empty before {@link #open}. */
  public Optional<Chain> chain() {
    return Optional.ofNullable(chain);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new ChainStoreException("the store is closed");
    }
  }
}
