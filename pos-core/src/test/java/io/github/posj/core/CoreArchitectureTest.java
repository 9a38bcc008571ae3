package io.github.posj.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.posj.core.block.Block;
import io.github.posj.core.chain.Chain;
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

  @Test
  void core_importHoldsTheMainClasses() {
    // A mistyped package would import nothing, and every rule would pass on nothing.
    assertThat(CORE.contain(Block.class)).isTrue();
    assertThat(CORE.contain(Chain.class)).isTrue();
  }
}
