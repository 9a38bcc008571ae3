package io.github.posj.net.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posj.core.block.Block;
import io.github.posj.core.hash.Hash;
import io.github.posj.net.codec.ReasonText;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The pieces every kind of node's answers are made of ({@code docs/api.md}): the {@code data}
 * envelope, lists and pages, the query parameters, block ids, health and errors, so that the
 * tutorial server's and the network node's endpoints read and answer alike.
 *
 * <p>Immutable; thread-safe.
 */
final class ApiResponses {
  /** The versioned prefix of the REST endpoints. */
  static final String PREFIX = "/posj/v1";

  /** The most elements one page holds. */
  static final int MAX_PAGE = 1000;

  /** The elements of a page when {@code count} is not given. */
  static final int DEFAULT_PAGE = 100;

  /** The recent elements ({@code /rounds}, {@code /slots}, ...) when {@code count} is not given. */
  static final int DEFAULT_RECENT = 20;

  /** The JSON content type. */
  static final String JSON = "application/json";

  private ApiResponses() {}

  /** The body of a data response. */
  @FunctionalInterface
  interface Body {
    /** Writes its part of the answer. */
    void write() throws IOException;
  }

  /** An element writer of {@link #list}. */
  @FunctionalInterface
  interface ElementWriter<T> {
    /** Writes {@code element} as one JSON value. */
    void write(JsonGenerator json, T element) throws IOException;
  }

  /** A {@code 200} whose body {@code writer} writes. */
  static FullHttpResponse ok(ChannelHandlerContext ctx, ApiJson.Writer writer) {
    ByteBuf body = ctx.alloc().buffer();
    try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
      ApiJson.write(out, writer);
    } catch (IOException | RuntimeException e) {
      body.release();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return response(HttpResponseStatus.OK, JSON, body);
  }

  /** {@code {"data": <value>}}: the answer of one value. */
  static FullHttpResponse okData(ChannelHandlerContext ctx, ApiJson.Writer value) {
    return ok(ctx, json -> data(json, () -> value.write(json)));
  }

  /** {@code {"data": <value>, <extra fields>}}. */
  static void data(JsonGenerator json, Body value, Body... extra) throws IOException {
    json.writeStartObject();
    json.writeFieldName("data");
    value.write();
    for (Body fields : extra) {
      fields.write();
    }
    json.writeEndObject();
  }

  /** {@code {"data": [<elements>], <extra fields>}}. */
  static <T> void list(JsonGenerator json, List<T> elements, ElementWriter<T> writer, Body... extra)
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

  /**
   * One page of {@code all}, from the query's {@code from} (default 0), at most its {@code count}
   * (default {@value #DEFAULT_PAGE}, at most {@value #MAX_PAGE}): {@code {"data":[...], <fields>,
   * "next_from": <the next page's from, or null after the last>}}. Only the page's elements of
   * {@code all} are read, so it may compute them as they are asked for.
   */
  static <T> FullHttpResponse paged(
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
        json ->
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
                }));
  }

  /** The first {@code count} (default {@value #DEFAULT_RECENT}) of {@code newestFirst}. */
  static <T> List<T> recent(QueryStringDecoder uri, List<T> newestFirst) {
    int count = (int) number(uri, "count", 1, MAX_PAGE, DEFAULT_RECENT);
    return newestFirst.subList(0, Math.min(count, newestFirst.size()));
  }

  /** The query parameter {@code name}: a whole number in [min, max], or {@code fallback}. */
  static long number(QueryStringDecoder uri, String name, long min, long max, long fallback) {
    List<String> values = uri.parameters().get(name);
    if (values == null || values.isEmpty()) {
      return fallback;
    }
    String text = values.get(values.size() - 1);
    return wholeNumber(text, min, max)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    name
                        + " is a whole number from "
                        + min
                        + " to "
                        + max
                        + "; got \""
                        + ReasonText.echo(text)
                        + "\""));
  }

  /** {@code text} as a whole number in [min, max] (decimal digits only), if it is one. */
  static Optional<Long> wholeNumber(String text, long min, long max) {
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return Optional.empty(); // 19 digits above Long.MAX_VALUE
    }
    return value < min || value > max ? Optional.empty() : Optional.of(value);
  }

  /**
   * The position in {@code blocks} (Index order, from block 0) of the block {@code id} names:
   * {@code head}, {@code genesis}, an Index, or a hash of 64 hex digits ({@code 0x} optional).
   *
   * @throws ApiException 400 for an id that is none of these, 404 for one that names no block
   */
  static int blockPosition(List<Block> blocks, BlockIndex index, String id) {
    int height = blocks.size() - 1;
    if (id.equals("head")) {
      return height;
    }
    if (id.equals("genesis")) {
      return 0;
    }
    String hex = id.startsWith("0x") ? id.substring(2) : id;
    if (hex.length() == Hash.HEX_LENGTH) {
      Optional<Hash> hash = Hash.parseHex(hex);
      if (hash.isPresent()) {
        return index
            .find(blocks, hash.get())
            .orElseThrow(() -> ApiException.notFound("no block has the hash " + hash.get().hex()));
      }
    }
    Optional<Long> number = wholeNumber(id, 0, Long.MAX_VALUE);
    if (number.isPresent()) {
      if (number.get() > height) {
        throw ApiException.notFound(
            "no block at Index " + number.get() + ": the head is at Index " + height);
      }
      return number.get().intValue();
    }
    throw ApiException.badRequest(
        "a block id is head, genesis, an Index (0 to "
            + Long.MAX_VALUE
            + ") or a hash of 64 hex digits (0x optional); got \""
            + ReasonText.echo(id)
            + "\"");
  }

  /** {@code GET /node/health}: 200 when ready, else 503, with the state and its detail. */
  static FullHttpResponse health(ChannelHandlerContext ctx, NodeSnapshot.Health health) {
    HttpResponseStatus status =
        health.status() == NodeSnapshot.Health.Status.READY
            ? HttpResponseStatus.OK
            : HttpResponseStatus.SERVICE_UNAVAILABLE;
    FullHttpResponse response =
        okData(
            ctx,
            json -> {
              json.writeStartObject();
              json.writeStringField("status", word(health.status()));
              if (health.detail().isPresent()) {
                json.writeStringField("detail", ReasonText.printable(health.detail().get()));
              } else {
                json.writeNullField("detail");
              }
              json.writeEndObject();
            });
    return response.setStatus(status);
  }

  /** The word of {@code status}: {@code ready}, {@code store-failing}, {@code forging-stopped}. */
  static String word(NodeSnapshot.Health.Status status) {
    return switch (status) {
      case READY -> "ready";
      case STORE_FAILING -> "store-failing";
      case FORGING_STOPPED -> "forging-stopped";
    };
  }

  /** The 404 of a path that is no endpoint. */
  static ApiException noSuchEndpoint(String path) {
    return ApiException.notFound(
        "no such endpoint: "
            + ReasonText.echo(path)
            + "; the endpoints are listed in docs/api.md (under "
            + PREFIX
            + "/, and /metrics)");
  }

  /** An error answer: {@code {"code":404,"message":"..."}}. */
  static FullHttpResponse error(HttpResponseStatus status, String message) {
    return response(status, JSON, Unpooled.wrappedBuffer(ApiJson.error(status.code(), message)));
  }

  /** An answer of {@code type} with {@code body}. */
  static FullHttpResponse response(HttpResponseStatus status, String type, ByteBuf body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    response.headers().set("X-Content-Type-Options", "nosniff");
    HttpUtil.setContentLength(response, body.readableBytes());
    return response;
  }
}
