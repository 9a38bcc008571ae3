package io.github.posj.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rules that keep pos-core pure (STYLE.md sections 2 and 6): no sockets or files, no threads or
 * blocking, no clocks, no ambient randomness, no logging, nothing read from the process's
 * environment, no processes.
 *
 * <p>Method and constructor references count as uses ({@code Instant::now} reads the clock as
 * surely as {@code Instant.now()}), so member rules test every access ({@code accessTargetWhere}),
 * which covers calls, references and field reads; {@code callMethod} would miss references.
 *
 * <p>{@link CoreArchitectureTest} applies the rules to pos-core; {@link CorePurityRulesTest} shows
 * that each still reports a deliberately impure class, so a rule cannot quietly stop catching.
 */
final class CorePurityRules {
  private static final String CONSTRUCTOR = "<init>";

  /** The parameter lists of {@code Object.wait}. */
  private static final Set<List<String>> WAIT_PARAMETERS =
      Set.of(List.of(), List.of("long"), List.of("long", "int"));

  /** No sockets, files, channels or consoles. */
  static final ArchRule NO_IO =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.net..", "java.nio.file..", "java.nio.channels..")
          .orShould()
          .dependOnClassesThat()
          .haveNameMatching("java\\.io\\.(File.*|RandomAccessFile|Console)")
          .orShould()
          .accessTargetWhere(member("System.in", "java.lang.System", "in"))
          .orShould()
          .accessTargetWhere(member("System.console()", "java.lang.System", "console"))
          .because("pos-core does no I/O: callers hand it values");

  /** No threads, executors, timers or the common pool (which parallel streams use). */
  static final ArchRule NO_THREADS =
      noClasses()
          .should()
          .dependOnClassesThat()
          .haveNameMatching(
              "java\\.lang\\.Thread(\\$.*)?|java\\.lang\\.ThreadGroup|java\\.util\\.Timer.*"
                  + "|java\\.util\\.concurrent\\.(Executor.*|.*ExecutorService|ForkJoin.*"
                  + "|CompletableFuture|CompletionStage|ThreadFactory|Timer.*)")
          .orShould()
          .accessTargetWhere(
              target(
                  "a parallel stream or parallel array operation (java.util..parallel*)",
                  t ->
                      t.getName().startsWith("parallel")
                          && t.getOwner().getPackageName().startsWith("java.util")))
          .because("pos-core starts no threads, not even the common pool's");

  /** No sleeping, waiting, parking or blocking synchronisers. */
  static final ArchRule NO_BLOCKING =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("java.util.concurrent.locks..")
          .orShould()
          .dependOnClassesThat()
          .haveNameMatching(
              "java\\.util\\.concurrent\\.(CountDownLatch|CyclicBarrier|Semaphore|Phaser"
                  + "|Exchanger|Future|FutureTask|.*Blocking(Queue|Deque))")
          .orShould()
          .accessTargetWhere(
              target(
                  "TimeUnit.sleep/timedJoin/timedWait",
                  t ->
                      isOwner(t, "java.util.concurrent.TimeUnit")
                          && Set.of("sleep", "timedJoin", "timedWait").contains(t.getName())))
          .orShould()
          .accessTargetWhere(
              target(
                  "Object.wait",
                  t ->
                      t.getName().equals("wait")
                          && t instanceof CodeUnitAccessTarget c
                          && WAIT_PARAMETERS.contains(
                              c.getRawParameterTypes().stream().map(JavaClass::getName).toList())))
          .because("pos-core does not block, sleep or wait");

  /** No clocks: time is handed in. */
  static final ArchRule NO_CLOCK =
      noClasses()
          .should()
          .dependOnClassesThat()
          .haveNameMatching("java\\.time\\.(Clock|InstantSource)")
          .orShould()
          .accessTargetWhere(
              target(
                  "a java.time now()",
                  t ->
                      t.getName().equals("now")
                          && t.getOwner().getPackageName().equals("java.time")))
          .orShould()
          .accessTargetWhere(
              member("System.currentTimeMillis()", "java.lang.System", "currentTimeMillis"))
          .orShould()
          .accessTargetWhere(member("System.nanoTime()", "java.lang.System", "nanoTime"))
          .orShould()
          .accessTargetWhere(
              target(
                  "new Date() (the current time)",
                  t ->
                      isOwner(t, "java.util.Date")
                          && t.getName().equals(CONSTRUCTOR)
                          && parameterCount(t) == 0))
          .orShould()
          .accessTargetWhere(
              target(
                  "Calendar.getInstance (the current time)",
                  t -> isOwner(t, "java.util.Calendar") && t.getName().equals("getInstance")))
          .because("pos-core reads no clock: time is an argument");

  /** No randomness except what is handed in (a RandomnessSource or a RandomGenerator). */
  static final ArchRule NO_AMBIENT_RANDOMNESS =
      noClasses()
          .should()
          .dependOnClassesThat()
          .haveNameMatching(
              "java\\.util\\.(Random|SplittableRandom|random\\.RandomGeneratorFactory)"
                  + "|java\\.security\\.SecureRandom|java\\.util\\.concurrent\\.ThreadLocalRandom")
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("jdk.random..")
          .orShould()
          .accessTargetWhere(
              target(
                  "RandomGenerator.getDefault() or a RandomGenerator.of(name) factory",
                  t ->
                      t.getOwner().getPackageName().equals("java.util.random")
                          && Set.of("getDefault", "of", "all").contains(t.getName())))
          .orShould()
          .accessTargetWhere(
              target(
                  "Math.random() or StrictMath.random()",
                  t ->
                      (isOwner(t, "java.lang.Math") || isOwner(t, "java.lang.StrictMath"))
                          && t.getName().equals("random")))
          .orShould()
          .accessTargetWhere(member("UUID.randomUUID()", "java.util.UUID", "randomUUID"))
          .orShould()
          .accessTargetWhere(
              target(
                  "Collections.shuffle(list) (ambient randomness)",
                  t ->
                      isOwner(t, "java.util.Collections")
                          && t.getName().equals("shuffle")
                          && parameterCount(t) == 1))
          .because("pos-core's randomness is handed in, so the same inputs give the same result");

