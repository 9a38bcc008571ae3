package io.github.posj.net.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Set;

/**
 * One kind of node's REST endpoints under {@value ApiResponses#PREFIX} and its event topics: the
 * tutorial server's ({@link TutorialEndpoints}) or a network node's ({@link NetworkEndpoints}).
 * {@link ApiHandler} serves what every node shares (the version, the event stream, the metrics and
 * the page) and asks these for the rest.
 *
 * <p>Implementations answer from an immutable snapshot on the caller's thread, never waiting for
 * the node; they are thread-safe.
 */
interface Endpoints {
  /**
   * The answer to {@code GET PREFIX + path}.
   *
   * @param path the path after the prefix, e.g. {@code /blocks/head}
   * @throws ApiException for a request refused with an error (an unknown path included)
   */
  FullHttpResponse answer(ChannelHandlerContext ctx, String path, QueryStringDecoder uri);

  /** The topics of this node's event stream ({@code docs/api.md}). */
  Set<EventTopic> topics();
}
