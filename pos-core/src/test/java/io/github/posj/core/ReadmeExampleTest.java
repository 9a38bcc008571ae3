package io.github.posj.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.chain.Chain;
import io.github.posj.example.ReadmeExample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's pos-core example stays true: its {@code java} block is, word for word, the code
 * between the markers in the example project's {@link ReadmeExample} (which posj's build also
 * builds and runs against the published artifacts), and that code forges a block when run.
 */
final class ReadmeExampleTest {
  private static final String START = "// --- README example start";
  private static final String END = "// --- README example end";

  @Test
  void readmeExample_forgesABlock() {
    Chain chain = ReadmeExample.run();

    assertThat(chain.size()).isEqualTo(2);
  }

  @Test
  void readme_javaBlock_isTheCompiledExample() throws IOException {
    Path readme = SourceTree.repository().resolve("README.md");
    Path example =
        SourceTree.repository()
            .resolve("examples/embed-pos-core/src/main/java")
            .resolve(ReadmeExample.class.getName().replace('.', '/') + ".java");
    assertThat(readme).as("the repository's README").isRegularFile();

    List<String> blocks = javaBlocks(Files.readString(readme, StandardCharsets.UTF_8));
    String code = markedRegion(Files.readString(example, StandardCharsets.UTF_8));

    assertThat(blocks).as("```java blocks in %s", readme).hasSize(1);
    assertThat(normalise(blocks.get(0)))
        .as("README.md's java block versus the code between the markers in %s", example)
        .isEqualTo(normalise(code));
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
    assertThat(m.find()).as("the lines %s and %s in the example's source", START, END).isTrue();
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
