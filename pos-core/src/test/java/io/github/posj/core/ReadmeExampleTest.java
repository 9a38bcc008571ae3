package io.github.posj.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.round.Round;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.StakeTable;
import io.github.posj.core.stake.ValidatorId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's pos-core example, compiled and run so that it stays true: the code between the
 * markers below is the README's {@code java} block, and {@link
 * #readme_javaBlock_isTheCompiledExample} fails when the two drift apart.
 */
final class ReadmeExampleTest {
  private static final String START = "// --- README example start";
  private static final String END = "// --- README example end";

  @Test
  void readmeExample_forgesABlock() {
    // --- README example start
    Chain chain = Chain.genesis(HashScheme.posj(), GoTimestamp.format(Instant.now()));
    ValidatorId alice = ValidatorId.derive("alice".getBytes(StandardCharsets.UTF_8));
    ValidatorId bob = ValidatorId.derive("bob".getBytes(StandardCharsets.UTF_8));
    StakeTable stakes = StakeTable.empty().with(alice, 100).with(bob, 300);

    String now = GoTimestamp.format(Instant.now());
    List<Block> proposals = List.of(chain.nextBlock(72, now, alice), chain.nextBlock(65, now, bob));
    RoundOutcome outcome =
        new Round(chain, proposals, stakes).resolve(RandomnessSource.from(new SecureRandom()));

    if (outcome instanceof RoundOutcome.Forged forged) { // bob wins 3 times in 4
      chain = forged.chain();
      System.out.println("winning validator: " + forged.winner());
    }
    System.out.println(ChainJson.write(chain.blocks()));
    // --- README example end

    assertThat(chain.size()).isEqualTo(2);
  }

  @Test
  void readme_javaBlock_isTheCompiledExample() throws IOException {
    Path readme = SourceTree.repository().resolve("README.md");
    Path self =
        SourceTree.coreModule()
            .resolve("src/test/java")
            .resolve(ReadmeExampleTest.class.getName().replace('.', '/') + ".java");
    assertThat(readme).as("the repository's README").isRegularFile();

    List<String> blocks = javaBlocks(Files.readString(readme, StandardCharsets.UTF_8));
    String example = markedRegion(Files.readString(self, StandardCharsets.UTF_8));

    assertThat(blocks).as("```java blocks in %s", readme).hasSize(1);
    assertThat(normalise(blocks.get(0)))
        .as("README.md's java block versus the code between the markers in %s", self)
        .isEqualTo(normalise(example));
  }

  /** The contents of every fenced block that opens with {@code ```java}. */
  private static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^```java[ \\t]*\\R(.*?)^```[ \\t]*$", Pattern.DOTALL)
            .matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** The lines between the marker comments, each of which stands on a line of its own. */
  private static String markedRegion(String source) {
    Matcher m =
        Pattern.compile(
                "(?m)^[ \\t]*"
                    + Pattern.quote(START)
                    + "[ \\t]*\\R(.*?)^[ \\t]*"
                    + Pattern.quote(END)
                    + "[ \\t]*$",
                Pattern.DOTALL)
            .matcher(source);
    assertThat(m.find()).as("the lines %s and %s in the test's source", START, END).isTrue();
    return m.group(1);
  }

  /** Without the common indentation, trailing spaces and blank lines at either end. */
  private static String normalise(String code) {
    List<String> lines = code.lines().map(String::stripTrailing).toList();
    int indent =
        lines.stream()
            .filter(line -> !line.isEmpty())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream()
        .map(line -> line.isEmpty() ? line : line.substring(indent))
        .collect(Collectors.joining("\n"))
        .replaceAll("^\n+|\n+$", "");
  }
}
