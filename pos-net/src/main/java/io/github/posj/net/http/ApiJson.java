package io.github.posj.net.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.net.codec.ReasonText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
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
    blockFields(json, block);
    json.writeEndObject();
  }

  /**
   * A network-mode block: the six fields of {@link #block}, then {@code "slot"}, {@code "pubkey"},
   * {@code "reveal"} and {@code "signature"}; block 0 (no {@code signed}) has slot {@code "0"} and
   * null for the other three.
   */
  public static void signedBlock(JsonGenerator json, Block block, Optional<SignedBlock> signed)
      throws IOException {
    json.writeStartObject();
    blockFields(json, block);
    json.writeStringField("slot", Long.toString(signed.map(SignedBlock::slot).orElse(0L)));
    nullableString(json, "pubkey", signed.map(b -> b.publicKey().hex()));
    nullableString(json, "reveal", signed.map(b -> b.reveal().hex()));
    nullableString(json, "signature", signed.map(b -> b.signature().hex()));
    json.writeEndObject();
  }

  /** A signed block, as {@link #signedBlock(JsonGenerator, Block, Optional)} shows it. */
  public static void signedBlock(JsonGenerator json, SignedBlock block) throws IOException {
    signedBlock(json, block.block(), Optional.of(block));
  }

  private static void blockFields(JsonGenerator json, Block block) throws IOException {
    json.writeStringField("index", Long.toString(block.index()));
    json.writeStringField("timestamp", block.timestamp());
    json.writeStringField("bpm", Long.toString(block.bpm()));
    json.writeStringField("hash", block.hash().hex());
    json.writeStringField("prev_hash", block.prevHash().hex());
    json.writeStringField("validator", block.validator().hex());
  }

  /**
   * One slot of a network node, as the {@code slot} event and {@code /slots} show it: {@code
   * {"slot","epoch","start","leader","outcome","index","hash"}}, the last two null without a block.
   */
  public static void slot(JsonGenerator json, NetworkSnapshot.SlotRecord slot, Instant start)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("slot", Long.toString(slot.slot()));
    json.writeStringField("epoch", Long.toString(slot.epoch()));
    json.writeStringField("start", start.toString());
    json.writeStringField("leader", slot.leader().hex());
    json.writeStringField("outcome", slot.outcome().name().toLowerCase(Locale.ROOT));
    nullableString(json, "index", slot.block().map(b -> Long.toString(b.index())));
    nullableString(json, "hash", slot.block().map(b -> b.hash().hex()));
    json.writeEndObject();
  }

  /**
   * Equivocation evidence, as the {@code evidence} event and {@code /evidence} show it: the
   * validator, the slot, whether the pair was stored, and both signed blocks.
   */
  public static void evidence(JsonGenerator json, NetworkSnapshot.EvidenceRecord evidence)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("time", evidence.time().toString());
    json.writeStringField("validator", evidence.first().block().validator().hex());
    json.writeStringField("slot", Long.toString(evidence.first().slot()));
    json.writeBooleanField("stored", evidence.stored());
    json.writeFieldName("first");
    signedBlock(json, evidence.first());
    json.writeFieldName("second");
    signedBlock(json, evidence.second());
    json.writeEndObject();
  }

  /**
   * One genesis validator of a network node and the blocks it made against the blocks its stake
   * leads one to expect ({@code share * height}: each slot's leader is drawn with probability stake
   * / total).
   */
  static void networkValidator(
      JsonGenerator json, NetworkSnapshot.ValidatorStats stats, long totalStake, long height)
      throws IOException {
    double share = (double) stats.stake() / totalStake;
    json.writeStartObject();
    json.writeStringField("address", stats.address().hex());
    json.writeStringField("pubkey", stats.publicKey().hex());
    json.writeStringField("stake", Long.toString(stats.stake()));
    json.writeNumberField("share", rounded(share));
    json.writeStringField("blocks", Long.toString(stats.blocks()));
    json.writeNumberField("expected_blocks", rounded(share * height));
    json.writeBooleanField("logged_in", stats.loggedIn());
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
