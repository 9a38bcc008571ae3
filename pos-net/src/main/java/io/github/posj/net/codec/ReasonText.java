package io.github.posj.net.codec;

import io.github.posj.core.node.NetworkEvent;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.core.text.UntrustedText;
import java.time.Duration;

/**
 * The words of the protocol: the one place that turns typed reasons (the node's events, a session's
 * refusals) into the texts of {@code error}, {@code slashed} and {@code closing} lines and the
 * {@code reason} words of a round result. {@code docs/protocol.md} quotes these texts.
 *
 * <p>Immutable; thread-safe.
 */
public final class ReasonText {
  /** The longest piece of a client's own text quoted back in a message. */
  private static final int MAX_ECHO = 40;

  private ReasonText() {}

  /** The round result's {@code reason} word: {@code no-proposals}, … */
  public static String skipReason(RoundOutcome.SkipReason reason) {
    return switch (reason) {
      case NO_PROPOSALS -> "no-proposals";
      case NO_ELIGIBLE_VALIDATOR -> "no-eligible-validator";
      case STORE_FAILED -> "store-failed";
    };
  }

  /**
   * A network node's refusal code ({@code docs/network.md} section 11): {@code future-slot}, {@code
   * late}, {@code slot-taken}, {@code duplicate}, {@code not-your-key}, {@code breaks-rule}, {@code
   * store-failed} or {@code forging-stopped}.
   */
  public static String refusalCode(NetworkEvent.Refusal reason) {
    return switch (reason) {
      case FUTURE_SLOT -> "future-slot";
      case LATE -> "late";
      case SLOT_TAKEN -> "slot-taken";
      case DUPLICATE -> "duplicate";
      case NOT_YOUR_KEY -> "not-your-key";
      case BREAKS_RULE -> "breaks-rule";
      case STORE_FAILED -> "store-failed";
      case FORGING_STOPPED -> "forging-stopped";
    };
  }

  /** The skip reason a {@code reason} word names, or null for a word this version does not know. */
  static RoundOutcome.SkipReason parseSkipReason(String word) {
    for (RoundOutcome.SkipReason reason : RoundOutcome.SkipReason.values()) {
      if (skipReason(reason).equals(word)) {
        return reason;
      }
    }
    return null;
  }

  /**
   * Why a stake was refused.
   *
   * @param offered the stake as the client wrote it (already {@link #echo}ed or quoted)
   */
  public static String registrationRefused(NodeEvent.RegistrationRefused refused, String offered) {
    return switch (refused.reason()) {
      case BELOW_MINIMUM -> "a stake is at least " + refused.limit() + " token(s); got " + offered;
      case ABOVE_MAXIMUM -> "a stake is at most " + refused.limit() + " tokens; got " + offered;
      case TOTAL_STAKE_FULL ->
          "the network's total stake cannot take "
              + refused.stake()
              + " more tokens; at most "
              + refused.limit();
      case ADDRESS_TAKEN -> "the address drawn for this validator is taken; send the stake again";
    };
  }

  /** A stake that is not a whole number. */
  public static String stakeNotAnInteger(String shown) {
    return "a stake is a whole number of tokens, such as 100; got " + shown;
  }

  /** Why a proposal was refused. */
  public static String proposalRefused(NodeEvent.ProposalRefused refused) {
    return switch (refused.reason()) {
      case NOT_REGISTERED -> notRegistered(refused.validator());
      case TOO_MANY_PROPOSALS ->
          "at most " + refused.limit() + " proposals per round; wait for the next round";
      case FORGING_STOPPED ->
          "the server has stopped forging; no more rounds until the server is restarted";
    };
  }

  /** A validator that is not (or no longer) registered. */
  public static String notRegistered(ValidatorId validator) {
    return "validator " + validator.hex() + " is not registered";
  }

  /**
   * The reason of a slashing.
   *
   * @param shown the BPM as the client wrote it (quoted in the text mode)
   */
  public static String slashed(NodeEvent.Slashed slashed, String shown) {
    return "BPM "
        + shown
        + " is not an integer: validator "
        + slashed.validator().hex()
        + " is removed and its stake of "
        + slashed.forfeited()
        + " tokens is forfeited";
  }

  /** What every connection is told when the node stops forging. */
  public static String forgingStopped(String cause) {
    return "the server has stopped forging: "
        + cause
        + "; no more rounds until the server is restarted";
  }

  /** The closing line of a connection the server has no room for. */
  public static String serverFull() {
    return "the server is full; try again later";
  }

