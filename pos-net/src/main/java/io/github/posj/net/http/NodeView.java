package io.github.posj.net.http;

/**
 * Where the HTTP API reads a node from: the latest {@link NodeSnapshot} its owner thread published.
 * Whatever kind of node it is (the tutorial's server, a network node), the API's handlers see it
 * only through this port.
 *
 * <p>Contract: {@link #snapshot()} may be called from any thread, returns at once (a volatile read,
 * never a lock the node holds or a task on its thread) and never returns null. Implementations are
 * thread-safe.
 */
public interface NodeView {
  /** The latest snapshot. */
  NodeSnapshot snapshot();
}
