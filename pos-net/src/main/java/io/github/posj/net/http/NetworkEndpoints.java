package io.github.posj.net.http;

import static io.github.posj.net.http.ApiResponses.list;
import static io.github.posj.net.http.ApiResponses.ok;
import static io.github.posj.net.http.ApiResponses.okData;
import static io.github.posj.net.http.ApiResponses.recent;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.ForkChoice;
import io.github.posj.core.genesis.Genesis;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.schedule.LeaderSchedule;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.codec.ReasonText;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.time.Instant;
import java.util.AbstractList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntSupplier;

/**
 * A network node's endpoints ({@code docs/api.md}, "Network mode"): its status, signed blocks and
 * each block's leader draw, the genesis validators with the blocks they made, the slots, the leader
 * schedule of the current and the next epoch, and equivocation evidence, from the latest {@link
 * NetworkSnapshot}.
 *
 * <p>Thread-safe.
 */
/*
 * Implementation notes: a leader is re-derived here from the published chain with pos-core's
 * LeaderSchedule, as docs/network.md section 6 defines it: seed(e) hashes mixAtEnd(e - 2), the mix
 * after the last block whose slot is before epoch e - 1 (found by binary search: slots grow with
 * Index), and the draw is LeaderSchedule.draw. Once the node is in epoch c, no block can land in
 * epoch c - 1 or before, so the seeds of every epoch up to c + 1 are final and so are the answers.
 */
final class NetworkEndpoints extends Endpoints {
  private final NetworkView view;

  NetworkEndpoints(NetworkView view, String version, IntSupplier subscribers) {
    super(version, subscribers, EnumSet.of(EventTopic.HEAD, EventTopic.SLOT, EventTopic.EVIDENCE));
    this.view = view;
  }

  @Override
  FullHttpResponse answer(ChannelHandlerContext ctx, String path, QueryStringDecoder uri) {
    NetworkSnapshot snapshot = view.snapshot();
    NetworkSnapshot.Chain chain = snapshot.chain();
    switch (path) {
      case "/node/health":
        return ApiResponses.health(ctx, snapshot.health());
      case "/node/status":
        return okData(ctx, json -> status(json, snapshot));
      case "/blocks":
        return ApiResponses.paged(
            ctx,
            uri,
            chain.blocks(),
            (json, block) -> block(json, chain, block.index()),
            json -> json.writeStringField("height", Long.toString(chain.height())));
      case "/validators":
        return validators(ctx, uri, snapshot);
      case "/slots":
        return ok(
            ctx,
            json ->
                list(
                    json,
                    recent(uri, snapshot.recentSlots()),
                    (j, slot) -> ApiJson.slot(j, slot, start(snapshot, slot.slot()))));
      case "/evidence":
        return ok(
            ctx, json -> list(json, recent(uri, snapshot.recentEvidence()), ApiJson::evidence));
      default:
        break;
    }
    String[] parts = path.substring(1).split("/", -1);
    if (parts.length == 2 && parts[0].equals("blocks")) {
      int index = ApiResponses.blockPosition(chain.blocks(), blockIndex, parts[1]);
      return ok(
          ctx,
          json ->
              ApiResponses.data(
                  json,
                  () -> block(json, chain, index),
                  () -> json.writeBooleanField("finalized", true)));
    }
    if (parts.length == 3 && parts[0].equals("blocks") && parts[2].equals("proof")) {
      int index = ApiResponses.blockPosition(chain.blocks(), blockIndex, parts[1]);
      if (index == 0) {
        throw ApiException.badRequest(
            "block 0 is made from the genesis, not drawn: a leader proof is for a block with Index"
                + " 1 or more");
      }
      return okData(ctx, json -> proof(json, snapshot, index));
    }
    if (parts.length == 2 && parts[0].equals("slots")) {
      NetworkSnapshot.SlotRecord slot = slot(snapshot, parts[1]);
      return okData(ctx, json -> ApiJson.slot(json, slot, start(snapshot, slot.slot())));
    }
    if (parts.length == 2 && parts[0].equals("schedule")) {
      return schedule(ctx, uri, snapshot, parts[1]);
    }
    throw ApiResponses.noSuchEndpoint(ApiResponses.PREFIX + path);
  }

