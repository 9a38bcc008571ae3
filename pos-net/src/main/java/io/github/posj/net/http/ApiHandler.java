package io.github.posj.net.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posj.core.block.Block;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.hash.Hash;
import io.github.posj.net.codec.ReasonText;
import io.github.posj.net.metrics.NodeMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the API's requests ({@code docs/api.md}) from the latest {@link NodeSnapshot}: REST under
 * {@value #PREFIX}, the event stream, {@code /metrics} and the live page. Every answer is made on
 * the connection's event loop from an immutable snapshot: nothing here waits for the node.
 *
 * <p>Shared by every connection; thread-safe.
 */
@ChannelHandler.Sharable
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  /** The versioned prefix of the REST endpoints. */
  static final String PREFIX = "/posj/v1";

  /** The most blocks, validators, rounds or slashings one page holds. */
  static final int MAX_PAGE = 1000;

  private static final int DEFAULT_PAGE = 100;
  private static final int DEFAULT_RECENT = 20;
  private static final String JSON = "application/json";
  private static final Map<String, String> PAGE_FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/page.js", "page.js",
          "/page.css", "page.css");

  private final NodeView view;
  private final EventStream events;
  private final NodeMetrics metrics;
  private final String version;
  private final BlockIndex blockIndex = new BlockIndex();
  private final Map<String, byte[]> pageFiles;

  ApiHandler(NodeView view, EventStream events, NodeMetrics metrics, String version) {
    this.view = view;
    this.events = events;
    this.metrics = metrics;
    this.version = version;
    this.pageFiles = loadPage();
  }

  /** A request refused with an error body. */
  private static final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final HttpResponseStatus status;

    ApiException(HttpResponseStatus status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      refuseMalformed(ctx, request.decoderResult().cause());
      return;
    }
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (!head && !request.method().equals(HttpMethod.GET)) {
      FullHttpResponse response =
          errorResponse(
              HttpResponseStatus.METHOD_NOT_ALLOWED,
              "the API is read-only: use GET (or HEAD); got "
                  + ReasonText.echo(request.method().name()));
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, request, response);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    FullHttpResponse response;
    try {
      if (uri.path().equals(PREFIX + "/events")) {
        if (!head) {
          stream(ctx, request, uri);
          return;
        }
        response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
      } else {
        response = route(ctx, uri);
      }
    } catch (ApiException e) {
      response = errorResponse(e.status, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("HTTP request {} failed", ReasonText.echo(request.uri()), e);
      response = errorResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
    }
    if (head) {
      int length = response.content().readableBytes();
      response = response.replace(Unpooled.EMPTY_BUFFER);
      HttpUtil.setContentLength(response, length);
    }
    send(ctx, request, response);
  }

  private FullHttpResponse route(ChannelHandlerContext ctx, QueryStringDecoder uri) {
    String path = uri.path();
    String file = PAGE_FILES.get(path);
    if (file != null) {
      return page(file);
    }
    if (path.equals("/metrics")) {
      ByteBuf body = ctx.alloc().buffer();
      try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
        metrics.scrape(out);
      } catch (IOException e) {
        body.release();
        throw new UncheckedIOException(e);
      }
      return response(HttpResponseStatus.OK, NodeMetrics.CONTENT_TYPE, body);
    }
    if (!path.startsWith(PREFIX + "/")) {
      throw notFound(path);
    }
    NodeSnapshot snapshot = view.snapshot();
    String rest = path.substring(PREFIX.length());
    return switch (rest) {
      case "/node/version" -> ok(ctx, json -> data(json, () -> version(json)));
      case "/node/health" -> health(ctx, snapshot);
      case "/node/status" -> ok(ctx, json -> data(json, () -> status(json, snapshot)));
      case "/blocks" -> blocks(ctx, uri, snapshot.chain());
      case "/validators" -> validators(ctx, uri, snapshot);
      case "/rounds" ->
          ok(ctx, json -> list(json, recent(uri, snapshot.recentRounds()), ApiJson::round));
      case "/slashings" ->
          ok(ctx, json -> list(json, recent(uri, snapshot.recentSlashings()), ApiJson::slashing));
      default -> {
        if (rest.startsWith("/blocks/") && rest.indexOf('/', "/blocks/".length()) < 0) {
          Block block = block(snapshot.chain(), rest.substring("/blocks/".length()));
          yield ok(
              ctx,
              json ->
                  data(
                      json,
                      () -> ApiJson.block(json, block),
                      () -> json.writeBooleanField("finalized", true)));
        }
        throw notFound(path);
      }
    };
  }

  private void version(JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeStringField("version", version);
    json.writeEndObject();
  }

  private FullHttpResponse health(ChannelHandlerContext ctx, NodeSnapshot snapshot) {
    NodeSnapshot.Health health = snapshot.health();
    HttpResponseStatus status =
        health.status() == NodeSnapshot.Health.Status.READY
            ? HttpResponseStatus.OK
            : HttpResponseStatus.SERVICE_UNAVAILABLE;
    FullHttpResponse response =
        ok(
            ctx,
            json ->
                data(
                    json,
                    () -> {
                      json.writeStartObject();
                      json.writeStringField("status", word(health.status()));
                      if (health.detail().isPresent()) {
                        json.writeStringField(
                            "detail", ReasonText.printable(health.detail().get()));
                      } else {
                        json.writeNullField("detail");
                      }
                      json.writeEndObject();
                    }));
    return response.setStatus(status);
  }

  private void status(JsonGenerator json, NodeSnapshot snapshot) throws IOException {
    Chain chain = snapshot.chain();
    json.writeStartObject();
    json.writeStringField("version", version);
    json.writeStringField("status", word(snapshot.health().status()));
    json.writeStringField("hash_scheme", chain.scheme().name());
    json.writeStringField("height", Long.toString(chain.height()));
    json.writeFieldName("head");
    ApiJson.block(json, chain.head());
    json.writeStringField("rounds", Long.toString(snapshot.rounds()));
    json.writeStringField("round_millis", Long.toString(snapshot.roundDuration().toMillis()));
    json.writeStringField("validators", Long.toString(snapshot.validators().size()));
    json.writeStringField("total_stake", Long.toString(snapshot.totalStake()));
    json.writeObjectFieldStart("connections");
    json.writeStringField("total", Long.toString(snapshot.connections().total()));
    json.writeStringField("text", Long.toString(snapshot.connections().text()));
    json.writeStringField("json", Long.toString(snapshot.connections().json()));
    json.writeEndObject();
    json.writeStringField("event_subscribers", Long.toString(events.subscriberCount()));
    json.writeEndObject();
  }

  private FullHttpResponse blocks(ChannelHandlerContext ctx, QueryStringDecoder uri, Chain chain) {
    return paged(
        ctx,
        uri,
        chain.blocks(),
        ApiJson::block,
        json -> json.writeStringField("height", Long.toString(chain.height())));
  }

  private FullHttpResponse validators(
      ChannelHandlerContext ctx, QueryStringDecoder uri, NodeSnapshot snapshot) {
    long total = snapshot.totalStake();
    return paged(
        ctx,
        uri,
        snapshot.validators(),
        (json, stats) -> ApiJson.validator(json, stats, total),
        json -> {
          json.writeStringField("total", Long.toString(snapshot.validators().size()));
          json.writeStringField("total_stake", Long.toString(total));
        });
  }

  /**
   * One page of {@code all}, from the query's {@code from} (default 0), at most its {@code count}
   * (default {@value #DEFAULT_PAGE}, at most {@value #MAX_PAGE}): {@code {"data":[...], <fields>,
   * "next_from": <the next page's from, or null after the last>}}.
   */
  private static <T> FullHttpResponse paged(
      ChannelHandlerContext ctx,
      QueryStringDecoder uri,
      List<T> all,
      ElementWriter<T> writer,
      ApiJson.Writer fields) {
    long from = number(uri, "from", 0, Long.MAX_VALUE, 0);
    int count = (int) number(uri, "count", 1, MAX_PAGE, DEFAULT_PAGE);
    int start = (int) Math.min(from, all.size());
    int end = (int) Math.min((long) start + count, all.size());
    return ok(
        ctx,
        json -> {
          list(
              json,
              all.subList(start, end),
              writer,
              () -> {
                fields.write(json);
                if (end < all.size()) {
                  json.writeStringField("next_from", Integer.toString(end));
                } else {
                  json.writeNullField("next_from");
                }
              });
        });
  }

  private static <T> List<T> recent(QueryStringDecoder uri, List<T> newestFirst) {
    int count = (int) number(uri, "count", 1, MAX_PAGE, DEFAULT_RECENT);
    return newestFirst.subList(0, Math.min(count, newestFirst.size()));
  }

  /** An element writer of {@link #list}. */
  @FunctionalInterface
  private interface ElementWriter<T> {
    void write(JsonGenerator json, T element) throws IOException;
  }

  private static <T> void list(
      JsonGenerator json, List<T> elements, ElementWriter<T> writer, Body... extra)
      throws IOException {
    data(
        json,
        () -> {
          json.writeStartArray();
          for (T element : elements) {
            writer.write(json, element);
          }
          json.writeEndArray();
        },
        extra);
  }

  /** The block {@code id} names: {@code head}, {@code genesis}, an Index, or a hash. */
  private Block block(Chain chain, String id) {
    if (id.equals("head")) {
      return chain.head();
    }
    if (id.equals("genesis")) {
      return chain.genesisBlock();
    }
    String hex = id.startsWith("0x") ? id.substring(2) : id;
    if (hex.length() == Hash.HEX_LENGTH) {
      Optional<Hash> hash = Hash.parseHex(hex);
      if (hash.isPresent()) {
        return blockIndex
            .find(chain, hash.get())
            .orElseThrow(
                () ->
                    new ApiException(
                        HttpResponseStatus.NOT_FOUND, "no block has the hash " + hash.get().hex()));
      }
    }
    if (!id.isEmpty() && id.length() <= 19 && id.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long index = Long.parseLong(id);
      if (index > chain.height()) {
        throw new ApiException(
            HttpResponseStatus.NOT_FOUND,
            "no block at Index " + index + ": the head is at Index " + chain.height());
      }
      return chain.blocks().get((int) index);
    }
    throw new ApiException(
        HttpResponseStatus.BAD_REQUEST,
        "a block id is head, genesis, an Index (0 to "
            + Long.MAX_VALUE
            + ") or a hash of 64 hex digits (0x optional); got \""
            + ReasonText.echo(id)
            + "\"");
  }

  /** The query parameter {@code name}: a whole number in [min, max], or {@code fallback}. */
  private static long number(
      QueryStringDecoder uri, String name, long min, long max, long fallback) {
    List<String> values = uri.parameters().get(name);
    if (values == null || values.isEmpty()) {
      return fallback;
    }
    String text = values.get(values.size() - 1);
    long value = -1;
    boolean digits =
        !text.isEmpty() && text.length() <= 19 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    if (digits) {
      value = Long.parseLong(text);
    }
    if (!digits || value < min || value > max) {
      throw new ApiException(
          HttpResponseStatus.BAD_REQUEST,
          name
              + " is a whole number from "
              + min
              + " to "
              + max
              + "; got \""
              + ReasonText.echo(text)
              + "\"");
    }
    return value;
  }

  private void stream(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
    Set<EventTopic> topics = EnumSet.noneOf(EventTopic.class);
    List<String> names = uri.parameters().getOrDefault("topics", List.of());
    for (String list : names) {
      for (String name : list.split(",", -1)) {
        topics.add(
            EventTopic.parse(name.strip())
                .orElseThrow(
                    () ->
                        new ApiException(
                            HttpResponseStatus.BAD_REQUEST,
                            "unknown topic \""
                                + ReasonText.echo(name)
                                + "\"; the topics are head, round and slashing")));
      }
    }
    if (names.isEmpty()) {
      topics = EnumSet.allOf(EventTopic.class);
    }
    OptionalLong lastEventId = OptionalLong.empty();
    String last = request.headers().get("Last-Event-ID");
    if (last != null
        && !last.isEmpty()
        && last.length() <= 19
        && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
      lastEventId = OptionalLong.of(Long.parseLong(last));
    }
    DefaultHttpResponse response =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    response.headers().set("X-Accel-Buffering", "no");
    HttpUtil.setTransferEncodingChunked(response, true);
    ctx.write(response);
    // A stream is not idle while it waits for events: its keep-alives show it is alive.
    if (ctx.pipeline().get(HttpChannelInitializer.IDLE) != null) {
      ctx.pipeline().remove(HttpChannelInitializer.IDLE);
    }
    events.subscribe(ctx.channel(), topics, lastEventId);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      EventStream.writable(ctx.channel());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** A request the codec could not read: a 4xx that says why, then the connection ends. */
  private static void refuseMalformed(ChannelHandlerContext ctx, Throwable cause) {
    HttpResponseStatus status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      message =
          "the request line is longer than " + HttpChannelInitializer.MAX_LINE_BYTES + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      message = "the headers are larger than " + HttpChannelInitializer.MAX_HEADER_BYTES + " bytes";
    } else if (cause instanceof TooLongFrameException) {
      status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
      message = "the request is too large";
    } else {
      status = HttpResponseStatus.BAD_REQUEST;
      message = "not an HTTP/1.1 request: " + ReasonText.echo(String.valueOf(cause.getMessage()));
    }
    FullHttpResponse response = errorResponse(status, message);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(HttpChannelInitializer.END_AFTER_WRITE);
  }

  private static void send(
      ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The body of a data response. */
  @FunctionalInterface
  private interface Body {
    void write() throws IOException;
  }

  /** {@code {"data": <value>, <extra fields>}}. */
  private static void data(JsonGenerator json, Body value, Body... extra) throws IOException {
    json.writeStartObject();
    json.writeFieldName("data");
    value.write();
    for (Body fields : extra) {
      fields.write();
    }
    json.writeEndObject();
  }

  private static FullHttpResponse ok(ChannelHandlerContext ctx, ApiJson.Writer writer) {
    ByteBuf body = ctx.alloc().buffer();
    try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
      ApiJson.write(out, writer);
    } catch (IOException | RuntimeException e) {
      body.release();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return response(HttpResponseStatus.OK, JSON, body);
  }

  private static FullHttpResponse errorResponse(HttpResponseStatus status, String message) {
    return response(status, JSON, Unpooled.wrappedBuffer(ApiJson.error(status.code(), message)));
  }

  private static FullHttpResponse response(HttpResponseStatus status, String type, ByteBuf body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    response.headers().set("X-Content-Type-Options", "nosniff");
    HttpUtil.setContentLength(response, body.readableBytes());
    return response;
  }

  private static ApiException notFound(String path) {
    return new ApiException(
        HttpResponseStatus.NOT_FOUND,
        "no such endpoint: "
            + ReasonText.echo(path)
            + "; the endpoints are listed in docs/api.md (under "
            + PREFIX
            + "/, and /metrics)");
  }

  private FullHttpResponse page(String file) {
    String type =
        file.endsWith(".html")
            ? "text/html; charset=utf-8"
            : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    FullHttpResponse response =
        response(HttpResponseStatus.OK, type, Unpooled.wrappedBuffer(pageFiles.get(file)));
    response
        .headers()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'");
    return response;
  }

  private static String word(NodeSnapshot.Health.Status status) {
    return switch (status) {
      case READY -> "ready";
      case STORE_FAILING -> "store-failing";
      case FORGING_STOPPED -> "forging-stopped";
    };
  }

  private static Map<String, byte[]> loadPage() {
    Map<String, byte[]> files = new HashMap<>();
    for (String file : PAGE_FILES.values()) {
      try (InputStream in = ApiHandler.class.getResourceAsStream("page/" + file)) {
        if (in == null) {
          throw new IllegalStateException("the live page's " + file + " is not in the jar");
        }
        files.put(file, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Map.copyOf(files);
  }
}
