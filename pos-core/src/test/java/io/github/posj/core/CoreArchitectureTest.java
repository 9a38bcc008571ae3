package io.github.posj.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.posj.core.block.Block;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.crypto.Ed25519;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pos-core is pure: no sockets, files, threads, blocking, clocks, ambient randomness, logging,
 * environment or processes. Time and randomness are handed in (STYLE.md sections 2 and 6). The
 * rules are in {@link CorePurityRules}.
 */
final class CoreArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.github.posj.core");

  static Stream<Arguments> rules() {
    return CorePurityRules.ALL.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void core_keepsPurityRule(String name, ArchRule rule) {
    rule.check(CORE);
  }

  /**
   * BouncyCastle only through its lightweight Ed25519 API and only in {@code core.crypto}: no JCA
   * provider (global state, another verifier's rules), nothing else that could change which
   * signatures are valid.
   */
  @Test
  void core_usesBouncyCastleOnlyForEd25519InCrypto() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.github.posj.core.crypto..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.bouncycastle..")
        .check(CORE);
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.bouncycastle..")
                .and(not(resideInAPackage("org.bouncycastle.math.ec.rfc8032"))))
        .check(CORE);
    assertThat(CORE.contain(Ed25519.class)).isTrue();
  }

  @Test
  void core_importHoldsTheMainClasses() {
    // A mistyped package would import nothing, and every rule would pass on nothing.
    assertThat(CORE.contain(Block.class)).isTrue();
    assertThat(CORE.contain(Chain.class)).isTrue();
  }
}
