package io.github.posj.net.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.protocol.ServerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class MessageEncoderTest {
  private static final ValidatorId ALICE =
      ValidatorId.fromHex("5263985518a3fdcc071c4bbc832d81e6948580c6f62aae5e3f13c66792b26e3a");

  private static String readText(EmbeddedChannel channel) {
    ByteBuf buffer = channel.readOutbound();
    try {
      return buffer.toString(StandardCharsets.UTF_8);
    } finally {
      buffer.release();
    }
  }

  private static OutboundMessage text(ServerMessage message) {
    return new OutboundMessage(message, WireMode.TEXT);
  }

  private static OutboundMessage json(ServerMessage message) {
    return new OutboundMessage(message, WireMode.JSON);
  }

  @Test
  void encode_textMode_writesTheTextDialogue() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageEncoder());
    channel.writeOutbound(text(new ServerMessage.StakePrompt()));
    channel.writeOutbound(text(new ServerMessage.Registered(ALICE, 100)));
    channel.writeOutbound(text(new ServerMessage.BpmPrompt()));
    assertThat(readText(channel)).isEqualTo("Enter token balance:");
    assertThat(readText(channel)).isEqualTo("\nYour validator address: " + ALICE.hex() + "\n");
    assertThat(readText(channel)).isEqualTo("\nEnter a new BPM:");
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void encode_jsonMode_writesJsonLines() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageEncoder());
    channel.writeOutbound(json(new ServerMessage.Registered(ALICE, 100)));
    assertThat(readText(channel))
        .isEqualTo("{\"type\":\"registered\",\"address\":\"" + ALICE.hex() + "\",\"stake\":100}\n");
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void encode_modesMixedOnOneChannel_eachMessageInItsOwnMode() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageEncoder());
    channel.writeOutbound(text(new ServerMessage.StakePrompt()));
    channel.writeOutbound(new OutboundMessage(new ServerMessage.Welcome(1), WireMode.JSON_FIRST));
    channel.writeOutbound(json(new ServerMessage.ProposalAccepted(1)));
    assertThat(readText(channel)).isEqualTo("Enter token balance:");
    assertThat(readText(channel)).isEqualTo("\n{\"type\":\"welcome\",\"version\":1}\n");
    assertThat(readText(channel)).isEqualTo("{\"type\":\"proposal-accepted\",\"index\":1}\n");
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void encode_messageTheModeDoesNotShow_writesNoBytes() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageEncoder());
    channel.writeOutbound(json(new ServerMessage.BpmPrompt()));
    ByteBuf written = channel.readOutbound();
    if (written != null) {
      assertThat(written.readableBytes()).isZero();
      written.release();
    }
    assertThat(channel.finish()).isFalse();
  }
}
