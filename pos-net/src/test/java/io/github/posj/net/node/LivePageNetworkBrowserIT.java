package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.testing.TestNetwork;
import io.github.posj.net.server.HeadlessChromium;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The live page of a network node in a real browser (headless Chromium, as {@code
 * LivePageBrowserIT}): it says the node is in network mode, and shows the head and each slot as it
 * begins, gets its leader's block or ends empty; on a phone's width nothing overflows. A screenshot
 * goes to {@code target/live-page-network.png}, and to the path in the system property {@code
 * posj.screenshot.network} when given (docs/api.md's: {@code docs/images/live-page-network.png}).
 *
 * <p>Without Chromium the test is skipped, saying so on standard error and in the report.
 */
final class LivePageNetworkBrowserIT {
  @Test
  void livePage_networkNode_showsSlotsAndBlocksLive() throws Exception {
    Path chromium = HeadlessChromium.findOrSkip("LivePageNetworkBrowserIT");
    try (HttpNode node = new HttpNode(TestNetwork.withSlots(30, 4, 40, 30, 20, 10))) {
      node.forge(1);
      node.enter(2);
      node.forge(3);
      String url = "http://127.0.0.1:" + node.server.httpPort().getAsInt() + "/";

      try (HeadlessChromium browser = HeadlessChromium.open(chromium, url, 1000, 1400)) {
        browser.awaitTrue(
            "the page is live", "document.getElementById('stream-state').className === 'live'");
        assertThat(browser.evaluate("document.getElementById('mode').textContent").asText())
            .startsWith("Network mode: chain posj-test");
        assertThat(text(browser, "#slots li[data-slot='3']")).contains("block #2");
        assertThat(text(browser, "#slots li[data-slot='2']")).contains("empty");
        assertThat(
                browser
                    .evaluate("document.querySelector('#rounds-heading').closest('section').hidden")
                    .asBoolean())
            .isTrue();
        browser.awaitTrue(
            "the chart is drawn", "document.querySelectorAll('#chart rect.won').length === 4");

        node.enter(4);
        browser.awaitTrue(
            "slot 4 opens",
            "(document.querySelector(\"#slots li[data-slot='4']\") || {}).textContent"
                + "?.includes('open') === true");
        SignedBlock block = node.forge(4);
        browser.awaitTrue(
            "slot 4 gets its block",
            "document.querySelector(\"#slots li[data-slot='4']\").textContent.includes('block #3')");
        browser.awaitTrue(
            "the head moves", "document.getElementById('height').textContent === '3'");
        assertThat(browser.evaluate("document.getElementById('head-hash').textContent").asText())
            .isEqualTo(block.hash().hex());
        assertThat(
                browser.evaluate("document.getElementById('chart-caption').textContent").asText())
            .contains("made", "expected");
        browser.saveScreenshot("live-page-network.png", "posj.screenshot.network");

        browser.resize(390, 800);
        browser.awaitTrue(
            "nothing overflows a phone's width", "document.documentElement.scrollWidth <= 390");
      }
    }
  }

  private static String text(HeadlessChromium browser, String selector) throws Exception {
    return browser
        .evaluate("(document.querySelector(\"" + selector + "\") || {}).textContent || ''")
        .asText();
  }
}
