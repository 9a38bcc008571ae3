package io.github.posj.purityfixture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Pure code that looks like the impure kind: what pos-core does and must keep being allowed to do
 * (an injected generator, instants from numbers, sequential streams, {@code System.arraycopy}).
 * {@code CorePurityRulesTest} checks that no rule reports it.
 */
public final class PureFixture {
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(PureFixture::buffer);

  private PureFixture() {}

  long drawsFromAGivenGenerator(RandomGenerator generator) {
    return generator.nextLong();
  }

  Object makesInstantFromNumbers(long seconds) {
    return Instant.ofEpochSecond(seconds).plusNanos(1);
  }

  Supplier<Object> referencesAnInstantsMethod() {
    return Instant.EPOCH::toString;
  }

  long streamsSequentially(List<Long> values) {
    return values.stream().sequential().count();
  }

  byte[] copiesArray(byte[] values) {
    byte[] copy = new byte[values.length];
    System.arraycopy(values, 0, copy, 0, values.length);
    return copy;
  }

  String lowerCasesWithRootLocale(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  int countsAtomically(AtomicInteger counter) {
    return counter.incrementAndGet();
  }

  int readsBytesInMemory(byte[] bytes) {
    try (ByteArrayInputStream in = new ByteArrayInputStream(bytes)) {
      return in.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String decodesUtf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8) + SCRATCH.get().length;
  }

  private static byte[] buffer() {
    return new byte[8];
  }
}
