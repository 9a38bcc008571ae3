package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The {@code curl} examples of docs/api.md, and a way to run one as written: the tutorial's (before
 * the "Network mode" heading) or a network node's (after it).
 */
public final class ApiDocExamples {
  private static final Path API_DOC = Path.of("..", "docs", "api.md");
  private static final String NETWORK_HEADING = "## Network mode";

  private ApiDocExamples() {}

  /** Skips the calling test, saying why, where curl or bash is missing. */
  public static void assumeCurl(String test) {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/curl")) && Files.isExecutable(Path.of("/bin/bash")),
        "SKIPPED " + test + ": curl and bash are needed to run docs/api.md's examples");
  }

  /** The command lines of the code blocks that run curl, of the tutorial or of network mode. */
  public static List<String> curlLines(boolean network) throws Exception {
    List<String> commands = new ArrayList<>();
    boolean inBlock = false;
    boolean inNetwork = false;
    for (String line : Files.readAllLines(API_DOC, StandardCharsets.UTF_8)) {
      if (line.startsWith(NETWORK_HEADING)) {
        inNetwork = true;
      } else if (line.startsWith("```")) {
        inBlock = !inBlock;
      } else if (inBlock
          && inNetwork == network
          && line.contains("curl ")
          && !line.startsWith("{")) {
        commands.add(line);
      }
    }
    return commands;
  }

  /** Starts {@code example} in bash with the API's address in place of 127.0.0.1:8080. */
  public static Process start(String example, int port) throws Exception {
    return new ProcessBuilder(
            "/bin/bash", "-c", example.replace("127.0.0.1:8080", "127.0.0.1:" + port))
        .redirectErrorStream(true)
        .start();
  }

  /** What {@code example}'s process printed, once it ended (curl --max-time ends a stream). */
  public static String output(String example, Process process) throws Exception {
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as(example).isTrue();
    // curl --max-time ends an event stream with exit code 28; anything else must succeed.
    assertThat(process.exitValue()).as(example).isIn(0, 28);
    return new String(output, StandardCharsets.UTF_8);
  }
}
