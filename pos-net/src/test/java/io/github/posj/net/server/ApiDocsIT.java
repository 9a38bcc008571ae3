package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.net.http.HttpSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every {@code curl} example of docs/api.md's tutorial part works as written: each command line of
 * its code blocks runs in bash against a node with validators, forged rounds and a slashing (its
 * port in place of 8080), and answers what the page says it answers. The network-mode part is
 * {@code NetworkApiDocsIT}'s.
 */
final class ApiDocsIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final ServerResources servers = new ServerResources();

  @Test
  void apiDoc_everyCurlExample_answersAsDocumented() throws Exception {
    ApiDocExamples.assumeCurl("ApiDocsIT");
    ValidatorServer server = servers.start(TestServers.config().http(HttpSettings.onPort(0)));
    TestClient validator = servers.client(server, WAIT);
    validator.registerAndPropose(100, 72, WAIT);
    server.runRoundNow().get(10, TimeUnit.SECONDS);
    TestClient slashed = servers.client(server, WAIT);
    slashed.register(50);
    slashed.sendLine("{\"type\":\"propose\",\"bpm\":\"abc\"}");
    slashed.awaitClosed(WAIT);
    int port = server.httpPort().getAsInt();
    List<String> examples = ApiDocExamples.curlLines(false);
    assertThat(examples).hasSizeGreaterThanOrEqualTo(15);

    ApiClient api = new ApiClient(server);
    for (String example : examples) {
      Process process = ApiDocExamples.start(example, port);
      if (example.contains("/events") && !example.contains("Last-Event-ID")) {
        // A live stream: once it is subscribed, a round ends.
        Await.until(
            "the stream is subscribed",
            () -> api.data("/posj/v1/node/status").get("event_subscribers").asText().equals("1"));
        server.runRoundNow().get(10, TimeUnit.SECONDS);
      }
      String output = ApiDocExamples.output(example, process);
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
}