  /** The closing line of every connection when the server stops. */
  public static String shuttingDown() {
    return "the server is shutting down";
  }

  /** A JSON type this server does not know. */
  public static String unknownType(String type) {
    return "unknown message type \"" + echo(type) + "\"; see docs/protocol.md";
  }

  /** A stake sent by a validator that already has one. */
  public static String alreadyRegistered(ValidatorId validator) {
    return "already registered as validator " + validator.hex();
  }

  /** A proposal before a stake. */
  public static String stakeFirst() {
    return "send a stake before proposing";
  }

  /** A hello that is not the first line. */
  public static String helloNotFirst() {
    return "hello is only valid as the first line";
  }

  /** A hello with a version this server does not speak. */
  public static String unsupportedVersion(long version, int oldest, int newest) {
    return "protocol version "
        + version
        + " is not supported; this server speaks versions "
        + oldest
        + " to "
        + newest;
  }

  /** A {@code get-blocks} on a version 1 connection. */
  public static String getBlocksNeedsVersion2() {
    return "get-blocks needs protocol version 2: start with {\"type\":\"hello\",\"version\":2}";
  }

  /** A {@code get-blocks} outside its bounds. */
  public static String getBlocksOutOfBounds(long from, long count, int max) {
    return "get-blocks needs from >= 0 and count from 1 to "
        + max
        + "; got from "
        + from
        + ", count "
        + count;
  }

  /** An unregistered connection silent for the idle timeout. */
  public static String idle(Duration timeout) {
    return "no stake received within " + duration(timeout) + "; closing";
  }

  /** A duration as the protocol's messages write it: {@code 30 s}, {@code 500 ms}. */
  public static String duration(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  /** A connection that closed its sending side before it staked. */
  public static String inputClosedBeforeStake() {
    return "the client closed its side of the connection before sending a stake";
  }

  /** A registered validator's connection whose client closed its sending side. */
  public static String inputClosed() {
    return "the client closed its side of the connection";
  }

  /** A registered validator closed for making no proposal in {@code rounds} rounds in a row. */
  public static String idleValidator(int rounds) {
    return "no proposal in the last " + rounds(rounds) + "; reconnect to validate again";
  }

  /** A registered validator closed to make room for a new connection on a full server. */
  public static String evictedWhenFull(int rounds) {
    return "the server is full and this validator made no proposal in the last "
        + rounds(rounds)
        + "; its place goes to a new connection; reconnect to validate again";
  }

  private static String rounds(int rounds) {
    return rounds + (rounds == 1 ? " round" : " rounds");
  }

  /** A line over the limit. */
  public static String lineTooLong(int maxLineLength) {
    return "line longer than " + maxLineLength + " bytes; closing the connection";
  }

  /** Too many refused requests before a stake. */
  public static String tooManyRefusedRequests(int count) {
    return "too many refused requests before a stake ("
        + count
        + "); send {\"type\":\"stake\",\"amount\":<tokens>} after the hello";
  }

  /** Too many invalid stakes. */
  public static String tooManyInvalidStakes(int count) {
    return "too many invalid stakes (" + count + ")";
  }

  /** Too many empty lines at the BPM prompt. */
  public static String tooManyEmptyLines(int count) {
    return "too many empty lines in a row (" + count + "); send a BPM such as 72, or disconnect";
  }

  /**
   * A client's value as a message quotes it: a text line in double quotes; in the JSON mode the
   * value as it was written (a JSON string already has its quotes, a number or {@code null} has
   * none). Shortened and escaped by {@link #echo}.
   */
  public static String shown(String text, WireMode mode) {
    return mode.isJson() ? echo(text) : "\"" + echo(text) + "\"";
  }

  /**
   * A client's text, shortened to 40 characters, with every character a terminal would act on or
   * hide written as a visible escape ({@link UntrustedText#escape}, line ends included).
   */
  public static String echo(String text) {
    String shown = text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    return UntrustedText.escape(shown);
  }

  /**
   * {@code text} safe to show a person, keeping its line ends: each line through {@link
   * UntrustedText#escape} (ESC, BEL, CR, U+202E, ... become {@code \}{@code uXXXX}). For text that
   * may hold untrusted parts: a log line, a message from the network or a file.
   */
  public static String printable(String text) {
    if (text.indexOf('\n') < 0) {
      return UntrustedText.escape(text);
    }
    StringBuilder out = new StringBuilder(text.length());
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      out.append(UntrustedText.escape(text.substring(start, end))).append('\n');
      start = end + 1;
    }
    return out.append(UntrustedText.escape(text.substring(start))).toString();
  }
}
