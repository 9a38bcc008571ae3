package io.github.posj.net.protocol;

import java.util.Objects;

/**
 * What a validator sends to the server, one per line.
 *
 * <p>Numbers are parsed once, by the decoder, with the same integer rules in both modes ({@link
 * IntegerText}), and carry the text the client sent for messages that quote it: a non-integer BPM
 * is a malformed block in either mode.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface ClientMessage extends Message {
  /** Calls the {@code visitor}'s method for this kind of message. */
  <R> R accept(Visitor<R> visitor);

  /**
   * One method per message kind, so that a handler written as a visitor fails to compile when a
   * kind is added.
   *
   * <p>Implementations say whether they are thread-safe.
   *
   * @param <R> what the visit returns
   */
  interface Visitor<R> {
    /** A hello. */
    R hello(Hello message);

    /** A text line. */
    R line(Line message);

    /** A stake. */
    R stake(Stake message);

    /** A proposal. */
    R propose(Propose message);

    /** A request for blocks. */
    R getBlocks(GetBlocks message);

    /** An unknown type. */
    R unknown(Unknown message);

    /** A malformed line. */
    R malformed(Malformed message);
  }

  /**
   * Asks for the JSON-lines mode; only valid as the first line.
   *
   * @param version the protocol version the client speaks
   */
  record Hello(long version) implements ClientMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.hello(this);
    }
  }

  /**
   * One line of the text mode (nc), without its line ending; its meaning depends on the session's
   * state: a stake before registration, a BPM after.
   *
   * @param text the line
   */
  record Line(String text) implements ClientMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.line(this);
    }

    /** Checks the component. */
    public Line {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A stake offer (JSON {@code stake}).
   *
   * @param amount the {@code amount}, parsed
   * @param text the {@code amount} value as JSON text, for messages: digits for an integer,
   *     otherwise whatever was sent (e.g. {@code "100"} with quotes, {@code 1.5}, {@code null} when
   *     missing)
   */
  record Stake(IntegerText.Parsed amount, String text) implements ClientMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.stake(this);
    }

    /** Checks the components. */
    public Stake {
      Objects.requireNonNull(amount, "amount");
      Objects.requireNonNull(text, "text");
    }

    /** The offer the JSON value {@code text} makes, parsed by {@link IntegerText}. */
    public static Stake ofText(String text) {
      return new Stake(IntegerText.parse(text), text);
    }

    /** The offer of {@code amount} tokens. */
    public static Stake of(long amount) {
      return new Stake(new IntegerText.Parsed.Value(amount), Long.toString(amount));
    }
  }

  /**
   * A BPM proposal (JSON {@code propose}).
   *
   * @param bpm the {@code bpm}, parsed
   * @param text the {@code bpm} value as JSON text, as {@link Stake#text()}
   */
  record Propose(IntegerText.Parsed bpm, String text) implements ClientMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.propose(this);
    }

    /** Checks the components. */
    public Propose {
      Objects.requireNonNull(bpm, "bpm");
      Objects.requireNonNull(text, "text");
    }

    /** The proposal the JSON value {@code text} makes, parsed by {@link IntegerText}. */
    public static Propose ofText(String text) {
      return new Propose(IntegerText.parse(text), text);
    }

    /** The proposal of {@code bpm}. */
    public static Propose of(long bpm) {
      return new Propose(new IntegerText.Parsed.Value(bpm), Long.toString(bpm));
    }
  }

  /**
   * A request for a range of blocks (JSON {@code get-blocks}, protocol version 2).
   *
   * <p>Immutable; thread-safe.
   *
   * @param from the Index of the first block wanted
   * @param count how many blocks, from 1 to {@link ProtocolLimits#MAX_BLOCKS_PER_REQUEST}
   */
  record GetBlocks(long from, long count) implements ClientMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.getBlocks(this);
    }
  }

  /**
   * A JSON line with a {@code type} this server does not know; answered with an error, the
   * connection stays open (newer clients may send more types).
   *
   * @param type the unknown type
   */
  record Unknown(String type) implements ClientMessage {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.unknown(this);
    }

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
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.malformed(this);
    }

    /** Checks the component. */
    public Malformed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
