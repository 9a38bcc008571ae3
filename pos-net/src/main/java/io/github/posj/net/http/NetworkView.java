package io.github.posj.net.http;

/**
 * Where the HTTP API reads a network node ({@code pos node}) from: the latest {@link
 * NetworkSnapshot} its owner thread published.
 *
 * <p>Contract: {@link #snapshot()} may be called from any thread, returns at once (a volatile read,
 * never a lock the node holds or a task on its thread) and never returns null. Implementations are
 * thread-safe.
 */
public interface NetworkView {
  /** The latest snapshot. */
  NetworkSnapshot snapshot();
}