  private void status(JsonGenerator json, NetworkSnapshot snapshot) throws IOException {
    Genesis genesis = snapshot.genesis();
    NetworkSnapshot.Chain chain = snapshot.chain();
    long height = chain.height();
    json.writeStartObject();
    json.writeStringField("mode", "network");
    json.writeStringField("version", version);
    json.writeStringField("status", ApiResponses.word(snapshot.health().status()));
    json.writeStringField("chain_id", genesis.chainId());
    json.writeStringField("genesis_hash", genesis.hash().hex());
    json.writeStringField("genesis_time", genesis.genesisTime().toString());
    json.writeStringField("slot_seconds", Long.toString(genesis.slotSeconds()));
    json.writeStringField("epoch_slots", Long.toString(genesis.epochSlots()));
    json.writeStringField("height", Long.toString(height));
    json.writeFieldName("head");
    block(json, chain, height);
    json.writeStringField("head_slot", Long.toString(chain.slotOf(height)));
    json.writeStringField(
        "finalized_height", Long.toString(ForkChoice.finalizedIndex(genesis, height)));
    json.writeStringField("slot", Long.toString(snapshot.slot()));
    json.writeStringField("epoch", Long.toString(snapshot.epoch()));
    if (snapshot.slot() >= 1) {
      json.writeStringField("leader", leaderOf(snapshot, snapshot.slot()).hex());
    } else {
      json.writeNullField("leader");
    }
    json.writeStringField("validators", Long.toString(genesis.validators().size()));
    json.writeStringField("total_stake", Long.toString(genesis.totalStake()));
    json.writeObjectFieldStart("connections");
    json.writeStringField("total", Long.toString(snapshot.connections().total()));
    json.writeStringField("validators", Long.toString(snapshot.connections().validators()));
    json.writeEndObject();
    json.writeObjectFieldStart("peers");
    json.writeStringField("connected", Long.toString(snapshot.connections().peers()));
    json.writeEndObject();
    json.writeStringField("event_subscribers", Long.toString(subscribers.getAsInt()));
    json.writeEndObject();
  }

  /** Block {@code index} with its signed fields. */
  private static void block(JsonGenerator json, NetworkSnapshot.Chain chain, long index)
      throws IOException {
    Block block = chain.blocks().get((int) index);
    ApiJson.signedBlock(
        json, block, index == 0 ? Optional.empty() : Optional.of(chain.signed(index)));
  }

  private static FullHttpResponse validators(
      ChannelHandlerContext ctx, QueryStringDecoder uri, NetworkSnapshot snapshot) {
    long total = snapshot.genesis().totalStake();
    long height = snapshot.chain().height();
    return ApiResponses.paged(
        ctx,
        uri,
        snapshot.validators(),
        (json, stats) -> ApiJson.networkValidator(json, stats, total, height),
        json -> {
          json.writeStringField("total", Long.toString(snapshot.validators().size()));
          json.writeStringField("total_stake", Long.toString(total));
          json.writeStringField("height", Long.toString(height));
        });
  }

