package io.github.posj.net.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.round.RoundOutcome;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.protocol.ClientMessage;
import io.github.posj.net.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class WireFormatTest {
  private static final ValidatorId ALICE =
      ValidatorId.fromHex("5263985518a3fdcc071c4bbc832d81e6948580c6f62aae5e3f13c66792b26e3a");

  @Test
  void encodeText_tutorialStrings_areByteForByte() {
    assertThat(WireFormat.encode(new ServerMessage.StakePrompt(), WireMode.TEXT))
        .isEqualTo("Enter token balance:");
    assertThat(WireFormat.encode(new ServerMessage.BpmPrompt(), WireMode.TEXT))
        .isEqualTo("\nEnter a new BPM:");
    assertThat(
            WireFormat.encode(
                new ServerMessage.RoundResult(1, Optional.of(ALICE), 1, Optional.empty()),
                WireMode.TEXT))
        .isEqualTo("\nwinning validator: " + ALICE.hex() + "\n");
  }

  @Test
  void encodeText_newLines_areOneLineEach() {
    assertThat(WireFormat.encode(new ServerMessage.Registered(ALICE, 100), WireMode.TEXT))
        .isEqualTo("\nYour validator address: " + ALICE.hex() + "\n");
    assertThat(WireFormat.encode(new ServerMessage.Error("bad"), WireMode.TEXT))
        .isEqualTo("\nerror: bad\n");
    assertThat(WireFormat.encode(new ServerMessage.Slashed("why"), WireMode.TEXT))
        .isEqualTo("\nslashed: why\n");
    assertThat(WireFormat.encode(new ServerMessage.Closing("bye"), WireMode.TEXT))
        .isEqualTo("\nclosing: bye\n");
  }

  @Test
  void encodeText_skippedRoundAndJsonOnlyMessages_writeNothing() {
    assertThat(
            WireFormat.encode(
                new ServerMessage.RoundResult(
                    2, Optional.empty(), 0, Optional.of(RoundOutcome.SkipReason.NO_PROPOSALS)),
                WireMode.TEXT))
        .isEmpty();
    assertThat(WireFormat.encode(new ServerMessage.Welcome(1), WireMode.TEXT)).isEmpty();
    assertThat(WireFormat.encode(new ServerMessage.ProposalAccepted(1), WireMode.TEXT)).isEmpty();
  }

  @Test
  void encodeJson_prompts_writeNothing() {
    assertThat(WireFormat.encode(new ServerMessage.StakePrompt(), WireMode.JSON)).isEmpty();
    assertThat(WireFormat.encode(new ServerMessage.BpmPrompt(), WireMode.JSON)).isEmpty();
  }

  @Test
  void encode_chain_isTheTutorialJsonArrayInBothModes() {
    Chain chain = Chain.genesis(HashScheme.goTutorial(), "2026-11-24 05:37:39 +0000 UTC");
    ServerMessage.ChainUpdate update = new ServerMessage.ChainUpdate(chain.blocks());
    String array = ChainJson.write(chain.blocks());
    assertThat(WireFormat.encode(update, WireMode.TEXT)).isEqualTo(array + "\n");
    assertThat(WireFormat.encode(update, WireMode.JSON))
        .isEqualTo("{\"type\":\"chain\",\"blocks\":" + array + "}\n");
  }

  @Test
  void encodeJson_everyServerMessage_decodesBackToItself() {
    Chain chain = Chain.genesis(HashScheme.posj(), "2026-11-24 05:37:39 +0000 UTC");
    List<ServerMessage> messages =
        List.of(
            new ServerMessage.Welcome(1),
            new ServerMessage.Registered(ALICE, 100),
            new ServerMessage.ProposalAccepted(3),
            new ServerMessage.RoundResult(4, Optional.of(ALICE), 2, Optional.empty()),
            new ServerMessage.RoundResult(
                5, Optional.empty(), 2, Optional.of(RoundOutcome.SkipReason.NO_PROPOSALS)),
            new ServerMessage.ChainUpdate(chain.blocks()),
            new ServerMessage.Slashed("BPM \"x\" is not an integer"),
            new ServerMessage.Error("a \\ b \n c"),
            new ServerMessage.Closing("bye"));
    for (ServerMessage message : messages) {
      String line = WireFormat.encode(message, WireMode.JSON).strip();
      assertThat(WireFormat.decodeServerJson(line)).as(line).contains(message);
    }
  }

  @Test
  void encodeJson_roundResult_hasEveryField() {
    assertThat(
            WireFormat.encode(
                new ServerMessage.RoundResult(
                    5, Optional.empty(), 2, Optional.of(RoundOutcome.SkipReason.NO_PROPOSALS)),
                WireMode.JSON))
        .isEqualTo(
            "{\"type\":\"round-result\",\"round\":5,\"winner\":null,\"height\":2,"
                + "\"outcome\":\"skipped\",\"reason\":\"no-proposals\"}\n");
  }

  @Test
  void decodeJson_canonicalProposals_areWhatJacksonMakesOfThem() {
    String prefix = "{\"type\":\"propose\",\"bpm\":";
    List<String> lines =
        new ArrayList<>(
            List.of(
                prefix + "0}",
                prefix + "7}",
                prefix + "72}",
                prefix + "999999999999999999}",
                prefix + "9999999999999999999}",
                prefix + "99999999999999999999999}",
                prefix + "072}",
                prefix + "00}",
                prefix + "-5}",
                prefix + "7.5}",
                prefix + "1e2}",
                prefix + "72 }",
                prefix + "}",
                prefix + "72}}",
                prefix + "7a}",
                prefix + "72",
                prefix + "72}\r",
                prefix + "72,\"bpm\":73}",
                "{\"type\":\"propose\", \"bpm\":72}"));
    Random random = new Random(16);
    String alphabet = "0123456789-.e }{\",";
    for (int i = 0; i < 5_000; i++) {
      StringBuilder tail = new StringBuilder();
      int length = random.nextInt(22);
      for (int j = 0; j < length; j++) {
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        tail.append(random.nextInt(4) == 0 ? c : (char) ('0' + random.nextInt(10)));
      }
      lines.add(prefix + tail + (random.nextInt(8) == 0 ? "" : "}"));
    }
    for (String line : lines) {
      assertThat(WireFormat.decodeJson(line)).as(line).isEqualTo(WireFormat.parseJson(line));
    }
    assertThat(WireFormat.decodeJson(prefix + "72}")).isEqualTo(ClientMessage.Propose.ofText("72"));
    assertThat(WireFormat.decodeJson(prefix + "072}")).isInstanceOf(ClientMessage.Malformed.class);
  }

  @Test
  void decodeJson_clientMessages_carryTheNumberText() {
    assertThat(WireFormat.decodeJson("{\"type\":\"hello\",\"version\":1}"))
        .isEqualTo(new ClientMessage.Hello(1));
    assertThat(WireFormat.decodeJson("{\"type\":\"stake\",\"amount\":100}"))
        .isEqualTo(ClientMessage.Stake.ofText("100"));
    assertThat(WireFormat.decodeJson("{\"type\":\"propose\",\"bpm\":-5}"))
        .isEqualTo(ClientMessage.Propose.ofText("-5"));
    assertThat(WireFormat.decodeJson("{\"type\":\"propose\",\"bpm\":\"72\"}"))
        .isEqualTo(ClientMessage.Propose.ofText("\"72\""));
    assertThat(WireFormat.decodeJson("{\"type\":\"propose\",\"bpm\":7.5}"))
        .isEqualTo(ClientMessage.Propose.ofText("7.5"));
    assertThat(WireFormat.decodeJson("{\"type\":\"propose\"}"))
        .isEqualTo(ClientMessage.Propose.ofText("null"));
    assertThat(WireFormat.decodeJson("{\"type\":\"dance\"}"))
        .isEqualTo(new ClientMessage.Unknown("dance"));
  }

  @Test
  void decodeJson_notAMessage_isMalformed() {
    assertThat(WireFormat.decodeJson("{\"type\":")).isInstanceOf(ClientMessage.Malformed.class);
    assertThat(WireFormat.decodeJson("[1,2]")).isInstanceOf(ClientMessage.Malformed.class);
    assertThat(WireFormat.decodeJson("{\"kind\":\"stake\"}"))
        .isInstanceOf(ClientMessage.Malformed.class);
    assertThat(WireFormat.decodeJson("{\"type\":\"hello\",\"version\":\"one\"}"))
        .isInstanceOf(ClientMessage.Malformed.class);
  }

  @Test
  void decodeJson_garbageAfterTheObject_isNotValidJson() {
    ClientMessage decoded = WireFormat.decodeJson("{\"type\":\"stake\",\"amount\":5} xyz");

    assertThat(decoded).isInstanceOf(ClientMessage.Malformed.class);
    assertThat(((ClientMessage.Malformed) decoded).reason()).startsWith("not valid JSON: ");
  }

  @Test
  void decodeJson_twoObjectsOnOneLine_isNotValidJsonRatherThanDroppingTheSecond() {
    ClientMessage decoded =
        WireFormat.decodeJson("{\"type\":\"stake\",\"amount\":5}{\"type\":\"propose\",\"bpm\":1}");

    assertThat(decoded)
        .isEqualTo(
            new ClientMessage.Malformed(
                "not valid JSON: more than one JSON value on the line; send one object per"
                    + " line"));
  }

  @ParameterizedTest
  @ValueSource(strings = {" xyz", " 1", "x", " {", " ]", " \"a\""})
  void decodeJson_anythingAfterTheObject_isMoreThanOneValueNotAJacksonTokenError(String tail) {
    // "{...} xyz" used to get Jackson's "Unrecognized token 'xyz'" message.
    assertThat(WireFormat.decodeJson("{\"type\":\"stake\",\"amount\":5}" + tail))
        .isEqualTo(
            new ClientMessage.Malformed(
                "not valid JSON: more than one JSON value on the line; send one object per"
                    + " line"));
  }

  @Test
  void decodeJson_trailingWhitespace_isOneValue() {
    assertThat(WireFormat.decodeJson("{\"type\":\"stake\",\"amount\":5}  \t"))
        .isEqualTo(ClientMessage.Stake.ofText("5"));
  }

  @Test
  void decodeJson_duplicateKey_isNotValidJsonRatherThanLastOneWins() {
    ClientMessage amount =
        WireFormat.decodeJson("{\"type\":\"stake\",\"amount\":5,\"amount\":500}");
    ClientMessage type =
        WireFormat.decodeJson("{\"type\":\"hello\",\"version\":1,\"type\":\"stake\"}");

    assertThat(amount)
        .isEqualTo(new ClientMessage.Malformed("not valid JSON: Duplicate field 'amount'"));
    assertThat(type).isInstanceOf(ClientMessage.Malformed.class);
  }

  @Test
  void decodeJson_trailingWhitespace_isStillOneObject() {
    assertThat(WireFormat.decodeJson("{\"type\":\"stake\",\"amount\":5} \t"))
        .isEqualTo(ClientMessage.Stake.ofText("5"));
  }

  @Test
  void encodeJson_clientMessages_decodeBack() {
    for (ClientMessage message :
        List.of(
            new ClientMessage.Hello(1),
            ClientMessage.Stake.ofText("100"),
            ClientMessage.Propose.ofText("72"))) {
      assertThat(WireFormat.decodeJson(WireFormat.encodeJson(message).strip())).isEqualTo(message);
    }
  }

  @Test
  void decodeServerJson_theTextPrompt_isIgnored() {
    assertThat(WireFormat.decodeServerJson("Enter token balance:")).isEmpty();
    assertThat(WireFormat.decodeServerJson("")).isEmpty();
  }
}
