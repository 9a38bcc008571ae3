package io.github.posj.net.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A test's client of a server's HTTP API on 127.0.0.1; every request is bounded by a timeout. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  private final int port;

  /** An answer: its status, content type and body. */
  public record Answer(int status, String contentType, String body) {
    /** The body as JSON. */
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  ApiClient(ValidatorServer server) {
    this(server.httpPort().orElseThrow());
  }

  /** A client of the API on {@code port} of 127.0.0.1. */
  public ApiClient(int port) {
    this.port = port;
  }

  int port() {
    return port;
  }

  /** GETs {@code path} (with its query), e.g. {@code /posj/v1/blocks/head}. */
  public Answer get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build());
  }

  public Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("content-type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The {@code data} of a 200 answer to GET {@code path}. */
  public JsonNode data(String path) {
    Answer answer = get(path);
    if (answer.status() != 200) {
      throw new AssertionError("GET " + path + ": " + answer.status() + " " + answer.body());
    }
    return answer.json().get("data");
  }
}