  /**
   * What re-checking block {@code index}'s leader by hand needs ({@code docs/network.md} sections 5
   * and 6): the mix its epoch's seed was made from, the seeds, the draw, and the reveal it chains
   * to.
   */
  private static void proof(JsonGenerator json, NetworkSnapshot snapshot, int index)
      throws IOException {
    NetworkSnapshot.Chain chain = snapshot.chain();
    Genesis genesis = snapshot.genesis();
    LeaderSchedule schedule = snapshot.schedule();
    SignedBlock block = chain.signed(index);
    long epoch = genesis.epochOf(block.slot());
    int mixIndex = mixIndex(chain, genesis, epoch);
    Hash mix = chain.mixAfter(mixIndex);
    LeaderSchedule.Draw draw = schedule.draw(block.slot(), schedule.seed(epoch, mix));
    ValidatorId validator = block.block().validator();
    OptionalLong previous = chain.previousByValidator(index);
    Hash previousReveal =
        previous.isPresent()
            ? chain.signed(previous.getAsLong()).reveal()
            : genesis.validator(validator).orElseThrow().commitment();
    json.writeStartObject();
    json.writeStringField("index", Long.toString(index));
    json.writeStringField("hash", block.hash().hex());
    json.writeStringField("slot", Long.toString(block.slot()));
    json.writeStringField("epoch", Long.toString(epoch));
    json.writeStringField("validator", validator.hex());
    json.writeStringField("pubkey", block.publicKey().hex());
    json.writeStringField("genesis_hash", genesis.hash().hex());
    if (epoch >= 2) {
      json.writeStringField("mix_epoch", Long.toString(epoch - 2));
    } else {
      json.writeNullField("mix_epoch");
    }
    json.writeStringField("mix_after_index", Long.toString(mixIndex));
    json.writeStringField("mix", mix.hex());
    json.writeStringField("epoch_seed", draw.epochSeed().hex());
    json.writeStringField("leader_seed", draw.leaderSeed().hex());
    json.writeStringField("total_stake", Long.toString(draw.totalStake()));
    json.writeStringField("ticket", Long.toString(draw.ticket()));
    json.writeStringField("values_drawn", Long.toString(draw.valuesDrawn()));
    json.writeStringField("leader", draw.leader().hex());
    json.writeObjectFieldStart("leader_tickets");
    json.writeStringField("from", Long.toString(draw.ticketsFrom()));
    json.writeStringField("to", Long.toString(draw.ticketsTo()));
    json.writeEndObject();
    json.writeStringField("reveal", block.reveal().hex());
    json.writeStringField("previous_reveal", previousReveal.hex());
    if (previous.isPresent()) {
      json.writeStringField("previous_block", Long.toString(previous.getAsLong()));
    } else {
      json.writeNullField("previous_block");
    }
    json.writeBooleanField("leader_matches", draw.leader().equals(validator));
    json.writeBooleanField("reveal_chains", HashOnion.chains(block.reveal(), previousReveal));
    json.writeEndObject();
  }

