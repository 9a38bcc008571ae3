package io.github.posj.core.block;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.chain.SignedChainGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading one line of a version 2 chain file ({@link SignedBlockJson#parseCanonical}, the path
 * every line posj writes takes, and {@link SignedBlockJson#parse}, the JSON parser): with {@code
 * SignedChainState.checkExceptSignature}, the work {@code pos verify} does on one thread whatever
 * the number of signature threads.
 *
 * <p>Run: {@code taskset -c 1 java -jar pos-bench/target/benchmarks.jar SignedBlockJsonBenchmark}.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignedBlockJsonBenchmark extends BenchmarkDefaults {
  private String line;
  private byte[] bytes;

  /** A real block of the generated chain, as its chain file holds it. */
  @Setup
  public void setUp() {
    line = SignedBlockJson.write(SignedChainGenerator.of(100, 1).next());
    bytes = line.getBytes(StandardCharsets.UTF_8);
  }

  /** The line's bytes to a {@link SignedBlock} without a JSON parser, as a chain file is read. */
  @Benchmark
  public Optional<SignedBlock> parseCanonical() {
    return SignedBlockJson.parseCanonical(bytes, 0, bytes.length);
  }

  /** One line to a {@link SignedBlock}: Jackson's tree, then every key's shape checked. */
  @Benchmark
  public SignedBlock parse() {
    return SignedBlockJson.parse(line);
  }
}
