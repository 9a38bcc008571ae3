package io.github.posj.net.keys;

import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.stake.ValidatorId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A validator's key file: its Ed25519 seed and its hash-onion secret, the two secrets a validator
 * needs, as one line of JSON ({@code docs/network.md} section 10):
 *
 * <pre>
 * {"format":"posj-key","version":1,"seed":"&lt;64 hex&gt;","pubkey":"&lt;64 hex&gt;",
 *  "validator":"&lt;64 hex address&gt;","onionSecret":"&lt;64 hex&gt;","onionLength":"65536"}
 * </pre>
 *
 * <p>The public key and the address are derived from the seed; the file holds them so that a person
 * can tell whose key it is without a tool, and {@link #read} checks that they match the seed. The
 * file is created with mode 0600 (never a moment readable by others), never overwritten, and forced
 * to the device with its directory before {@link #write} returns.
 *
 * <p>Stateless; thread-safe.
 */
public final class KeyFile {
  /** The {@code format} member of every key file. */
  public static final String FORMAT = "posj-key";

  /** The version of the format this class writes and reads. */
  public static final int VERSION = 1;

  /** The longest key file read: a key file has about 370 bytes. */
  public static final int MAX_BYTES = 4096;

  private static final List<String> MEMBERS =
      List.of("format", "version", "seed", "pubkey", "validator", "onionSecret", "onionLength");

  /**
   * What a key file holds, and what {@link #read} noticed on the way that the user should fix.
   *
   * <p>Immutable; thread-safe. Its {@code toString()} shows no secret.
   *
   * @param key the signing key (its seed is the secret)
   * @param onion the hash onion (its secret is the other secret)
   * @param warnings what the user should fix, such as a file others can read, one sentence each
   */
  public record Contents(SigningKey key, HashOnion onion, List<String> warnings) {
    /** Checks and copies the components. */
    public Contents {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(onion, "onion");
      warnings = List.copyOf(warnings);
    }

    /** The validator's address: SHA-256 of its public key. */
    public ValidatorId address() {
      return key.publicKey().address();
    }
  }

  private KeyFile() {}

  /**
   * Creates {@code file} holding {@code key} and {@code onion}, with mode 0600 from the start (on a
   * file system with POSIX permissions), forced to the device with its directory entry.
   *
   * @throws KeyFileException if there is already a file at {@code file} (it is never overwritten:
   *     it may hold the only copy of another key) or the file cannot be written
   */
  public static void write(Path file, SigningKey key, HashOnion onion) {
    Objects.requireNonNull(file, "file");
    byte[] content = text(key, onion).getBytes(StandardCharsets.US_ASCII);
    try {
      PrivateFile.createNew(file, content);
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException(
          "key file "
              + file
              + " already exists; it is never overwritten, since it may hold the only copy of"
              + " another key. Choose another file, or move that one away first",
          e);
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot write key file " + file + ": " + PrivateFile.describe(e), e);
    }
  }

  /**
   * Reads the key file at {@code file}. A file others than its owner can read or write is read, and
   * a warning says how to fix it.
   *
   * @throws KeyFileException saying what is wrong: no such file, not a regular file, empty,
   *     truncated, not JSON, another format or version, a member unknown, missing or badly written,
   *     a public key that is not the seed's or an address that is not the public key's (an edited
   *     or damaged file), or an onion length outside 1 to {@value HashOnion#MAX_LENGTH}
   */
  public static Contents read(Path file) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      bytes = PrivateFile.read(file, MAX_BYTES);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(
          "key file " + file + " does not exist (make one with: pos keygen --out " + file + ")", e);
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot read key file " + file + ": " + PrivateFile.describe(e), e);
    } catch (IllegalArgumentException e) {
      throw refused(file, e);
    }
    Contents contents;
    try {
      contents = parse(bytes);
    } catch (IllegalArgumentException e) {
      throw refused(file, e);
    }
    List<String> warnings = new ArrayList<>();
    PrivateFile.sharedMode(file)
        .ifPresent(
            mode ->
                warnings.add(
                    "key file "
                        + file
                        + ((mode & 044) != 0 ? " is readable" : " is accessible")
                        + " by group/others (mode "
                        + String.format(Locale.ROOT, "0%03o", mode)
                        + "); chmod 600 "
                        + file));
    return new Contents(contents.key(), contents.onion(), warnings);
  }

  private static KeyFileException refused(Path file, IllegalArgumentException e) {
    return new KeyFileException("key file " + file + " cannot be used: " + e.getMessage(), e);
  }

  private static Contents parse(byte[] bytes) {
    JsonLine json = JsonLine.parse(bytes, MAX_BYTES, FORMAT, VERSION, MEMBERS);
    SigningKey key = SigningKey.fromSeed(json.hex32("seed", true));
    PublicKey publicKey = PublicKey.of(json.hex32("pubkey", false));
    if (!publicKey.equals(key.publicKey())) {
      throw new IllegalArgumentException(
          "its pubkey "
              + publicKey.hex()
              + " is not the public key of its seed ("
              + key.publicKey().hex()
              + "): the file was edited or damaged. Restore it from a backup");
    }
    ValidatorId validator = new ValidatorId(Hash.of(json.hex32("validator", false)));
    if (!validator.equals(publicKey.address())) {
      throw new IllegalArgumentException(
          "its validator "
              + validator.hex()
              + " is not the address of its pubkey ("
              + publicKey.address().hex()
              + "): the file was edited or damaged. Restore it from a backup");
    }
    Hash secret = Hash.of(json.hex32("onionSecret", true));
    int length = (int) json.decimal("onionLength", 1, HashOnion.MAX_LENGTH);
    return new Contents(key, HashOnion.of(secret, length), List.of());
  }

  /** The file's text: one line of JSON and a newline. */
  static String text(SigningKey key, HashOnion onion) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(onion, "onion");
    return "{\"format\":\""
        + FORMAT
        + "\",\"version\":"
        + VERSION
        + ",\"seed\":\""
        + HexFormat.of().formatHex(key.seed())
        + "\",\"pubkey\":\""
        + key.publicKey().hex()
        + "\",\"validator\":\""
        + key.publicKey().address().hex()
        + "\",\"onionSecret\":\""
        + onion.secret().hex()
        + "\",\"onionLength\":\""
        + onion.length()
        + "\"}\n";
  }
}