  /** The slot {@code id} names, with its leader and what became of it. */
  private static NetworkSnapshot.SlotRecord slot(NetworkSnapshot snapshot, String id) {
    long slot =
        ApiResponses.wholeNumber(id, 0, Long.MAX_VALUE)
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "a slot is a whole number from 1 to "
                            + Long.MAX_VALUE
                            + "; got \""
                            + ReasonText.echo(id)
                            + "\""));
    if (slot == 0) {
      throw ApiException.badRequest(
          "slot 0 holds block 0, made from the genesis: slots with a leader start at 1");
    }
    Genesis genesis = snapshot.genesis();
    long epoch = genesis.epochOf(slot);
    long current = snapshot.epoch();
    if (epoch > current + 1) {
      throw ApiException.badRequest(
          "the leader of slot "
              + slot
              + " is not fixed yet: it is in epoch "
              + epoch
              + ", whose seed is fixed when epoch "
              + (epoch - 2)
              + " ends; the node is in epoch "
              + current
              + " and knows the leaders up to slot "
              + ((current + 2) * genesis.epochSlots() - 1));
    }
    NetworkSnapshot.Chain chain = snapshot.chain();
    OptionalLong index = indexAtSlot(chain, slot);
    NetworkSnapshot.SlotRecord.Outcome outcome;
    if (index.isPresent()) {
      outcome = NetworkSnapshot.SlotRecord.Outcome.BLOCK;
    } else if (slot < snapshot.slot()) {
      outcome = NetworkSnapshot.SlotRecord.Outcome.EMPTY;
    } else if (slot == snapshot.slot()) {
      outcome = NetworkSnapshot.SlotRecord.Outcome.OPEN;
    } else {
      outcome = NetworkSnapshot.SlotRecord.Outcome.FUTURE;
    }
    return new NetworkSnapshot.SlotRecord(
        slot,
        epoch,
        leaderOf(snapshot, slot),
        outcome,
        index.isPresent()
            ? Optional.of(chain.blocks().get((int) index.getAsLong()))
            : Optional.empty());
  }

  /** {@code GET /schedule/{epoch}}: the leaders of the current or the next epoch, paged. */
  private static FullHttpResponse schedule(
      ChannelHandlerContext ctx, QueryStringDecoder uri, NetworkSnapshot snapshot, String id) {
    long current = snapshot.epoch();
    long epoch =
        switch (id) {
          case "current" -> current;
          case "next" -> current + 1;
          default ->
              ApiResponses.wholeNumber(id, 0, Long.MAX_VALUE)
                  .orElseThrow(
                      () ->
                          ApiException.badRequest(
                              "an epoch is current, next or a whole number from 0 to "
                                  + Long.MAX_VALUE
                                  + "; got \""
                                  + ReasonText.echo(id)
                                  + "\""));
        };
    if (epoch < current) {
      throw ApiException.badRequest(
          "epoch "
              + epoch
              + " is over: the schedule is served for the current epoch ("
              + current
              + ") and the next ("
              + (current + 1)
              + "); a past slot's leader is at "
              + ApiResponses.PREFIX
              + "/slots/{slot} and a block's draw at "
              + ApiResponses.PREFIX
              + "/blocks/{block_id}/proof");
    }
    if (epoch > current + 1) {
      throw ApiException.badRequest(
          "the schedule of epoch "
              + epoch
              + " is not fixed yet: its seed is fixed when epoch "
              + (epoch - 2)
              + " ends; the node is in epoch "
              + current
              + " and serves the schedule of epochs "
              + current
              + " and "
              + (current + 1));
    }
    Genesis genesis = snapshot.genesis();
    LeaderSchedule schedule = snapshot.schedule();
    Hash seed =
        schedule.seed(epoch, snapshot.chain().mixAfter(mixIndex(snapshot.chain(), genesis, epoch)));
    long first = Math.max(1, epoch * genesis.epochSlots());
    int size = (int) ((epoch + 1) * genesis.epochSlots() - first);
    List<Long> slots =
        new AbstractList<>() {
          @Override
          public Long get(int i) {
            return first + i;
          }

          @Override
          public int size() {
            return size;
          }
        };
    return ApiResponses.paged(
        ctx,
        uri,
        slots,
        (json, slot) -> {
          json.writeStartObject();
          json.writeStringField("slot", Long.toString(slot));
          json.writeStringField("leader", schedule.leader(slot, seed).hex());
          json.writeEndObject();
        },
        json -> {
          json.writeStringField("epoch", Long.toString(epoch));
          json.writeStringField("epoch_seed", seed.hex());
          json.writeStringField("first_slot", Long.toString(first));
          json.writeStringField("slots", Long.toString(size));
        });
  }

  /** The leader of {@code slot} (at least 1, in an epoch up to the next). */
  private static ValidatorId leaderOf(NetworkSnapshot snapshot, long slot) {
    Genesis genesis = snapshot.genesis();
    long epoch = genesis.epochOf(slot);
    Hash mix = snapshot.chain().mixAfter(mixIndex(snapshot.chain(), genesis, epoch));
    return snapshot.schedule().leader(slot, snapshot.schedule().seed(epoch, mix));
  }

  /**
   * The Index of the block after which {@code mixAtEnd(epoch - 2)} was taken: the last block whose
   * slot is before epoch {@code epoch - 1}; 0 (the mix after block 0) when there is none.
   */
  private static int mixIndex(NetworkSnapshot.Chain chain, Genesis genesis, long epoch) {
    if (epoch < 2) {
      return 0;
    }
    long bound = (epoch - 1) * genesis.epochSlots();
    long low = 0;
    long high = chain.height();
    while (low < high) {
      long middle = (low + high + 1) >>> 1;
      if (chain.slotOf(middle) < bound) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return (int) low;
  }

  /** The Index of the block at {@code slot}, if the chain has one. */
  private static OptionalLong indexAtSlot(NetworkSnapshot.Chain chain, long slot) {
    long low = 1;
    long high = chain.height();
    while (low <= high) {
      long middle = (low + high) >>> 1;
      long at = chain.slotOf(middle);
      if (at == slot) {
        return OptionalLong.of(middle);
      } else if (at < slot) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return OptionalLong.empty();
  }

  private static Instant start(NetworkSnapshot snapshot, long slot) {
    return snapshot.genesis().slotStart(slot);
  }
}
