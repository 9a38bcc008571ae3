package io.github.posj;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings posj's benchmarks share: average time per operation in nanoseconds, three forks with
 * a fixed, pre-touched 1 GiB heap, 3 warm-up and 5 measured iterations of 1 s. A benchmark extends
 * this class and annotates itself only where it differs (JMH's annotations are {@code @Inherited},
 * and a subclass's own annotation wins; see JMH's {@code JMHSample_24_Inheritance}).
 *
 * <p>Not thread-safe; JMH gives each thread its own instance.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public abstract class BenchmarkDefaults {}
