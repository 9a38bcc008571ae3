package io.github.posj.net.store;

import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.block.SignedBlockJson;
import io.github.posj.net.node.EvidenceLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Equivocation evidence in a data directory: {@value #FILE}, one JSON line per pair, {@code
 * {"first":{...},"second":{...}}}, each forced to disk before {@link #record} returns.
 *
 * <p>Not thread-safe; confine to the node's owner thread.
 */
public final class FileEvidenceLog implements EvidenceLog {
  /** The file's name in the data directory. */
  public static final String FILE = "evidence.jsonl";

  private final Path file;

  /** A log in {@code directory} (which must exist). */
  public FileEvidenceLog(Path directory) {
    this.file = Objects.requireNonNull(directory, "directory").resolve(FILE);
  }

  @Override
  public void record(SignedBlock first, SignedBlock second) {
    StringBuilder line = new StringBuilder(1024).append("{\"first\":");
    SignedBlockJson.writeBlock(first, line);
    line.append(",\"second\":");
    SignedBlockJson.writeBlock(second, line);
    line.append("}\n");
    try (FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer bytes = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot append evidence to " + file + ": " + e.getMessage(), e);
    }
  }
}
