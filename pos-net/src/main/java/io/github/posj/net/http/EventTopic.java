package io.github.posj.net.http;

import java.util.Locale;
import java.util.Optional;

/**
 * The topics of the event stream ({@code GET /posj/v1/events?topics=head,round,slashing}).
 *
 * <p>Immutable; thread-safe.
 */
public enum EventTopic {
  /** A new head block: the block, as {@code /blocks/{id}} shows it. */
  HEAD,
  /** A round ended: as one entry of {@code /rounds}. */
  ROUND,
  /** A validator was slashed: as one entry of {@code /slashings}. */
  SLASHING;

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
