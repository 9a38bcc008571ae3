package io.github.posj.net.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.testing.TestNetwork;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class PeerWireTest {
  private final TestNetwork network = TestNetwork.withStakes(10, 20);
  private final List<SignedBlock> blocks = network.forgeSlots(network.start(), 1, 3);
  private final Hash hash = Hash.fromHex("ab".repeat(32));

  @Test
  void everyMessageReadsBackAsItWasWritten() {
    List<PeerMessage> messages =
        List.of(
            new PeerMessage.Hello(hash, "0123456789abcdef", Optional.of("127.0.0.1:9101")),
            new PeerMessage.Hello(hash, "0123456789abcdef", Optional.empty()),
            new PeerMessage.Status(12, hash, 17, 0),
            new PeerMessage.GetBlocks(1, 64),
            new PeerMessage.Blocks(1, blocks),
            new PeerMessage.Blocks(9, List.of()),
            new PeerMessage.NewBlock(blocks.get(0)),
            new PeerMessage.Evidence(blocks.get(0), blocks.get(1)),
            new PeerMessage.GetPeers(),
            new PeerMessage.Peers(List.of("127.0.0.1:9101", "[::1]:9102", "localhost:9103")),
            new PeerMessage.Closing("bye"));
    for (PeerMessage message : messages) {
      assertThat(PeerWire.decode(PeerWire.encode(message))).isEqualTo(message);
    }
  }

  @Test
  void theWireFormIsTheDocumentedOne() {
    assertThat(PeerWire.encode(new PeerMessage.Status(12, hash, 17, 0)))
        .isEqualTo(
            "{\"type\":\"status\",\"height\":\"12\",\"head\":\""
                + hash.hex()
                + "\",\"headSlot\":\"17\",\"finalized\":\"0\"}");
    assertThat(PeerWire.encode(new PeerMessage.Hello(hash, "0123456789abcdef", Optional.empty())))
        .isEqualTo(
            "{\"type\":\"hello\",\"protocol\":\"posj-peer/1\",\"genesisHash\":\""
                + hash.hex()
                + "\",\"nodeId\":\"0123456789abcdef\"}");
  }

  @Test
  void whatIsNotAPeerMessageIsRefusedSayingWhy() {
    assertThatThrownBy(() -> PeerWire.decode("hello")).hasMessageContaining("not a JSON message");
    assertThatThrownBy(() -> PeerWire.decode("{\"type\":\"propose\"}"))
        .hasMessageContaining("unknown message type");
    assertThatThrownBy(
            () -> PeerWire.decode("{\"type\":\"get-blocks\",\"from\":\"1\",\"count\":\"65\"}"))
        .hasMessageContaining("count is 1 to 64");
    assertThatThrownBy(
            () -> PeerWire.decode("{\"type\":\"get-blocks\",\"from\":\"0\",\"count\":\"1\"}"))
        .hasMessageContaining("from is at least 1");
    assertThatThrownBy(
            () ->
                PeerWire.decode(
                    "{\"type\":\"hello\",\"protocol\":\"posj-peer/2\",\"genesisHash\":\""
                        + hash.hex()
                        + "\",\"nodeId\":\"0123456789abcdef\"}"))
        .hasMessageContaining("not posj-peer/1");
    assertThatThrownBy(
            () ->
                PeerWire.decode(
                    "{\"type\":\"status\",\"height\":\"-1\",\"head\":\""
                        + hash.hex()
                        + "\",\"headSlot\":\"0\",\"finalized\":\"0\"}"))
        .hasMessageContaining("at least 0");
    assertThatThrownBy(() -> PeerWire.decode("{\"type\":\"peers\",\"peers\":[\"no port\"]}"))
        .hasMessageContaining("expected host:port");
    String many = "\"127.0.0.1:1\",".repeat(33);
    assertThatThrownBy(
            () ->
                PeerWire.decode(
                    "{\"type\":\"peers\",\"peers\":["
                        + many.substring(0, many.length() - 1)
                        + "]}"))
        .hasMessageContaining("at most 32");
    // Control characters from a peer never reach a log raw.
    assertThatThrownBy(() -> PeerWire.decode("{\"type\":\"\\u001b[31m\"}"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b"));
  }
}
