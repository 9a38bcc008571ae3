package io.github.posj.net.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.chain.ChainRule;
import io.github.posj.core.chain.SignedChainState;
import io.github.posj.core.store.ChainStoreException;
import io.github.posj.core.store.SignedChainStore;
import io.github.posj.core.testing.TestNetwork;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileSignedChainStoreTest {
  private final TestNetwork network = TestNetwork.withSlots(30, 4, 10, 20, 30, 40);
  @TempDir Path dir;

  private List<SignedBlock> storeBlocks(int slots) {
    SignedChainState shadow = network.start();
    List<SignedBlock> blocks = network.forgeSlots(shadow, 1, slots);
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      store.open(network.genesis());
      blocks.forEach(store::append);
    }
    return blocks;
  }

  private Path chainFile() {
    return dir.resolve(FileChainStore.CHAIN_FILE);
  }

  @Test
  void blocksSurviveARestart() throws IOException {
    List<SignedBlock> blocks = storeBlocks(12);
    List<String> lines = Files.readAllLines(chainFile());
    assertThat(lines).hasSize(14);
    assertThat(lines.get(0)).startsWith("{\"format\":\"posj-chain\",\"version\":2,\"genesis\":{");

    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      SignedChainStore.Opened opened = store.open(network.genesis());
      assertThat(opened.blocks()).isEqualTo(blocks);
      assertThat(opened.state().head()).isEqualTo(blocks.get(11).block());
      assertThat(opened.repairs()).isEmpty();
      SignedBlock next = network.forge(opened.state(), 13, 1);
      store.append(next);
    }
  }

  @Test
  void aTornTailIsMovedAsideAndAMissingNewlineCompleted() throws IOException {
    storeBlocks(3);
    Files.writeString(chainFile(), "{\"Index\":4,\"Times", StandardOpenOption.APPEND);
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      SignedChainStore.Opened opened = store.open(network.genesis());
      assertThat(opened.blocks()).hasSize(3);
      assertThat(opened.repairs()).singleElement().asString().contains("torn");
    }
    assertThat(Files.readString(dir.resolve(FileChainStore.TORN_FILE))).startsWith("{\"Index\":4");
    String content = Files.readString(chainFile());
    Files.writeString(chainFile(), content.substring(0, content.length() - 1));
    try (FileSignedChainStore store = new FileSignedChainStore(dir)) {
      assertThat(store.open(network.genesis()).repairs())
          .singleElement()
          .asString()
          .contains("newline was missing");
    }
  }

  @Test
  void tamperedBlocksAreRefusedNamingLineAndRule() throws IOException {
    storeBlocks(5);
    List<String> lines = Files.readAllLines(chainFile());
    lines.set(4, lines.get(4).replaceFirst("\"BPM\":[0-9]+", "\"BPM\":999"));
    Files.write(chainFile(), lines);
    assertThatThrownBy(() -> new FileSignedChainStore(dir).open(network.genesis()))
        .isInstanceOf(ChainStoreException.class)
        .hasMessageContaining("line 5")
        .hasMessageContaining("HASH_MATCHES");
  }

  @Test
  void anotherGenesisAndATutorialFileAreRefused() throws IOException {
    storeBlocks(1);
    TestNetwork other = TestNetwork.withStakes(5);
    assertThatThrownBy(() -> new FileSignedChainStore(dir).open(other.genesis()))
        .hasMessageContaining("another genesis");
    Files.writeString(
        chainFile(),
        "{\"format\":\"posj-chain\",\"version\":1,\"hashScheme\":\"posj\"}\n"
            + "{\"Index\":0,\"Timestamp\":\"t\",\"BPM\":0,\"Hash\":\""
            + "00".repeat(32)
            + "\",\"PrevHash\":\"\",\"Validator\":\"\"}\n");
    assertThatThrownBy(() -> new FileSignedChainStore(dir).open(network.genesis()))
        .hasMessageContaining("line 1")
        .hasMessageContaining("pos server");
  }

  @Test
  void parallelSignatureChecksFindTheSameFirstProblem() throws IOException {
    storeBlocks(40);
    List<String> lines = Files.readAllLines(chainFile());
    // A forged signature on block 20 and a broken link on block 30: block 20 is reported.
    String line = lines.get(21);
    int at = line.indexOf("\"Signature\":\"") + 13;
    char c = line.charAt(at);
    lines.set(21, line.substring(0, at) + (c == '0' ? '1' : '0') + line.substring(at + 1));
    lines.set(31, lines.get(31).replaceFirst("\"PrevHash\":\"[0-9a-f]", "\"PrevHash\":\"f"));
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (SignedChainFile.Options options :
          List.of(
              SignedChainFile.Options.keepingBlocks(),
              SignedChainFile.Options.streaming(pool, 2))) {
        SignedChainFile.Contents contents =
            SignedChainFile.read(new ByteArrayInputStream(bytes), options);
        assertThat(contents).isInstanceOf(SignedChainFile.Contents.Damaged.class);
        SignedChainFile.Contents.Damaged damaged = (SignedChainFile.Contents.Damaged) contents;
        assertThat(damaged.line()).isEqualTo(22);
        assertThat(damaged.rule()).contains(ChainRule.SIGNATURE_VALID);
      }
    } finally {
      pool.shutdown();
    }
  }
}
