package io.github.posj.net.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.net.protocol.ClientMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class MessageDecoderTest {
  private static EmbeddedChannel channel(int maxLineLength) {
    return new EmbeddedChannel(
        new LineBasedFrameDecoder(maxLineLength, true, true), new MessageDecoder());
  }

  private static ClientMessage read(EmbeddedChannel channel) {
    return channel.readInbound();
  }

  private static ByteBuf bytes(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }

  @Test
  void decode_lineSplitAcrossReads_waitsForTheWholeLine() {
    EmbeddedChannel channel = channel(64);
    assertThat(channel.writeInbound(bytes("10"))).isFalse();
    assertThat(channel.writeInbound(bytes("0"))).isFalse();
    assertThat(channel.writeInbound(bytes("\r\n"))).isTrue();
    assertThat(read(channel)).isEqualTo(new ClientMessage.Line("100"));
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_linesCoalescedInOneRead_areEachAMessage() {
    EmbeddedChannel channel = channel(64);
    assertThat(channel.writeInbound(bytes("100\n72\n\nabc\n"))).isTrue();
    assertThat(read(channel)).isEqualTo(new ClientMessage.Line("100"));
    assertThat(read(channel)).isEqualTo(new ClientMessage.Line("72"));
    assertThat(read(channel)).isEqualTo(new ClientMessage.Line(""));
    assertThat(read(channel)).isEqualTo(new ClientMessage.Line("abc"));
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_firstLineJsonHello_switchesToJsonMode() {
    EmbeddedChannel channel = channel(256);
    channel.writeInbound(
        bytes(
            "{\"type\":\"hello\",\"version\":1}\n{\"type\":\"st"
                + "ake\",\"amount\":100}\n{\"type\":\"propose\",\"bpm\":72}\n"));
    assertThat(read(channel)).isEqualTo(new ClientMessage.Hello(1));
    assertThat(read(channel)).isEqualTo(ClientMessage.Stake.ofText("100"));
    assertThat(read(channel)).isEqualTo(ClientMessage.Propose.ofText("72"));
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_firstJsonLineNotAHello_isMalformed() {
    EmbeddedChannel channel = channel(256);
    channel.writeInbound(bytes("{\"type\":\"stake\",\"amount\":100}\n"));
    assertThat(read(channel)).isInstanceOf(ClientMessage.Malformed.class);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_textModeLaterJsonLookingLine_staysAText() {
    EmbeddedChannel channel = channel(256);
    channel.writeInbound(bytes("100\n{\"type\":\"hello\",\"version\":1}\n"));
    assertThat(read(channel)).isEqualTo(new ClientMessage.Line("100"));
    assertThat(read(channel))
        .isEqualTo(new ClientMessage.Line("{\"type\":\"hello\",\"version\":1}"));
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_lineOverTheLimit_failsFastAndReleasesTheBytes() {
    EmbeddedChannel channel = channel(8);
    ByteBuf tooLong = bytes("123456789012");
    assertThatThrownBy(() -> channel.writeInbound(tooLong))
        .isInstanceOf(TooLongFrameException.class);
    assertThat(tooLong.refCnt()).isZero();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void decode_frames_areReleased() {
    EmbeddedChannel channel = channel(64);
    ByteBuf input = bytes("100\n");
    channel.writeInbound(input);
    assertThat(input.refCnt()).isZero();
    assertThat(read(channel)).isEqualTo(new ClientMessage.Line("100"));
    assertThat(channel.finish()).isFalse();
  }
}
