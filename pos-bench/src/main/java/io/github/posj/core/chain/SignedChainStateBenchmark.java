package io.github.posj.core.chain;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.genesis.Genesis;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chain rules per block of a network-mode chain, on a realistic chain ({@link
 * SignedChainGenerator}'s: 100 validators with stakes in 1..1000, 8-slot epochs, every slot
 * filled). {@link SignedChainState#checkExceptSignature} is what {@code pos verify} runs on one
 * thread while the signatures are checked on the others: with the signature rule left out it bounds
 * how far more cores can speed a verifier up.
 *
 * <p>{@code checkExceptSignature} checks the same block against the same state every time (it
 * changes nothing); the {@code append...} benchmarks walk a chain of {@value #BLOCKS} blocks, epoch
 * changes included, starting it again from block 0 when they reach its end (once per {@value
 * #BLOCKS} calls: {@code SignedChainState.start} for 100 validators, some microseconds).
 *
 * <p>Ten warm-up iterations, as in {@code Ed25519Benchmark}: {@code append} verifies a signature.
 *
 * <p>Run: {@code taskset -c 1 java -jar pos-bench/target/benchmarks.jar SignedChainStateBenchmark}.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
public class SignedChainStateBenchmark extends BenchmarkDefaults {
  private static final int BLOCKS = 8_192;

  private Genesis genesis;
  private List<SignedBlock> blocks;
  private SignedChainState fixed;
  private SignedBlock fixedNext;
  private SignedChainState walking;
  private int position;

  /** Makes the chain, and a state just before a block in the middle of an epoch. */
  @Setup
  public void setUp() {
    SignedChainGenerator generator = SignedChainGenerator.of(100, BLOCKS);
    genesis = generator.genesis();
    blocks = generator.next(BLOCKS);
    fixed = SignedChainState.start(genesis);
    int at = BLOCKS / 2 + 3;
    for (int i = 0; i < at; i++) {
      fixed.appendSignatureChecked(blocks.get(i));
    }
    fixedNext = blocks.get(at);
    if (fixed.checkExceptSignature(fixedNext).isPresent()) {
      throw new IllegalStateException("the benchmark's block breaks a rule");
    }
    walking = SignedChainState.start(genesis);
  }

  /** Every rule but the signature's, for one block (the sequential part of {@code pos verify}). */
  @Benchmark
  public Optional<RuleViolation> checkExceptSignature() {
    return fixed.checkExceptSignature(fixedNext);
  }

  /** Check and append, signature left out, walking the chain: {@code pos verify}'s single pass. */
  @Benchmark
  public Optional<RuleViolation> appendSignatureChecked() {
    SignedBlock block = nextBlock(); // first: it may start the walk again with a new state
    return valid(walking.appendSignatureChecked(block));
  }

  /** Every rule with the signature, walking the chain: what a node does with a proposed block. */
  @Benchmark
  public Optional<RuleViolation> append() {
    SignedBlock block = nextBlock();
    return valid(walking.append(block));
  }

  private Optional<RuleViolation> valid(Optional<RuleViolation> violation) {
    if (violation.isPresent()) {
      throw new IllegalStateException(
          "block at " + (position - 1) + " breaks " + violation.get().describe());
    }
    return violation;
  }

  private SignedBlock nextBlock() {
    if (position == BLOCKS) {
      walking = SignedChainState.start(genesis);
      position = 0;
    }
    return blocks.get(position++);
  }
}
