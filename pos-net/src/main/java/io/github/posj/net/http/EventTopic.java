package io.github.posj.net.http;

import java.util.Locale;
import java.util.Optional;

/**
 * The topics of the event stream ({@code GET /posj/v1/events?topics=head,round,slashing}): {@link
 * #HEAD}, {@link #ROUND} and {@link #SLASHING} on the tutorial server, {@link #HEAD}, {@link #SLOT}
 * and {@link #EVIDENCE} on a network node.
 *
 * <p>Immutable; thread-safe.
 */
public enum EventTopic {
  /** A new head block: the block, as {@code /blocks/{id}} shows it. */
  HEAD,
  /** A round ended: as one entry of {@code /rounds}. */
  ROUND,
  /** A validator was slashed: as one entry of {@code /slashings}. */
  SLASHING,
  /** A network node's slot began, got its block or ended empty: as one entry of {@code /slots}. */
  SLOT,
  /**
   * A network node saw two blocks signed by one key for one slot: as one entry of {@code
   * /evidence}.
   */
  EVIDENCE;

  /** The topic's name on the wire: {@code head}, {@code round}, {@code slashing}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The topic named {@code name} on the wire, if any. */
  public static Optional<EventTopic> parse(String name) {
    for (EventTopic topic : values()) {
      if (topic.wireName().equals(name)) {
        return Optional.of(topic);
      }
    }
    return Optional.empty();
  }
}
