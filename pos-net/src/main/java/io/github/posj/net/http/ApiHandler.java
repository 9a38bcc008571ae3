package io.github.posj.net.http;

import static io.github.posj.net.http.ApiResponses.PREFIX;

import io.github.posj.net.codec.ReasonText;
import io.github.posj.net.metrics.MetricsRegistry;
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
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the API's requests ({@code docs/api.md}): what every node serves (its version, the event
 * stream, {@code /metrics} and the live page) here, and the rest under {@value ApiResponses#PREFIX}
 * from its {@link Endpoints}. Every answer is made on the connection's event loop from an immutable
 * snapshot: nothing here waits for the node.
 *
 * <p>Shared by every connection; thread-safe.
 */
@ChannelHandler.Sharable
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private static final Map<String, String> PAGE_FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/page.js", "page.js",
          "/page.css", "page.css");

  private final Endpoints endpoints;
  private final EventStream events;
  private final MetricsRegistry metrics;
  private final Map<String, byte[]> pageFiles;

  ApiHandler(Endpoints endpoints, EventStream events, MetricsRegistry metrics) {
    this.endpoints = endpoints;
    this.events = events;
    this.metrics = metrics;
    this.pageFiles = loadPage();
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
          ApiResponses.error(
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
        Set<EventTopic> topics = topics(uri);
        if (!head) {
          stream(ctx, request, topics);
          return;
        }
        response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
      } else {
        response = route(ctx, uri);
      }
    } catch (ApiException e) {
      response = ApiResponses.error(e.status, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("HTTP request {} failed", ReasonText.echo(request.uri()), e);
      response =
          ApiResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
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
      return ApiResponses.response(HttpResponseStatus.OK, MetricsRegistry.CONTENT_TYPE, body);
    }
    if (!path.startsWith(PREFIX + "/")) {
      throw ApiResponses.noSuchEndpoint(path);
    }
    String rest = path.substring(PREFIX.length());
    if (rest.equals("/node/version")) {
      return ApiResponses.okData(
          ctx,
          json -> {
            json.writeStartObject();
            json.writeStringField("version", endpoints.version);
            json.writeEndObject();
          });
    }
    return endpoints.answer(ctx, rest, uri);
  }

  /** The topics a stream asks for ({@code ?topics=a,b}); every topic of the node when none. */
  private Set<EventTopic> topics(QueryStringDecoder uri) {
    List<String> names = uri.parameters().getOrDefault("topics", List.of());
    if (names.isEmpty()) {
      return endpoints.topics();
    }
    Set<EventTopic> topics = EnumSet.noneOf(EventTopic.class);
    for (String list : names) {
      for (String name : list.split(",", -1)) {
        topics.add(
            EventTopic.parse(name.strip())
                .filter(endpoints.topics()::contains)
                .orElseThrow(
                    () ->
                        ApiException.badRequest(
                            "unknown topic \""
                                + ReasonText.echo(name)
                                + "\"; the topics are "
                                + words(endpoints.topics()))));
      }
    }
    return topics;
  }

  /** {@code head, round and slashing}. */
  private static String words(Set<EventTopic> topics) {
    List<String> names = topics.stream().map(EventTopic::wireName).collect(Collectors.toList());
    String last = names.remove(names.size() - 1);
    return names.isEmpty() ? last : String.join(", ", names) + " and " + last;
  }

  private void stream(ChannelHandlerContext ctx, FullHttpRequest request, Set<EventTopic> topics) {
    OptionalLong lastEventId = OptionalLong.empty();
    String last = request.headers().get("Last-Event-ID");
    if (last != null) {
      lastEventId =
          ApiResponses.wholeNumber(last, 0, Long.MAX_VALUE)
              .map(OptionalLong::of)
              .orElse(OptionalLong.empty());
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
    FullHttpResponse response = ApiResponses.error(status, message);
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

  private FullHttpResponse page(String file) {
    String type =
        file.endsWith(".html")
            ? "text/html; charset=utf-8"
            : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    FullHttpResponse response =
        ApiResponses.response(
            HttpResponseStatus.OK, type, Unpooled.wrappedBuffer(pageFiles.get(file)));
    response
        .headers()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'");
    return response;
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
