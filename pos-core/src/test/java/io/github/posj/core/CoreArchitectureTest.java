package io.github.posj.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * pos-core is pure: no sockets, files, threads, clocks, ambient randomness or logging. Time and
 * randomness are handed in (STYLE.md section 2).
 */
final class CoreArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.github.posj.core");

  @Test
  void core_doesNoIo() {
    check(
        noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.net..", "java.nio.file..", "java.nio.channels..")
            .orShould()
            .dependOnClassesThat()
            .haveNameMatching("java\\.io\\.File.*|java\\.io\\.RandomAccessFile"));
  }

  @Test
  void core_startsNoThreads() {
    check(
        noClasses()
            .should()
            .dependOnClassesThat()
            .haveNameMatching(
                "java\\.lang\\.Thread|java\\.util\\.concurrent\\.(Executor.*|.*ExecutorService|ForkJoinPool|CompletableFuture|ThreadFactory|Timer.*)|java\\.util\\.Timer"));
  }

  @Test
  void core_readsNoClock() {
    check(
        noClasses()
            .should()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(System.class, "nanoTime")
            .orShould()
            .callMethodWhere(
                com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                    com.tngtech.archunit.base.DescribedPredicate.describe(
                        "now()", t -> t.getName().equals("now"))))
            .orShould()
            .dependOnClassesThat()
            .haveNameMatching("java\\.time\\.Clock|java\\.time\\.InstantSource"));
  }

  @Test
  void core_createsNoAmbientRandomness() {
    check(
        noClasses()
            .should()
            .dependOnClassesThat()
            .haveNameMatching(
                "java\\.util\\.Random|java\\.security\\.SecureRandom|java\\.util\\.concurrent\\.ThreadLocalRandom")
            .orShould()
            .callMethod(Math.class, "random"));
  }

  @Test
  void core_logsNothing() {
    check(
        noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.slf4j..", "java.util.logging..", "org.apache.logging..")
            .orShould()
            .accessField(System.class, "out")
            .orShould()
            .accessField(System.class, "err"));
  }

  private static void check(ArchRule rule) {
    rule.check(CORE);
  }
}
