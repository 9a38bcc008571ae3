package io.github.posj.net.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the API refuses: its status and a message for the person who asked, sent as {@code
 * {"code":...,"message":...}}. Expected outcomes of a client's input, so it carries no stack trace.
 *
 * <p>Immutable; thread-safe.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The answer's status. */
  final HttpResponseStatus status;

  ApiException(HttpResponseStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** A {@code 400}: a bad id or parameter. */
  static ApiException badRequest(String message) {
    return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
  }

  /** A {@code 404}: nothing there. */
  static ApiException notFound(String message) {
    return new ApiException(HttpResponseStatus.NOT_FOUND, message);
  }
}
