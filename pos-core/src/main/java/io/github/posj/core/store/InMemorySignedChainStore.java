package io.github.posj.core.store;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.ForkChoice;
import io.github.posj.core.chain.RuleViolation;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.genesis.Genesis;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SignedChainStore} in memory only ({@code --in-memory}, tests).
 *
 * <p>Not thread-safe; confine to one thread.
 */
public final class InMemorySignedChainStore implements SignedChainStore {
  private final List<SignedBlock> blocks = new ArrayList<>();
  private SignedChainState check;
  private boolean closed;

  /** An empty store. */
  public InMemorySignedChainStore() {}

  @Override
  public Opened open(Genesis genesis) {
    Objects.requireNonNull(genesis, "genesis");
    checkOpen();
    if (check != null && !check.genesis().equals(genesis)) {
      throw new ChainStoreException(
          "the store holds the chain of genesis "
              + check.genesis().hash().hex()
              + ", not "
              + genesis.hash().hex());
    }
    int depth = ForkChoice.finalityDepth(genesis);
    SignedChainState state = SignedChainState.start(genesis, depth);
    for (SignedBlock block : blocks) {
      state.appendSignatureChecked(block);
    }
    if (check == null) {
      check = state.copy();
    }
    return new Opened(state, blocks, List.of());
  }

  @Override
  public void append(SignedBlock block) {
    checkOpen();
    if (check == null) {
      throw new IllegalStateException("open the store before appending");
    }
    Optional<RuleViolation> violation = check.append(block);
    if (violation.isPresent()) {
      throw new IllegalArgumentException(
          "block "
              + block.index()
              + " does not follow the stored chain: "
              + violation.get().describe());
    }
    blocks.add(block);
  }

  @Override
  public void replaceFrom(long forkIndex, List<SignedBlock> branch) {
    checkOpen();
    if (check == null) {
      throw new IllegalStateException("open the store before replacing blocks");
    }
    Objects.requireNonNull(branch, "branch");
    SignedChainState next = check.copy();
    next.rollBackTo(forkIndex);
    for (SignedBlock block : branch) {
      Optional<RuleViolation> violation = next.append(block);
      if (violation.isPresent()) {
        throw new IllegalArgumentException(
            "block "
                + block.index()
                + " does not follow the branch: "
                + violation.get().describe());
      }
    }
    blocks.subList((int) forkIndex, blocks.size()).clear();
    blocks.addAll(branch);
    check = next;
  }

  /** The stored blocks after block 0. */
  public List<SignedBlock> blocks() {
    return List.copyOf(blocks);
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
