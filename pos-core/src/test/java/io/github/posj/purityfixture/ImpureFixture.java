package io.github.posj.purityfixture;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.IntStream;

/**
 * Deliberately impure code: each method breaks one purity rule of pos-core in one way, so that
 * {@code CorePurityRulesTest} can show that every rule still reports what it is meant to catch.
 *
 * <p>Nothing ever runs these methods; the test only reads their bytecode. The package lies outside
 * {@code io.github.posj.core} on purpose, so no import of the core can pick it up, and the pos-core
 * test-jar leaves it out.
 */
public final class ImpureFixture {
  private ImpureFixture() {}

  // --- I/O

  Object opensFile() throws IOException {
    return new FileInputStream("x");
  }

  Object resolvesPath() {
    return Path.of("x");
  }

  Object opensSocket() {
    return new Socket();
  }

  Object readsStandardInput() {
    return System.in;
  }

  Object usesConsole() {
    return System.console();
  }

  // --- threads, including the common pool behind parallel streams

  Object makesThread() {
    return new Thread();
  }

  Object makesExecutor() {
    return Executors.newSingleThreadExecutor();
  }

  Object usesCommonPool() {
    return ForkJoinPool.commonPool();
  }

  long streamsInParallel(List<Long> values) {
    return values.parallelStream().count();
  }

  long makesStreamParallel(List<Long> values) {
    return values.stream().parallel().count();
  }

  int makesIntStreamParallel() {
    return IntStream.range(0, 10).parallel().sum();
  }

  void sortsInParallel(long[] values) {
    Arrays.parallelSort(values);
  }

  Supplier<Object> referencesParallelStream(List<Long> values) {
    return values::parallelStream;
  }

  // --- blocking

  void sleepsWithTimeUnit() throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(1);
  }

  void sleepsWithThread() throws InterruptedException {
    Thread.sleep(1);
  }

  void waitsOnMonitor() throws InterruptedException {
    synchronized (this) {
      wait(1);
    }
  }

  void parks() {
    LockSupport.parkNanos(1);
  }

  Object makesLatch() {
    return new CountDownLatch(1);
  }

  Object makesLock() {
    return new ReentrantLock();
  }

  // --- clocks

  long readsCurrentTimeMillis() {
    return System.currentTimeMillis();
  }

  long readsNanoTime() {
    return System.nanoTime();
  }

  Object readsInstantNow() {
    return Instant.now();
  }

  Object readsLocalDateTimeNow() {
    return LocalDateTime.now();
  }

  Supplier<Object> referencesInstantNow() {
    return Instant::now;
  }

  LongSupplier referencesCurrentTimeMillis() {
    return System::currentTimeMillis;
  }

  LongSupplier referencesNanoTime() {
    return System::nanoTime;
  }

  Object usesClock() {
    return Clock.systemUTC();
  }

  Object makesDate() {
    return new Date();
  }

  Supplier<Object> referencesDateConstructor() {
    return Date::new;
  }

  Object readsCalendar() {
    return Calendar.getInstance();
  }

  // --- ambient randomness

  Object makesRandom() {
    return new Random();
  }

  Object makesSecureRandom() {
    return new SecureRandom();
  }

  double readsThreadLocalRandom() {
    return ThreadLocalRandom.current().nextDouble();
  }

  Supplier<Object> referencesThreadLocalRandom() {
    return ThreadLocalRandom::current;
  }

  double readsMathRandom() {
    return Math.random();
  }

  DoubleSupplier referencesMathRandom() {
    return Math::random;
  }

  double readsStrictMathRandom() {
    return StrictMath.random();
  }

  Object makesSplittableRandom() {
    return new SplittableRandom();
  }

  Object getsDefaultRandomGenerator() {
    return RandomGenerator.getDefault();
  }

  Object getsNamedRandomGenerator() {
    return RandomGenerator.of("L64X128MixRandom");
  }

  Object getsNamedSplittableGenerator() {
    return RandomGenerator.SplittableGenerator.of("L64X128MixRandom");
  }

  Object usesRandomGeneratorFactory() {
    return RandomGeneratorFactory.of("L64X128MixRandom").create();
  }

  Object makesRandomUuid() {
    return UUID.randomUUID();
  }

  Supplier<Object> referencesRandomUuid() {
    return UUID::randomUUID;
  }

  void shufflesWithAmbientRandomness(List<Long> values) {
    Collections.shuffle(values);
  }

  Consumer<List<?>> referencesOneArgumentShuffle() {
    return Collections::shuffle;
  }

  // --- logging

  Object getsSystemLogger() {
    return System.getLogger("x");
  }

  Object getsJulLogger() {
    return java.util.logging.Logger.getLogger("x");
  }

  void printsToStandardOutput() {
    System.out.println();
  }

  void printsToStandardError() {
    System.err.println();
  }

  // --- the process's environment

  Object readsEnvironmentVariable() {
    return System.getenv("HOME");
  }

  Object readsWholeEnvironment() {
    return System.getenv();
  }

  Function<String, String> referencesGetenv() {
    return System::getenv;
  }

  Object readsSystemProperty() {
    return System.getProperty("user.home");
  }

  Object readsSystemProperties() {
    return System.getProperties();
  }

  Object readsIntegerProperty() {
    return Integer.getInteger("x");
  }

  Object readsLongProperty() {
    return Long.getLong("x");
  }

  boolean readsBooleanProperty() {
    return Boolean.getBoolean("x");
  }

  Object readsDefaultLocale() {
    return Locale.getDefault();
  }

  Object readsDefaultZone() {
    return ZoneId.systemDefault();
  }

  Object readsDefaultTimeZone() {
    return TimeZone.getDefault();
  }

  Object readsDefaultCharset() {
    return Charset.defaultCharset();
  }

  // --- processes and the runtime

  Object startsProcess() throws IOException {
    return new ProcessBuilder("true").start();
  }

  int readsRuntime() {
    return Runtime.getRuntime().availableProcessors();
  }

  long readsProcessHandle() {
    return ProcessHandle.current().pid();
  }

  void exits() {
    System.exit(1);
  }

  // --- any other use of System

  int readsIdentityHashCode(Object value) {
    return System.identityHashCode(value);
  }

  String readsLineSeparator() {
    return System.lineSeparator();
  }
}
