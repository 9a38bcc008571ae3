package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.testing.TestNetwork;
import io.github.posj.net.server.ApiDocExamples;
import io.github.posj.net.server.Await;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code curl} example of docs/api.md's "Network mode" part works as written: each command
 * line of its code blocks runs in bash against a network node that made blocks over three epochs,
 * missed a slot and saw an equivocation (its port in place of 8080), and answers what the page says
 * it answers.
 */
final class NetworkApiDocsIT {
  /** The examples that the page shows answering 400. */
  private static final List<String> ERRORS =
      List.of(
          "/schedule/0",
          "/schedule/99",
          "/slots/-1",
          "/slots/99999",
          "/blocks/0/proof",
          "/blocks/0xzz");

  @Test
  void apiDoc_everyNetworkCurlExample_answersAsDocumented() throws Exception {
    ApiDocExamples.assumeCurl("NetworkApiDocsIT");
    try (HttpNode node = new HttpNode(TestNetwork.withSlots(30, 4, 10, 20, 30, 40))) {
      node.forge(1);
      node.forge(2);
      node.enter(3);
      for (long slot = 4; slot <= 9; slot++) {
        node.forge(slot);
      }
      node.equivocate(node.blocks.get(node.blocks.size() - 1));
      int port = node.server.httpPort().orElseThrow();
      List<String> examples = ApiDocExamples.curlLines(true);
      assertThat(examples).hasSizeGreaterThanOrEqualTo(15);

      long slot = 10;
      for (String example : examples) {
        Process process = ApiDocExamples.start(example, port);
        if (example.contains("/events") && !example.contains("Last-Event-ID")) {
          // A live stream: once it is subscribed, a slot begins.
          Await.until(
              "the stream is subscribed",
              () ->
                  node.api
                      .data("/posj/v1/node/status")
                      .get("event_subscribers")
                      .asText()
                      .equals("1"));
          node.enter(slot++);
        }
        String output = ApiDocExamples.output(example, process);
        if (example.contains("/events")) {
          assertThat(output).as(example).startsWith("retry: 3000\n\n").contains("event: slot\n");
        } else if (example.contains("/metrics")) {
          assertThat(output).as(example).contains("posj_slots_started_total ");
        } else if (ERRORS.stream().anyMatch(example::endsWith)) {
          assertThat(output).as(example).startsWith("{\"code\":400,");
        } else {
          assertThat(output).as(example).startsWith("{\"data\":");
        }
      }
    }
  }
}
