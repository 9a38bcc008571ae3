package io.github.posj.net.protocol;

import java.util.Objects;

/**
 * What a validator sends to the server, one per line.
 *
 * <p>Numbers are carried as the text the client sent ({@link Stake#amount()}, {@link
 * Propose#bpm()}) so that both modes apply the same integer rules ({@link IntegerText}) and the
 * same penalties: a non-integer BPM is a malformed block in either mode.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface ClientMessage extends Message {
  /**
   * Asks for the JSON-lines mode; only valid as the first line.
   *
   * @param version the protocol version the client speaks
   */
  record Hello(long version) implements ClientMessage {}

  /**
   * One line of the text mode (nc), without its line ending; its meaning depends on the session's
   * state: a stake before registration, a BPM after.
   *
   * @param text the line
   */
  record Line(String text) implements ClientMessage {
    /** Checks the component. */
    public Line {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A stake offer (JSON {@code stake}).
   *
   * @param amount the {@code amount} value as JSON text: digits for an integer, otherwise whatever
   *     was sent (e.g. {@code "100"} with quotes, {@code 1.5}, {@code null} when missing)
   */
  record Stake(String amount) implements ClientMessage {
    /** Checks the component. */
    public Stake {
      Objects.requireNonNull(amount, "amount");
    }
  }

  /**
   * A BPM proposal (JSON {@code propose}).
   *
   * @param bpm the {@code bpm} value as JSON text, as {@link Stake#amount()}
   */
  record Propose(String bpm) implements ClientMessage {
    /** Checks the component. */
    public Propose {
      Objects.requireNonNull(bpm, "bpm");
    }
  }

  /**
   * A JSON line with a {@code type} this server does not know; answered with an error, the
   * connection stays open (newer clients may send more types).
   *
   * @param type the unknown type
   */
  record Unknown(String type) implements ClientMessage {
    /** Checks the component. */
    public Unknown {
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * A JSON-mode line that is not a protocol message at all (not JSON, not an object, no {@code
   * type}, or a first line that is not a hello); the connection is closed.
   *
   * @param reason what is wrong, for a person
   */
  record Malformed(String reason) implements ClientMessage {
    /** Checks the component. */
    public Malformed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
