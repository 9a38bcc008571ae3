package io.github.posj.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.round.RoundOutcome;
import io.github.posj.net.http.HttpSettings;
import io.github.posj.net.protocol.ServerMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The live page in a real browser: headless Chromium (Debian's {@code chromium}; {@code .ci/run}
 * installs it) loads {@code /} from a running node with validators, a round ends, and the page
 * shows its winner and the wins-against-stake chart; on a phone's width nothing overflows. A
 * screenshot goes to {@code target/live-page.png}, and to the path in the system property {@code
 * posj.screenshot} when given (the README's: {@code docs/images/live-page.png}).
 *
 * <p>Without Chromium the test is skipped, saying so on standard error and in the report.
 */
final class LivePageBrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long[] STAKES = {500, 300, 150, 50};

  @RegisterExtension final ServerResources servers = new ServerResources();

  @Test
  void livePage_aRoundEnds_showsItsWinnerAndTheChart() throws Exception {
    Path chromium = HeadlessChromium.findOrSkip("LivePageBrowserIT");
    ValidatorServer server = servers.start(TestServers.config().http(HttpSettings.onPort(0)));
    List<TestClient> validators = new ArrayList<>();
    for (long stake : STAKES) {
      TestClient client = servers.client(server, WAIT);
      client.register(stake);
      validators.add(client);
    }
    for (int round = 0; round < 40; round++) {
      forge(server, validators);
    }
    String url = "http://127.0.0.1:" + server.httpPort().getAsInt() + "/";

    try (HeadlessChromium browser = HeadlessChromium.open(chromium, url, 1000, 1400)) {
      browser.awaitTrue(
          "the page is live", "document.getElementById('stream-state').className === 'live'");
      browser.awaitTrue(
          "the chart is drawn",
          "document.querySelectorAll('#chart rect.won').length === " + STAKES.length);
      RoundOutcome.Forged forged = forge(server, validators);

      browser.awaitTrue(
          "the new round's winner is shown",
          "document.getElementById('last-winner').textContent === '" + forged.winner().hex() + "'");
      assertThat(browser.evaluate("document.querySelector('#rounds li').dataset.round").asText())
          .isEqualTo("41");
      assertThat(browser.evaluate("document.getElementById('height').textContent").asText())
          .isEqualTo("41");
      assertThat(browser.evaluate("document.getElementById('chart-caption').textContent").asText())
          .contains("won", "expected");
      assertThat(browser.evaluate("document.querySelectorAll('#validators tr').length").asInt())
          .isEqualTo(STAKES.length);
      browser.saveScreenshot("live-page.png", "posj.screenshot");

      browser.resize(390, 800);
      browser.awaitTrue(
          "nothing overflows a phone's width", "document.documentElement.scrollWidth <= 390");
    }
  }

  /** Every validator proposes and a round ends: a block is forged. */
  private static RoundOutcome.Forged forge(ValidatorServer server, List<TestClient> validators)
      throws Exception {
    for (TestClient validator : validators) {
      validator.propose(60 + validators.indexOf(validator));
      validator.awaitEvent(ServerMessage.ProposalAccepted.class, WAIT);
    }
    return (RoundOutcome.Forged) server.runRoundNow().get(10, TimeUnit.SECONDS);
  }
}
