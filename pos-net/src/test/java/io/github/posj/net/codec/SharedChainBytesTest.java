package io.github.posj.net.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.core.testing.TestValidators;
import io.github.posj.net.protocol.ServerMessage;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class SharedChainBytesTest {
  private final SharedChainBytes shared = new SharedChainBytes();

  @AfterEach
  void release() {
    shared.release();
  }

  private static String text(ByteBuf bytes) {
    try {
      return bytes.toString(StandardCharsets.UTF_8);
    } finally {
      bytes.release();
    }
  }

  @ParameterizedTest
  @EnumSource(WireMode.class)
  void bytes_growingChain_areExactlyWhatWireFormatWrites(WireMode mode) {
    Chain chain = TestBlocks.genesis(HashScheme.posj());
    for (int i = 1; i <= 300; i++) {
      ServerMessage.ChainUpdate update = new ServerMessage.ChainUpdate(chain.blocks());
      assertThat(text(shared.bytes(update, mode))).isEqualTo(WireFormat.encode(update, mode));
      chain =
          TestBlocks.append(
              chain, chain.nextBlock(60 + i, TestBlocks.timestamp(i), TestValidators.validator(i)));
    }
  }

  @Test
  void bytes_chainOverManyChunks_matchesAndEarlierViewsStayValid() {
    Chain chain = TestBlocks.chain(HashScheme.goTutorial(), 10_000);
    ServerMessage.ChainUpdate first = new ServerMessage.ChainUpdate(chain.blocks());
    ByteBuf held = shared.bytes(first, WireMode.TEXT);
    Chain longer = TestBlocks.append(chain, chain.nextBlock(1, "t", TestValidators.validator(1)));
    ServerMessage.ChainUpdate second = new ServerMessage.ChainUpdate(longer.blocks());

    assertThat(text(shared.bytes(second, WireMode.JSON)))
        .isEqualTo(WireFormat.encode(second, WireMode.JSON));
    assertThat(shared.chunkCount()).isGreaterThan(1);
    assertThat(text(held)).isEqualTo(WireFormat.encode(first, WireMode.TEXT));
  }

  @Test
  void bytes_sameBroadcastForManyConnections_sharesOneCopy() {
    Chain chain = TestBlocks.chain(HashScheme.posj(), 1_000);
    ServerMessage.ChainUpdate update = new ServerMessage.ChainUpdate(chain.blocks());
    ByteBuf a = shared.bytes(update, WireMode.TEXT);
    ByteBuf b = shared.bytes(update, WireMode.TEXT);
    try {
      // Views of one buffer: the same memory, not a copy per connection.
      assertThat(a.unwrap()).isNotNull().isSameAs(b.unwrap());
    } finally {
      a.release();
      b.release();
    }
  }

  @Test
  void bytes_anotherChain_isRebuilt() {
    Chain one = TestBlocks.chain(HashScheme.posj(), 5);
    Chain other = TestBlocks.chain(HashScheme.goTutorial(), 3);
    text(shared.bytes(new ServerMessage.ChainUpdate(one.blocks()), WireMode.TEXT));

    ServerMessage.ChainUpdate update = new ServerMessage.ChainUpdate(other.blocks());
    assertThat(text(shared.bytes(update, WireMode.TEXT)))
        .isEqualTo(WireFormat.encode(update, WireMode.TEXT));
  }
}
