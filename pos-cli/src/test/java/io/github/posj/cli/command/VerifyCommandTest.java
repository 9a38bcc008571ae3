package io.github.posj.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.cli.CliRun;
import io.github.posj.cli.StopSignal;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.testing.TestBlocks;
import io.github.posj.net.store.ChainFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class VerifyCommandTest {
  /** Printed by the original Go program (tutorial-protocol.md section 1). */
  private static final String GO_CHAIN =
      "[{\"Index\":0,\"Timestamp\":\"2026-11-24 05:37:39.918131413 +0000 UTC m=+0.002041026\","
          + "\"BPM\":0,\"Hash\":\"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7\","
          + "\"PrevHash\":\"\",\"Validator\":\"\"},"
          + "{\"Index\":1,\"Timestamp\":\"2026-11-24 05:37:41.440478369 +0000 UTC m=+1.524388092\","
          + "\"BPM\":72,\"Hash\":\"87b00d850c258a369ce8dff1a65faf2a09dd2f6886e9e3873a2c9cd8676568a1\","
          + "\"PrevHash\":\"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7\","
          + "\"Validator\":\"5263985518a3fdcc071c4bbc832d81e6948580c6f62aae5e3f13c66792b26e3a\"}]\n";

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void verify_invalidUtf8_exitsTwoWithLineAndColumn() throws IOException {
    Files.write(
        dir.resolve("bad.json"),
        new byte[] {'[', '\n', '{', '"', 'I', (byte) 0xff, '"', ':', '1', '}', ']'});
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "bad.json")).isEqualTo(2);
    assertThat(run.err()).contains("bad.json is not a chain: line 2, column").contains("0xff");
  }

  @Test
  void verify_oneHugeLine_failsFastNamingTheLimit() throws IOException {
    write("huge.jsonl", "\0".repeat(3 * ChainFile.MAX_LINE_BYTES));
    write("huge.json", "[{\"Timestamp\":\"" + "x".repeat(3 * ChainFile.MAX_LINE_BYTES));
    CliRun chainFile = new CliRun(dir);
    CliRun array = new CliRun(dir);

    assertThat(chainFile.run("verify", "huge.jsonl")).isEqualTo(2);
    assertThat(chainFile.err()).contains("line 1: ").contains("longer than 65536 bytes");
    assertThat(array.run("verify", "huge.json")).isEqualTo(2);
    assertThat(array.err()).contains("huge.json is not a chain: line 1").contains("65536");
  }

  @Test
  void verify_danglingSymlink_isRefusedAsTheServerRefusesIt() throws IOException {
    Files.createSymbolicLink(dir.resolve("chain.jsonl"), dir.resolve("unmounted/chain.jsonl"));
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "chain.jsonl")).isEqualTo(1);
    assertThat(run.err())
        .contains("is a symbolic link to")
        .contains("which does not exist")
        .doesNotContain("Exception");
  }

  @Test
  void verify_fifo_isRefusedWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("fifo.jsonl");
    int made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    org.junit.jupiter.api.Assumptions.assumeTrue(made == 0, "mkfifo is available");
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "fifo.jsonl")).isEqualTo(1);
    assertThat(run.err()).contains("is not a regular file");
  }

  @Test
  void verify_terminalControlsInTheFile_areShownEscaped() throws IOException {
    write("evil.jsonl", "{\"format\":\"\u001b[2J\u0007\u202e\"}\n");
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "evil.jsonl")).isEqualTo(2);
    assertThat(run.err())
        .contains("\\u001b[2J\\u0007\\u202e")
        .doesNotContain("\u001b", "\u0007", "\u202e");
  }

  @Test
  void verify_validChain_printsOkWithHeight() throws IOException {
    Chain chain = TestBlocks.chain(HashScheme.posj(), 5);
    write("chain.json", ChainJson.write(chain.blocks()));
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "chain.json")).isZero();
    assertThat(run.out())
        .startsWith("OK: 5 blocks, height 4, head " + chain.head().hash().hex() + " (posj scheme)");
  }

  @Test
  void verify_genesisOnly_saysOneBlockAndOneByte() throws IOException {
    Chain chain = TestBlocks.chain(HashScheme.posj(), 1);
    write("genesis.json", ChainJson.write(chain.blocks()));
    write("chain.jsonl", chainFile(HashScheme.posj(), 1) + "{");
    CliRun array = new CliRun(dir);
    CliRun torn = new CliRun(dir);

    assertThat(array.run("verify", "genesis.json")).isZero();
    assertThat(torn.run("verify", "chain.jsonl")).isEqualTo(1);

    assertThat(array.out()).startsWith("OK: 1 block, height 0, head ");
    assertThat(torn.out()).contains("ends with 1 byte after").contains(": 1 block, height 0");
  }

  @Test
  void verify_tamperedChain_exitsOneNamingTheBlockAndRule() throws IOException {
    List<Block> blocks = new ArrayList<>(TestBlocks.chain(HashScheme.posj(), 5).blocks());
    blocks.set(2, TestBlocks.withBpm(blocks.get(2), 180));
    write("chain.json", ChainJson.write(blocks));
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "chain.json")).isEqualTo(1);
    assertThat(run.out())
        .contains("INVALID")
        .contains("position 2 (Index 2)")
        .contains("Hash recomputes");
  }

  @Test
  void verify_chainFromTheGoProgram_isValidUnderGoTutorial() throws IOException {
    write("go.json", GO_CHAIN);
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "--hash-scheme", "go-tutorial", "go.json")).isZero();
    assertThat(run.out()).contains("OK: 2 blocks, height 1").contains("go-tutorial scheme");
  }

  @Test
  void verify_goChainUnderPosj_hintsAtTheGoTutorialScheme() throws IOException {
    write("go.json", GO_CHAIN);
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "go.json")).isEqualTo(1);
    assertThat(run.out()).contains("try --hash-scheme go-tutorial");
  }

  @Test
  void verify_goChainUnderGoTutorial_saysWhatTheSchemeDoesNotCover() throws IOException {
    write("go.json", GO_CHAIN);
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "--hash-scheme", "go-tutorial", "go.json")).isZero();
    assertThat(run.out()).contains("does not cover a block's Validator");
  }

  @Test
  void verify_tamperedGoChainUnderPosj_hintsAndNamesTheBlockUnderGoTutorial() throws IOException {
    write("go.json", GO_CHAIN.replace("\"BPM\":72", "\"BPM\":73"));
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "go.json")).isEqualTo(1);
    assertThat(run.out())
        .contains("its genesis is the original Go program's")
        .contains("position 1 (Index 1)")
        .contains("Hash recomputes");
  }

  @Test
  void verify_noFile_isAUsageErrorRatherThanWaitingForInput() {
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify")).isEqualTo(2);
    assertThat(run.err()).contains("FILE");
  }

  @Test
  void verify_standardInput_isRead() {
    CliRun run = new CliRun(Map.of(), dir, GO_CHAIN, new StopSignal.LatchStopSignal());

    assertThat(run.run("verify", "--hash-scheme", "go-tutorial", "-")).isZero();
  }

  @Test
  void verify_notJson_exitsTwoWithLineAndColumn() throws IOException {
    write("bad.json", "[\n  {\"Index\": 0,\n  oops\n]");
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "bad.json")).isEqualTo(2);
    assertThat(run.err()).contains("bad.json is not a chain: line 3, column");
  }

  @Test
  void verify_missingFileOrUnknownScheme_areClearErrors() {
    CliRun missing = new CliRun(dir);
    CliRun unknown = new CliRun(dir);

    assertThat(missing.run("verify", "nope.json")).isEqualTo(1);
    assertThat(missing.err()).contains("no such file: nope.json");
    assertThat(unknown.run("verify", "--hash-scheme", "md5", "x.json")).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown hash scheme 'md5'");
  }

  @Test
  void verify_nodeChainFile_usesItsHeadersSchemeAndNamesTheFileLine() throws IOException {
    Chain chain = TestBlocks.chain(HashScheme.goTutorial(), 4);
    StringBuilder file = new StringBuilder("{\"format\":\"posj-chain\",\"version\":1,");
    file.append("\"hashScheme\":\"go-tutorial\"}\n");
    for (Block block : chain.blocks()) {
      file.append(ChainJson.write(block)).append('\n');
    }
    write("chain.jsonl", file.toString());
    write("broken.jsonl", file.toString().replace("\"BPM\":62", "\"BPM\":\"62\""));
    CliRun ok = new CliRun(dir);
    CliRun broken = new CliRun(dir);

    assertThat(ok.run("verify", "chain.jsonl")).as(ok.err()).isZero();
    assertThat(ok.out()).contains("OK: 4 blocks").contains("go-tutorial scheme");
    assertThat(broken.run("verify", "broken.jsonl")).isEqualTo(2);
    assertThat(broken.err()).contains("line 4").contains("BPM must be an integer");
  }

  /** A node's chain file: the header, then {@code count} blocks, each line with its newline. */
  private static String chainFile(HashScheme scheme, int count) {
    StringBuilder text = new StringBuilder(ChainFile.header(scheme)).append('\n');
    for (Block block : TestBlocks.chain(scheme, count).blocks()) {
      text.append(ChainJson.write(block)).append('\n');
    }
    return text.toString();
  }

  @Test
  void verify_chainFileOfAnotherFormatVersion_isRefusedAsTheServerDoes() throws IOException {
    write("chain.jsonl", chainFile(HashScheme.posj(), 3).replace("\"version\":1", "\"version\":3"));
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "chain.jsonl")).isEqualTo(2);
    assertThat(run.err()).contains("line 1: format version 3 is not supported");
  }

  @Test
  void verify_chainFileWithATrailingBlankLine_isRefusedAsTheServerDoes() throws IOException {
    write("chain.jsonl", chainFile(HashScheme.posj(), 3) + "\n");
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "chain.jsonl")).isEqualTo(2);
    assertThat(run.err()).contains("line 5: a blank line");
  }

  @Test
  void verify_emptyChainFile_isRefusedAsTheServerDoes() throws IOException {
    write("chain.jsonl", "");
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "chain.jsonl")).isEqualTo(2);
    assertThat(run.err()).contains("the file is empty (0 bytes)");
  }

  @Test
  void verify_chainFileWithoutFinalNewline_isOkWithANote() throws IOException {
    String text = chainFile(HashScheme.posj(), 3);
    write("chain.jsonl", text.substring(0, text.length() - 1));
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "chain.jsonl")).as(run.err()).isZero();
    assertThat(run.out()).contains("OK: 3 blocks").contains("has no newline");
  }

  @Test
  void verify_chainFileWithTamperedFinalLineWithoutNewline_isInvalid() throws IOException {
    String text = chainFile(HashScheme.posj(), 3);
    String lastLine = text.substring(text.lastIndexOf('\n', text.length() - 2) + 1);
    String tampered =
        text.substring(0, text.length() - lastLine.length())
            + lastLine.strip().replaceFirst("\"BPM\":\\d+", "\"BPM\":180");
    write("chain.jsonl", tampered);
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "chain.jsonl")).isEqualTo(1);
    assertThat(run.out()).contains("INVALID").contains("line 4").contains("Hash recomputes");
  }

  @Test
  void verify_chainFileWithATornTail_exitsOneSayingTheServerWouldDropIt() throws IOException {
    String text = chainFile(HashScheme.posj(), 3);
    write("chain.jsonl", text + "{\"Index\":3,\"Timest");
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "chain.jsonl")).isEqualTo(1);
    assertThat(run.out())
        .contains("TORN")
        .contains("ends with 18 bytes")
        .contains("would drop those bytes")
        .contains("3 blocks, height 2");
    assertThat(run.err()).doesNotContain("Illegal unquoted");
  }

  @Test
  void verify_chainFileUnderAConflictingHashScheme_namesTheHeadersScheme() throws IOException {
    write("chain.jsonl", chainFile(HashScheme.posj(), 3));
    CliRun run = new CliRun(dir);

    assertThat(run.run("verify", "--hash-scheme", "go-tutorial", "chain.jsonl")).isEqualTo(2);
    assertThat(run.err())
        .contains("its header says the chain is hashed with the posj scheme")
        .contains("--hash-scheme go-tutorial was given");
    assertThat(run.out()).doesNotContain("GENESIS").doesNotContain("INVALID");
  }

  @Test
  void verify_chainFileOnStandardInput_isReadAsAChainFile() {
    CliRun run =
        new CliRun(
            Map.of(),
            dir,
            chainFile(HashScheme.posj(), 3) + "\n",
            new StopSignal.LatchStopSignal());

    assertThat(run.run("verify", "-")).isEqualTo(2);
    assertThat(run.err()).contains("line 5: a blank line");
  }
}
