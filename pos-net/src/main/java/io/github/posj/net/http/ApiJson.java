package io.github.posj.net.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posj.core.block.Block;
import io.github.posj.net.codec.ReasonText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The API's JSON: the one place that turns snapshot values into the objects of {@code docs/api.md}.
 * As in the beacon API, every 64-bit value is a decimal string (JSON numbers above 2<sup>53</sup>
 * lose digits in a browser); hashes and addresses are 64 lowercase hex digits, as on the chain;
 * text a client sent is escaped ({@link ReasonText#echo}).
 *
 * <p>Immutable; thread-safe.
 */
public final class ApiJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ApiJson() {}

  /**
   * What writes one JSON value.
   *
   * <p>Implementations are called on one thread at a time; they need not be thread-safe.
   */
  @FunctionalInterface
  public interface Writer {
    /** Writes the value to {@code json}. */
    void write(JsonGenerator json) throws IOException;
  }

  /** {@code writer}'s value as compact UTF-8 bytes. */
  public static byte[] bytes(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    write(out, writer);
    return out.toByteArray();
  }

  /** Writes {@code writer}'s value to {@code out} as compact UTF-8. */
  public static void write(OutputStream out, Writer writer) {
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      writer.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A block: {@code {"index","timestamp","bpm","hash","prev_hash","validator"}}. */
  public static void block(JsonGenerator json, Block block) throws IOException {
    json.writeStartObject();
    json.writeStringField("index", Long.toString(block.index()));
    json.writeStringField("timestamp", block.timestamp());
    json.writeStringField("bpm", Long.toString(block.bpm()));
    json.writeStringField("hash", block.hash().hex());
    json.writeStringField("prev_hash", block.prevHash().hex());
    json.writeStringField("validator", block.validator().hex());
    json.writeEndObject();
  }

  /** One ended round, as the {@code round} event and {@code /rounds} show it. */
  public static void round(JsonGenerator json, NodeSnapshot.RoundRecord round) throws IOException {
    json.writeStartObject();
    json.writeStringField("round", Long.toString(round.round()));
    json.writeStringField("time", round.time().toString());
    json.writeStringField("outcome", round.block().isPresent() ? "forged" : "skipped");
    nullableString(json, "reason", round.skipReason().map(ReasonText::skipReason));
    nullableString(json, "winner", round.block().map(b -> b.validator().hex()));
    nullableString(json, "index", round.block().map(b -> Long.toString(b.index())));
    nullableString(json, "hash", round.block().map(b -> b.hash().hex()));
    json.writeStringField("height", Long.toString(round.height()));
    json.writeStringField("proposals", Long.toString(round.tally().proposals()));
    json.writeStringField("proposers", Long.toString(round.tally().eligibleValidators()));
    json.writeStringField("eligible_stake", Long.toString(round.tally().eligibleStake()));
    json.writeStringField("stale", Long.toString(round.tally().stale()));
    json.writeStringField("ineligible", Long.toString(round.tally().ineligible()));
    json.writeEndObject();
  }

  /** One slashing, as the {@code slashing} event and {@code /slashings} show it. */
  public static void slashing(JsonGenerator json, NodeSnapshot.SlashingRecord slashing)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("time", slashing.time().toString());
    json.writeStringField("validator", slashing.validator().hex());
    json.writeStringField("forfeited", Long.toString(slashing.forfeited()));
    json.writeStringField("bpm", ReasonText.echo(slashing.bpm()));
    json.writeStringField("reason", "malformed-bpm");
    json.writeEndObject();
  }

  /** One validator and its wins against its expected wins. */
  static void validator(JsonGenerator json, NodeSnapshot.ValidatorStats stats, long totalStake)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("address", stats.address().hex());
    json.writeStringField("stake", Long.toString(stats.stake()));
    json.writeNumberField(
        "share", totalStake == 0 ? 0.0 : rounded((double) stats.stake() / totalStake));
    json.writeStringField("joined_round", Long.toString(stats.joinedRound()));
    json.writeStringField("rounds_entered", Long.toString(stats.roundsEntered()));
    json.writeStringField("wins", Long.toString(stats.wins()));
    json.writeNumberField("expected_wins", rounded(stats.expectedWins()));
    json.writeEndObject();
  }

  /** An error: {@code {"code":404,"message":"..."}}, as the beacon API's. */
  static byte[] error(int code, String message) {
    return bytes(
        json -> {
          json.writeStartObject();
          json.writeNumberField("code", code);
          json.writeStringField("message", message);
          json.writeEndObject();
        });
  }

  /** Six significant decimals: enough for a chart, and stable text for a reader. */
  private static double rounded(double value) {
    return Math.round(value * 1e6) / 1e6;
  }

  private static void nullableString(JsonGenerator json, String name, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      json.writeStringField(name, value.get());
    } else {
      json.writeNullField(name);
    }
  }
}
