package io.github.posj.net.http;

import static io.github.posj.net.http.ApiResponses.list;
import static io.github.posj.net.http.ApiResponses.ok;
import static io.github.posj.net.http.ApiResponses.okData;
import static io.github.posj.net.http.ApiResponses.recent;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posj.core.block.Block;
import io.github.posj.core.chain.Chain;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.EnumSet;
import java.util.function.IntSupplier;

/**
 * The tutorial server's endpoints ({@code docs/api.md}): its status, blocks, validators with their
 * wins against expected wins, rounds and slashings, from the latest {@link NodeSnapshot}.
 *
 * <p>Thread-safe.
 */
final class TutorialEndpoints extends Endpoints {
  private final NodeView view;

  TutorialEndpoints(NodeView view, String version, IntSupplier subscribers) {
    super(version, subscribers, EnumSet.of(EventTopic.HEAD, EventTopic.ROUND, EventTopic.SLASHING));
    this.view = view;
  }

  @Override
  FullHttpResponse answer(ChannelHandlerContext ctx, String path, QueryStringDecoder uri) {
    NodeSnapshot snapshot = view.snapshot();
    Chain chain = snapshot.chain();
    return switch (path) {
      case "/node/health" -> ApiResponses.health(ctx, snapshot.health());
      case "/node/status" -> okData(ctx, json -> status(json, snapshot));
      case "/blocks" ->
          ApiResponses.paged(
              ctx,
              uri,
              chain.blocks(),
              ApiJson::block,
              json -> json.writeStringField("height", Long.toString(chain.height())));
      case "/validators" -> validators(ctx, uri, snapshot);
      case "/rounds" ->
          ok(ctx, json -> list(json, recent(uri, snapshot.recentRounds()), ApiJson::round));
      case "/slashings" ->
          ok(ctx, json -> list(json, recent(uri, snapshot.recentSlashings()), ApiJson::slashing));
      default -> {
        if (path.startsWith("/blocks/") && path.indexOf('/', "/blocks/".length()) < 0) {
          Block block =
              chain
                  .blocks()
                  .get(
                      ApiResponses.blockPosition(
                          chain.blocks(), blockIndex, path.substring("/blocks/".length())));
          yield ok(
              ctx,
              json ->
                  ApiResponses.data(
                      json,
                      () -> ApiJson.block(json, block),
                      () -> json.writeBooleanField("finalized", true)));
        }
        throw ApiResponses.noSuchEndpoint(ApiResponses.PREFIX + path);
      }
    };
  }

  private void status(JsonGenerator json, NodeSnapshot snapshot) throws IOException {
    Chain chain = snapshot.chain();
    json.writeStartObject();
    json.writeStringField("mode", "tutorial");
    json.writeStringField("version", version);
    json.writeStringField("status", ApiResponses.word(snapshot.health().status()));
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
    json.writeStringField("event_subscribers", Long.toString(subscribers.getAsInt()));
    json.writeEndObject();
  }

  private static FullHttpResponse validators(
      ChannelHandlerContext ctx, QueryStringDecoder uri, NodeSnapshot snapshot) {
    long total = snapshot.totalStake();
    return ApiResponses.paged(
        ctx,
        uri,
        snapshot.validators(),
        (json, stats) -> ApiJson.validator(json, stats, total),
        json -> {
          json.writeStringField("total", Long.toString(snapshot.validators().size()));
          json.writeStringField("total_stake", Long.toString(total));
        });
  }
}
