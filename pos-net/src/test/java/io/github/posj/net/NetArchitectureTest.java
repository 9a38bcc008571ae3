package io.github.posj.net;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.round.Round;
import io.github.posj.core.stake.StakeLedger;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.util.Map;

/**
 * The layering of STYLE.md §3: protocol rules and wire forms stay free of Netty; and the node's
 * rules stay in pos-core's {@code Node} (issue #10): pos-net neither draws winners, builds blocks,
 * nor keeps stakes of its own.
 */
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
          // The Netty adapters: the handler, and the batches to and from the owner thread.
          .haveNameNotMatching(".*\\.(SessionHandler|Inbox|Outbox)(\\$.*)?")
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

  @ArchTest
  static final ArchRule domainRulesStayInCore =
      noClasses()
          .that()
          .resideInAPackage("io.github.posj.net..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.github.posj.core.selection..")
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(Round.class, StakeLedger.class)
          .orShould()
          .callMethod(RandomnessSource.class, "nextLong")
          .orShould()
          .callMethod(RandomnessSource.class, "nextLong", long.class)
          .orShould()
          .callMethod(Chain.class, "nextBlock", long.class, String.class, ValidatorId.class)
          .orShould()
          .callMethod(StakeTable.class, "with", ValidatorId.class, long.class)
          .orShould()
          .callMethod(StakeTable.class, "of", Map.class)
          .orShould()
          .callMethod(StakeTable.class, "without", ValidatorId.class)
          .because(
              "stake bounds, eligibility, slashing, block building and the draw are the rules of"
                  + " core's Node; pos-net only feeds it commands and acts on its events");
}
