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

  @Test
  void encode_withoutMode_writesTheTextDialogue() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageEncoder());
    channel.writeOutbound(new ServerMessage.StakePrompt());
    channel.writeOutbound(new ServerMessage.Registered(ALICE, 100));
    channel.writeOutbound(new ServerMessage.BpmPrompt());
    assertThat(readText(channel)).isEqualTo("Enter token balance:");
    assertThat(readText(channel)).isEqualTo("\nYour validator address: " + ALICE.hex() + "\n");
    assertThat(readText(channel)).isEqualTo("\nEnter a new BPM:");
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void encode_jsonMode_writesJsonLines() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageEncoder());
    channel.attr(MessageDecoder.MODE).set(WireMode.JSON);
    channel.writeOutbound(new ServerMessage.Registered(ALICE, 100));
    assertThat(readText(channel))
        .isEqualTo("{\"type\":\"registered\",\"address\":\"" + ALICE.hex() + "\",\"stake\":100}\n");
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void encode_messageTheModeDoesNotShow_writesNoBytes() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageEncoder());
    channel.attr(MessageDecoder.MODE).set(WireMode.JSON);
    channel.writeOutbound(new ServerMessage.BpmPrompt());
    ByteBuf written = channel.readOutbound();
    if (written != null) {
      assertThat(written.readableBytes()).isZero();
      written.release();
    }
    assertThat(channel.finish()).isFalse();
  }
}
