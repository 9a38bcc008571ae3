package io.github.posj.net.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol with the JDK's own WebSocket
 * client (no browser-driver dependency): open a page, evaluate JavaScript in it, take a screenshot.
 * Every wait is bounded.
 *
 * <p>Not thread-safe; confine to the test thread.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Process process;
  private final Path profile;
  private final WebSocket page;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();

  /** Where Chromium is: {@code POSJ_CHROMIUM}, else {@code chromium} on the usual paths. */
  public static Optional<Path> find() {
    String configured = System.getenv("POSJ_CHROMIUM");
    List<String> candidates =
        configured != null
            ? List.of(configured)
            : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }

  /**
   * Chromium, or the calling test is skipped, saying so on standard error and in the report (never
   * silently).
   */
  public static Path findOrSkip(String test) {
    Optional<Path> chromium = find();
    if (chromium.isEmpty()) {
      String reason =
          "SKIPPED "
              + test
              + ": no Chromium (apt-get install chromium, or set POSJ_CHROMIUM; .ci/run installs"
              + " it)";
      System.err.println(reason);
      Assumptions.abort(reason);
    }
    return chromium.get();
  }

  /** Starts Chromium on {@code url}, {@code width} x {@code height} CSS pixels. */
  public static HeadlessChromium open(Path binary, String url, int width, int height)
      throws Exception {
    Path profile = Files.createTempDirectory("posj-chromium");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                url)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();
    try {
      return new HeadlessChromium(process, profile, url);
    } catch (Exception | AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private HeadlessChromium(Process process, Path profile, String url) throws Exception {
    this.process = process;
    this.profile = profile;
    Path portFile = profile.resolve("DevToolsActivePort");
    Await.until("Chromium writes its DevTools port", () -> Files.isRegularFile(portFile));
    Await.until("Chromium's DevTools port file is complete", () -> lines(portFile).size() >= 2);
    int port = Integer.parseInt(lines(portFile).get(0).strip());
    HttpClient http = HttpClient.newHttpClient();
    String debuggerUrl = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (debuggerUrl == null && System.nanoTime() < deadline) {
      String list =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                      .timeout(WAIT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (JsonNode target : JSON.readTree(list)) {
        if (target.path("type").asText().equals("page")
            && target.path("url").asText().startsWith(url)) {
          debuggerUrl = target.get("webSocketDebuggerUrl").asText();
        }
      }
      if (debuggerUrl == null) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
    if (debuggerUrl == null) {
      throw new AssertionError("Chromium opened no page for " + url);
    }
    page =
        http.newWebSocketBuilder()
            .connectTimeout(WAIT)
            .buildAsync(URI.create(debuggerUrl), new Listener())
            .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Calls a DevTools method and returns its result. */
  JsonNode call(String method, Function<ObjectNode, ObjectNode> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    answers.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params.apply(JSON.createObjectNode()));
    page.sendText(JSON.writeValueAsString(message), true)
        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    JsonNode result = answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (result.has("error")) {
      throw new AssertionError(method + " failed: " + result.get("error"));
    }
    return result.get("result");
  }

  /** The value of a JavaScript expression in the page (a string, number or boolean). */
  public JsonNode evaluate(String expression) throws Exception {
    return call("Runtime.evaluate", p -> p.put("expression", expression).put("returnByValue", true))
        .path("result")
        .path("value");
  }

  /** Waits until {@code expression} is true in the page. */
  public void awaitTrue(String what, String expression) {
    Await.until(
        what,
        () -> {
          try {
            return evaluate(expression).asBoolean();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  /** Sets the viewport's CSS size (a phone's, say). */
  public void resize(int width, int height) throws Exception {
    call(
        "Emulation.setDeviceMetricsOverride",
        p ->
            p.put("width", width)
                .put("height", height)
                .put("deviceScaleFactor", 1)
                .put("mobile", false));
  }

  /**
   * Saves a screenshot to {@code target/<fileName>}, and to the path in the system property {@code
   * property} when it is given (a docs image).
   */
  public void saveScreenshot(String fileName, String property) throws Exception {
    byte[] png = screenshot();
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", fileName), png);
    String saveTo = System.getProperty(property);
    if (saveTo != null && !saveTo.isBlank()) {
      Files.write(Path.of(saveTo), png);
    }
  }

  /** A PNG of the whole page. */
  public byte[] screenshot() throws Exception {
    JsonNode shot =
        call(
            "Page.captureScreenshot",
            p -> p.put("format", "png").put("captureBeyondViewport", true));
    return Base64.getDecoder().decode(shot.get("data").asText());
  }

  @Override
  public void close() throws IOException {
    page.abort();
    // Chromium's helpers (renderer, network service) outlive the browser process for a moment and
    // keep writing to the profile: stop them all before deleting it.
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    helpers.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      for (ProcessHandle helper : helpers) {
        try {
          helper.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          helper.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      helpers.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
    deleteProfile();
  }

  /** Deletes the profile directory; a file that vanishes during the walk is no error. */
  private void deleteProfile() throws IOException {
    for (int attempt = 1; ; attempt++) {
      try (var files = Files.walk(profile)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        return;
      } catch (java.io.UncheckedIOException e) {
        if (attempt == 5) {
          throw e.getCause();
        }
      } catch (java.nio.file.NoSuchFileException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** Collects each message's parts and completes the answer with its id. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          CompletableFuture<JsonNode> answer = answers.remove(message.path("id").asInt(-1));
          if (answer != null) {
            answer.complete(message);
          }
        } catch (IOException e) {
          // An event we cannot read is not an answer we wait for.
        }
        text.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }
}
