package io.github.posj.net.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * One kind of node's REST endpoints under {@value ApiResponses#PREFIX} and its event topics: the
 * tutorial server's ({@link TutorialEndpoints}) or a network node's ({@link NetworkEndpoints}).
 * {@link ApiHandler} serves what every node shares (the version, the event stream, the metrics and
 * the page) and asks these for the rest.
 *
 * <p>Subclasses answer from an immutable snapshot on the caller's thread, never waiting for the
 * node; they are thread-safe.
 */
abstract class Endpoints {
  /** The node's version, as {@code /node/version} tells it. */
  final String version;

  /** The open event-stream subscriptions, for {@code /node/status}. */
  final IntSupplier subscribers;

  /** Finds a block by its hash. */
  final BlockIndex blockIndex = new BlockIndex();

  private final Set<EventTopic> topics;

  Endpoints(String version, IntSupplier subscribers, Set<EventTopic> topics) {
    this.version = Objects.requireNonNull(version, "version");
    this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
    // In the enum's order, the order docs/api.md lists them in.
    this.topics = Collections.unmodifiableSet(EnumSet.copyOf(topics));
  }

  /**
   * The answer to {@code GET PREFIX + path}.
   *
   * @param path the path after the prefix, e.g. {@code /blocks/head}
   * @throws ApiException for a request refused with an error (an unknown path included)
   */
  abstract FullHttpResponse answer(ChannelHandlerContext ctx, String path, QueryStringDecoder uri);

  /** The topics of this node's event stream ({@code docs/api.md}). */
  final Set<EventTopic> topics() {
    return topics;
  }
}
