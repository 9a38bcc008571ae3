package io.github.posj.net.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.ChainJson;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.ChainHead;
import io.github.posj.core.chain.HeadValidator;
import io.github.posj.core.testing.TestBlocks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ChainFile#check} with a {@link HeadValidator} (what {@code pos verify} reads with) agrees
 * with {@link ChainFile#read} (what a starting server reads with) on every kind of file: the same
 * problem on the same line, or the same ending, scheme, length and head.
 */
final class ChainFileTest {
  @Test
  void check_withAHeadValidator_agreesWithReadOnEveryKindOfFile() throws IOException {
    for (Map.Entry<String, byte[]> file : files().entrySet()) {
      ChainFile.Contents read = ChainFile.read(new ByteArrayInputStream(file.getValue()));
      List<HeadValidator> made = new ArrayList<>();

      ChainFile.Checked checked =
          ChainFile.check(
              new ByteArrayInputStream(file.getValue()),
              scheme -> {
                HeadValidator validator = new HeadValidator(scheme);
                made.add(validator);
                return validator;
              });

      if (read instanceof ChainFile.Contents.Loaded loaded) {
        assertThat(checked)
            .as(file.getKey())
            .isEqualTo(
                new ChainFile.Checked.Passed(
                    loaded.scheme(), loaded.ending(), loaded.chainLength()));
        ChainHead head = made.get(0).head().orElseThrow();
        assertThat(head.block()).as(file.getKey()).isEqualTo(loaded.chain().head());
        assertThat(head.size()).as(file.getKey()).isEqualTo(loaded.chain().size());
        assertThat(head.scheme().name()).as(file.getKey()).isEqualTo(loaded.scheme().name());
      } else {
        assertThat(checked).as(file.getKey()).isEqualTo(read);
      }
    }
  }

  @Test
  void check_headerThatCannotBeRead_makesNoValidator() throws IOException {
    List<HashScheme> asked = new ArrayList<>();

    ChainFile.Checked checked =
        ChainFile.check(
            new ByteArrayInputStream("not a header\n".getBytes(StandardCharsets.UTF_8)),
            scheme -> {
              asked.add(scheme);
              return new HeadValidator(scheme);
            });

    assertThat(checked).isInstanceOf(ChainFile.Contents.Damaged.class);
    assertThat(asked).isEmpty();
  }

  /** Valid, repairable and damaged chain files, by name. */
  private static Map<String, byte[]> files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (HashScheme scheme : HashScheme.all()) {
      List<Block> blocks = TestBlocks.chain(scheme, 6).blocks();
      String header = ChainFile.header(scheme) + "\n";
      String valid = header + lines(blocks);
      String name = scheme.name() + ": ";
      files.put(name + "valid", bytes(valid));
      files.put(name + "genesis only", bytes(header + lines(blocks.subList(0, 1))));
      files.put(name + "no final newline", bytes(valid.substring(0, valid.length() - 1)));
      files.put(name + "torn tail", bytes(valid + "{\"Index\":6,\"Timest"));
      files.put(name + "torn genesis", bytes(header + "{\"Index\":0,\"Ti"));
      List<Block> tampered = new ArrayList<>(blocks);
      tampered.set(3, TestBlocks.withBpm(blocks.get(3), 999));
      files.put(name + "tampered middle block", bytes(header + lines(tampered)));
      List<Block> tamperedLast = new ArrayList<>(blocks);
      tamperedLast.set(5, TestBlocks.withBpm(blocks.get(5), 999));
      String lastWithoutNewline = header + lines(tamperedLast);
      files.put(
          name + "tampered last block without its newline",
          bytes(lastWithoutNewline.substring(0, lastWithoutNewline.length() - 1)));
      List<Block> dropped = new ArrayList<>(blocks);
      dropped.remove(2);
      files.put(name + "dropped block", bytes(header + lines(dropped)));
      List<Block> badGenesis = new ArrayList<>(blocks);
      badGenesis.set(0, TestBlocks.withBpm(blocks.get(0), 5));
      files.put(name + "bad genesis", bytes(header + lines(badGenesis)));
      files.put(name + "garbage line", bytes(header + lines(blocks.subList(0, 2)) + "garbage\n"));
      files.put(name + "blank line", bytes(valid + "\n"));
      files.put(
          name + "non-canonical but valid JSON line",
          bytes(header + lines(blocks).replace("{\"Index\":2,", "{ \"Index\" : 2 ,")));
    }
    files.put("empty", new byte[0]);
    files.put("header only", bytes(ChainFile.header(HashScheme.posj()) + "\n"));
    files.put("not a header", bytes("[]\n"));
    files.put(
        "another version",
        bytes("{\"format\":\"posj-chain\",\"version\":9,\"hashScheme\":\"posj\"}\n"));
    byte[] notUtf8 = bytes(ChainFile.header(HashScheme.posj()) + "\n{\"Index\":0,\"x\":\"?\"}\n");
    notUtf8[notUtf8.length - 4] = (byte) 0xff;
    files.put("not UTF-8", notUtf8);
    files.put(
        "line too long",
        bytes(
            ChainFile.header(HashScheme.posj()) + "\n" + "x".repeat(ChainFile.MAX_LINE_BYTES + 1)));
    return files;
  }

  private static String lines(List<Block> blocks) {
    StringBuilder out = new StringBuilder();
    for (Block block : blocks) {
      out.append(ChainJson.write(block)).append('\n');
    }
    return out.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
