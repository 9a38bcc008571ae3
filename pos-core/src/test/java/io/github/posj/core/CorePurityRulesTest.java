package io.github.posj.core;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import io.github.posj.purityfixture.ImpureFixture;
import io.github.posj.purityfixture.PureFixture;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The purity rules still catch what they are meant to: each is applied to {@link ImpureFixture}, a
 * deliberately impure class in test sources, and must report exactly the methods listed for it
 * here; none may report {@link PureFixture}. A rule weakened by a refactoring, or an ArchUnit
 * upgrade that stops seeing a kind of access, fails this test rather than passing silently.
 */
final class CorePurityRulesTest {
  /** The fixtures live in test sources; this import option is what lets them in. */
  private static final JavaClasses FIXTURES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
          .importPackages("io.github.posj.purityfixture");

  private static final Pattern ORIGIN =
      Pattern.compile("^\\w+ <" + Pattern.quote(ImpureFixture.class.getName()) + "\\.([\\w$]+)\\(");

  /** For each rule, the methods of {@link ImpureFixture} it must report, and no others. */
  private static final Map<String, List<String>> EXPECTED =
      Map.of(
          "NO_IO",
          List.of("opensFile", "resolvesPath", "opensSocket", "readsStandardInput", "usesConsole"),
          "NO_THREADS",
          List.of(
              "makesThread",
              "sleepsWithThread",
              "makesExecutor",
              "usesCommonPool",
              "streamsInParallel",
              "makesStreamParallel",
              "makesIntStreamParallel",
              "sortsInParallel",
              "referencesParallelStream"),
          "NO_BLOCKING",
          List.of("sleepsWithTimeUnit", "waitsOnMonitor", "parks", "makesLatch", "makesLock"),
          "NO_CLOCK",
          List.of(
              "readsCurrentTimeMillis",
              "readsNanoTime",
              "readsInstantNow",
              "readsLocalDateTimeNow",
              "referencesInstantNow",
              "referencesCurrentTimeMillis",
              "referencesNanoTime",
              "usesClock",
              "makesDate",
              "referencesDateConstructor",
              "readsCalendar"),
          "NO_AMBIENT_RANDOMNESS",
          List.of(
              "makesRandom",
              "makesSecureRandom",
              "readsThreadLocalRandom",
              "referencesThreadLocalRandom",
              "readsMathRandom",
              "referencesMathRandom",
              "readsStrictMathRandom",
              "makesSplittableRandom",
              "getsDefaultRandomGenerator",
              "getsNamedRandomGenerator",
              "getsNamedSplittableGenerator",
              "usesRandomGeneratorFactory",
              "makesRandomUuid",
              "referencesRandomUuid",
              "shufflesWithAmbientRandomness",
              "referencesOneArgumentShuffle"),
          "NO_LOGGING",
          List.of(
              "getsSystemLogger",
              "getsJulLogger",
              "printsToStandardOutput",
              "printsToStandardError"),
          "NO_ENVIRONMENT",
          List.of(
              "readsEnvironmentVariable",
              "readsWholeEnvironment",
              "referencesGetenv",
              "readsSystemProperty",
              "readsSystemProperties",
              "readsIntegerProperty",
              "readsLongProperty",
              "readsBooleanProperty",
              "readsDefaultLocale",
              "readsDefaultZone",
              "readsDefaultTimeZone",
              "readsDefaultCharset"),
          "NO_PROCESSES",
          List.of("startsProcess", "readsRuntime", "readsProcessHandle", "exits"),
          "SYSTEM_ONLY_FOR_ARRAYCOPY",
          List.of(
              "readsStandardInput",
              "usesConsole",
              "readsCurrentTimeMillis",
              "readsNanoTime",
              "referencesCurrentTimeMillis",
              "referencesNanoTime",
              "getsSystemLogger",
              "printsToStandardOutput",
              "printsToStandardError",
              "readsEnvironmentVariable",
              "readsWholeEnvironment",
              "referencesGetenv",
              "readsSystemProperty",
              "readsSystemProperties",
              "exits",
              "readsIdentityHashCode",
              "readsLineSeparator"));

  static Stream<String> ruleNames() {
    return new TreeSet<>(CorePurityRules.ALL.keySet()).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ruleNames")
  void rule_impureFixture_reportsExactlyItsMethods(String ruleName) {
    EvaluationResult result =
        CorePurityRules.ALL
            .get(ruleName)
            .evaluate(FIXTURES.that(equivalentTo(ImpureFixture.class)));

    Set<String> reported = new TreeSet<>();
    for (String detail : result.getFailureReport().getDetails()) {
      Matcher origin = ORIGIN.matcher(detail);
      assertThat(origin.find()).as("a violation in ImpureFixture: %s", detail).isTrue();
      reported.add(origin.group(1));
    }
    assertThat(reported)
        .as("methods of ImpureFixture reported by %s", ruleName)
        .containsExactlyInAnyOrderElementsOf(EXPECTED.getOrDefault(ruleName, List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ruleNames")
  void rule_pureFixture_reportsNothing(String ruleName) {
    EvaluationResult result =
        CorePurityRules.ALL.get(ruleName).evaluate(FIXTURES.that(equivalentTo(PureFixture.class)));

    assertThat(result.getFailureReport().getDetails()).isEmpty();
  }

  @Test
  void impureFixture_everyMethod_isExpectedFromSomeRule() {
    Set<String> declared =
        Arrays.stream(ImpureFixture.class.getDeclaredMethods())
            .filter(m -> !m.isSynthetic())
            .map(Method::getName)
            .collect(Collectors.toSet());
    Set<String> expected = new HashSet<>();
    EXPECTED.values().forEach(expected::addAll);

    assertThat(expected).containsExactlyInAnyOrderElementsOf(declared);
    assertThat(EXPECTED.keySet()).isEqualTo(CorePurityRules.ALL.keySet());
  }

  @Test
  void fixtures_areImportedFromTestSources() {
    assertThat(FIXTURES.contain(ImpureFixture.class)).isTrue();
    assertThat(FIXTURES.contain(PureFixture.class)).isTrue();
  }
}
