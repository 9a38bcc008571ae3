package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.net.http.HttpSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every {@code curl} example of docs/api.md works as written: each command line of its code blocks
 * runs in bash against a node with validators, forged rounds and a slashing (its port in place of
 * 8080), and answers what the page says it answers.
 */
final class ApiDocsIT {
  private static final Path API_DOC = Path.of("..", "docs", "api.md");
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final ServerResources servers = new ServerResources();

  /** The command lines of the document's code blocks that run curl. */
  private static List<String> examples() throws Exception {
    List<String> commands = new ArrayList<>();
    boolean inBlock = false;
    for (String line : Files.readAllLines(API_DOC, StandardCharsets.UTF_8)) {
      if (line.startsWith("```")) {
        inBlock = !inBlock;
      } else if (inBlock && line.contains("curl ") && !line.startsWith("{")) {
        commands.add(line);
      }
    }
    return commands;
  }

  @Test
  void apiDoc_everyCurlExample_answersAsDocumented() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/curl")) && Files.isExecutable(Path.of("/bin/bash")),
        "SKIPPED ApiDocsIT: curl and bash are needed to run docs/api.md's examples");
    ValidatorServer server = servers.start(TestServers.config().http(HttpSettings.onPort(0)));
    TestClient validator = servers.client(server, WAIT);
    validator.registerAndPropose(100, 72, WAIT);
    server.runRoundNow().get(10, TimeUnit.SECONDS);
    TestClient slashed = servers.client(server, WAIT);
    slashed.register(50);
    slashed.sendLine("{\"type\":\"propose\",\"bpm\":\"abc\"}");
    slashed.awaitClosed(WAIT);
    String host = "127.0.0.1:" + server.httpPort().getAsInt();
    List<String> examples = examples();
    assertThat(examples).hasSizeGreaterThanOrEqualTo(15);

    ApiClient api = new ApiClient(server);
    for (String example : examples) {
      Process process = start(example.replace("127.0.0.1:8080", host));
      if (example.contains("/events") && !example.contains("Last-Event-ID")) {
        // A live stream: once it is subscribed, a round ends.
        Await.until(
            "the stream is subscribed",
            () -> api.data("/posj/v1/node/status").get("event_subscribers").asText().equals("1"));
        server.runRoundNow().get(10, TimeUnit.SECONDS);
      }
      String output = output(example, process);
      if (example.contains("/events")) {
        assertThat(output).as(example).startsWith("retry: 3000\n\n").contains("event: round\n");
      } else if (example.contains("/metrics")) {
        assertThat(output).as(example).contains("posj_rounds_total{outcome=\"forged\"");
      } else if (example.contains("blocks/-1") || example.contains("count=5000")) {
        assertThat(output).as(example).startsWith("{\"code\":400,");
      } else if (example.contains("99999") || example.contains("nothing")) {
        assertThat(output).as(example).startsWith("{\"code\":404,");
      } else {
        assertThat(output).as(example).startsWith("{\"data\":");
      }
    }
  }

  private static Process start(String command) throws Exception {
    return new ProcessBuilder("/bin/bash", "-c", command).redirectErrorStream(true).start();
  }

  /** What {@code command}'s process printed, once it ended. */
  private static String output(String command, Process process) throws Exception {
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as(command).isTrue();
    // curl --max-time ends an event stream with exit code 28; anything else must succeed.
    assertThat(process.exitValue()).as(command).isIn(0, 28);
    return new String(output, StandardCharsets.UTF_8);
  }
}