  /** No logging: pos-core returns results that callers log. */
  static final ArchRule NO_LOGGING =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.slf4j..",
              "java.util.logging..",
              "org.apache.logging..",
              "org.apache.commons.logging..",
              "ch.qos.logback..")
          .orShould()
          .dependOnClassesThat()
          .haveNameMatching("java\\.lang\\.System\\$Logger.*")
          .orShould()
          .accessTargetWhere(member("System.getLogger", "java.lang.System", "getLogger"))
          .orShould()
          .accessTargetWhere(member("System.out", "java.lang.System", "out"))
          .orShould()
          .accessTargetWhere(member("System.err", "java.lang.System", "err"))
          .because("pos-core does not log: it returns results that callers log");

  /**
   * Nothing from the process's environment: no environment variables, system properties or default
   * locale, zone or charset. Configuration is the CLI's job; pos-core's results depend on its
   * arguments only.
   */
  static final ArchRule NO_ENVIRONMENT =
      noClasses()
          .should()
          .accessTargetWhere(
              target(
                  "System.getenv, System properties or Integer/Long/Boolean.get* (system"
                      + " properties)",
                  t ->
                      (isOwner(t, "java.lang.System")
                              && Set.of(
                                      "getenv",
                                      "getProperty",
                                      "getProperties",
                                      "setProperty",
                                      "setProperties",
                                      "clearProperty")
                                  .contains(t.getName()))
                          || (isOwner(t, "java.lang.Integer") && t.getName().equals("getInteger"))
                          || (isOwner(t, "java.lang.Long") && t.getName().equals("getLong"))
                          || (isOwner(t, "java.lang.Boolean") && t.getName().equals("getBoolean"))))
          .orShould()
          .accessTargetWhere(
              target(
                  "the default locale, time zone or charset",
                  t ->
                      (isOwner(t, "java.util.Locale") && t.getName().equals("getDefault"))
                          || (isOwner(t, "java.util.TimeZone") && t.getName().equals("getDefault"))
                          || (isOwner(t, "java.time.ZoneId") && t.getName().equals("systemDefault"))
                          || (isOwner(t, "java.nio.charset.Charset")
                              && t.getName().equals("defaultCharset"))))
          .because("pos-core's results depend on its arguments, not on the process's settings");

  /** No processes and no runtime: nothing that starts, inspects or ends a process. */
  static final ArchRule NO_PROCESSES =
      noClasses()
          .should()
          .dependOnClassesThat()
          .haveNameMatching(
              "java\\.lang\\.(ProcessBuilder.*|Process|ProcessHandle.*|Runtime(\\$.*)?)")
          .orShould()
          .accessTargetWhere(member("System.exit", "java.lang.System", "exit"))
          .because("pos-core starts, inspects and ends no process");

  /**
   * The one use of {@code System} pos-core needs is {@code arraycopy}; everything else on it is a
   * clock, the environment, a stream or the process. A catch-all behind the specific rules.
   */
  static final ArchRule SYSTEM_ONLY_FOR_ARRAYCOPY =
      noClasses()
          .should()
          .accessTargetWhere(
              target(
                  "a member of java.lang.System other than arraycopy",
                  t -> isOwner(t, "java.lang.System") && !t.getName().equals("arraycopy")))
          .because("System is the door to clocks, the environment and the process");

  /** Every rule, by name. */
  static final Map<String, ArchRule> ALL =
      Map.of(
          "NO_IO", NO_IO,
          "NO_THREADS", NO_THREADS,
          "NO_BLOCKING", NO_BLOCKING,
          "NO_CLOCK", NO_CLOCK,
          "NO_AMBIENT_RANDOMNESS", NO_AMBIENT_RANDOMNESS,
          "NO_LOGGING", NO_LOGGING,
          "NO_ENVIRONMENT", NO_ENVIRONMENT,
          "NO_PROCESSES", NO_PROCESSES,
          "SYSTEM_ONLY_FOR_ARRAYCOPY", SYSTEM_ONLY_FOR_ARRAYCOPY);

  private CorePurityRules() {}

  private static DescribedPredicate<JavaAccess<?>> target(
      String description, Predicate<AccessTarget> test) {
    return DescribedPredicate.describe(description, access -> test.test(access.getTarget()));
  }

  private static DescribedPredicate<JavaAccess<?>> member(
      String description, String owner, String name) {
    return target(description, t -> isOwner(t, owner) && t.getName().equals(name));
  }

  private static boolean isOwner(AccessTarget target, String className) {
    return target.getOwner().getName().equals(className);
  }

  private static int parameterCount(AccessTarget target) {
    return target instanceof CodeUnitAccessTarget c ? c.getRawParameterTypes().size() : -1;
  }
}
