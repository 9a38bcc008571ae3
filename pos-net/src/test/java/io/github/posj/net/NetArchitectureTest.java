package io.github.posj.net;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering of STYLE.md §3: protocol rules and wire forms stay free of Netty. */
@AnalyzeClasses(
    packages = "io.github.posj.net",
    importOptions = ImportOption.DoNotIncludeTests.class)
final class NetArchitectureTest {
  @ArchTest
  static final ArchRule protocolHasNoNetty =
      noClasses()
          .that()
          .resideInAPackage("..net.protocol..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.netty..");

  @ArchTest
  static final ArchRule wireFormatHasNoNetty =
      noClasses()
          .that()
          .haveSimpleNameStartingWith("Wire")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.netty..");

  @ArchTest
  static final ArchRule sessionRulesHaveNoNetty =
      noClasses()
          .that()
          .resideInAPackage("..net.session..")
          .and()
          .haveNameNotMatching(".*\\.SessionHandler(\\$.*)?")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.netty..");

  @ArchTest
  static final ArchRule clientDoesNotUseTheServer =
      noClasses()
          .that()
          .resideInAPackage("..net.client..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("..net.server..", "..net.session..");

  @ArchTest
  static final ArchRule lowerLayersDoNotUseTheServer =
      noClasses()
          .that()
          .resideInAnyPackage("..net.protocol..", "..net.codec..", "..net.session..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("..net.server..");
}
