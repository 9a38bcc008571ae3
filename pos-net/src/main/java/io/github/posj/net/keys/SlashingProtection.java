package io.github.posj.net.keys;

import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.hash.Hash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A validator's slashing-protection file: the last slot its key signed a block for, and that
 * block's hash, so that it never signs two blocks for one slot, nor a block for a slot before one
 * it signed, even across restarts (the idea of CometBFT's {@code priv_validator_state.json} and
 * EIP-3076). One line of JSON ({@code docs/network.md} section 10):
 *
 * <pre>
 * {"format":"posj-slashing-protection","version":1,"pubkey":"&lt;64 hex&gt;",
 *  "lastSignedSlot":"57","lastSignedHash":"&lt;64 hex&gt;"}
 * </pre>
 *
 * <p>{@code lastSignedSlot} is {@code "0"} and {@code lastSignedHash} is {@code ""} before the key
 * signed anything (block 0 is signed by no one, so slot 0 is never signed).
 *
 * <p><b>Contract.</b> A validator opens the file once, at start, and keeps it open while it runs;
 * before it signs a block it calls {@link #check}, and it lets the signature leave the process
 * (send it, or store it anywhere another process can see) only after {@link #record} has returned
 * for that slot and hash. {@code record} returns only once the new state is on the device, so a
 * crash at any point leaves a file that forbids every signature that was released. If {@code
 * record} throws, the signature must be dropped. The rules:
 *
 * <ul>
 *   <li>a block for slot {@code s} with hash {@code h} may be signed when {@code s >
 *       lastSignedSlot}, or when {@code s == lastSignedSlot} and {@code h == lastSignedHash} (the
 *       same block again, e.g. re-sent after a reconnect);
 *   <li>anything else is refused: another block for the last slot is double signing, and an earlier
 *       slot is refused outright, as EIP-3076 does (the file does not know which earlier slots were
 *       signed);
 *   <li>the file is never reset silently: a missing file is created, but a damaged one, or one for
 *       another key, refuses {@link #open}.
 * </ul>
 *
 * <p><b>One user at a time.</b> {@link #open} takes an exclusive OS lock on a lock file beside the
 * protection file ({@code <file>.lock}, which is never renamed, unlike the protection file itself,
 * which {@code record} replaces). A second process on the same file is refused, and so is a second
 * {@code open} in the same JVM (refused by a JVM-wide registry before the lock file is opened,
 * since closing any descriptor of a locked file releases the process's lock). The OS releases the
 * lock when the process ends, however it ends. Do not delete the lock file while a validator runs.
 *
 * <p><b>Writing.</b> {@code record} writes {@code <file>.tmp} (mode 0600), forces it, renames it
 * over the file (atomic) and forces the directory: the file on disk is always a whole old or a
 * whole new state. A stale {@code .tmp} left by a crash is ignored and removed by the next open.
 *
 * <p>Thread-safe: {@link #check}, {@link #record} and {@link #close} are synchronized, and {@code
 * record} checks again, so two threads cannot both record different blocks for one slot.
 */
public final class SlashingProtection implements AutoCloseable {
  /** The {@code format} member of every slashing-protection file. */
  public static final String FORMAT = "posj-slashing-protection";

  /** The version of the format this class writes and reads. */
  public static final int VERSION = 1;

  /** The longest protection file read: one has about 230 bytes. */
  public static final int MAX_BYTES = 4096;

  /** Appended to the protection file's name to name its lock file. */
  public static final String LOCK_SUFFIX = ".lock";

  /** Appended to the protection file's name to name the temporary file {@code record} writes. */
  public static final String TEMPORARY_SUFFIX = ".tmp";

  private static final List<String> MEMBERS =
      List.of("format", "version", "pubkey", "lastSignedSlot", "lastSignedHash");

  /** The protection files (real paths) that this JVM has open. */
  private static final Set<Path> OPEN_FILES = ConcurrentHashMap.newKeySet();

  /** Why {@link #check} refuses a signature. */
  public enum Reason {
    /** The slot is before the last slot signed. */
    EARLIER_SLOT,
    /** The slot is the last slot signed, and the block is another one: double signing. */
    OTHER_BLOCK_IN_SLOT
  }

  /**
   * A signature {@link #check} refuses, and why.
   *
   * <p>Immutable; thread-safe.
   *
   * @param reason why
   * @param slot the slot asked for
   * @param hash the block asked for
   * @param lastSignedSlot the last slot the key signed
   * @param lastSignedHash the block it signed for that slot
   */
  public record Refusal(
      Reason reason, long slot, Hash hash, long lastSignedSlot, Hash lastSignedHash) {
    /** Checks the components. */
    public Refusal {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(lastSignedHash, "lastSignedHash");
    }

    /** The refusal in words, for a log line or a message. */
    public String describe() {
      return switch (reason) {
        case EARLIER_SLOT ->
            "slot "
                + slot
                + " is before slot "
                + lastSignedSlot
                + ", the last one this key signed; signing for an earlier slot is refused";
        case OTHER_BLOCK_IN_SLOT ->
            "this key already signed block "
                + lastSignedHash.hex()
                + " for slot "
                + slot
                + "; signing block "
                + hash.hex()
                + " too would be double signing";
      };
    }
  }

  private final Path file;
  private final Path temporary;
  private final PublicKey publicKey;
  private boolean created;
  private FileChannel lockChannel;
  private FileLock lock;
  private long lastSignedSlot;
  private Hash lastSignedHash;
  private boolean closed;

  private SlashingProtection(Path file, PublicKey publicKey) {
    this.file = file;
    this.temporary = sibling(file, TEMPORARY_SUFFIX);
    this.publicKey = publicKey;
    this.lastSignedHash = Hash.EMPTY;
  }

  /**
   * Opens the protection file at {@code file} for {@code publicKey}, creating it (whole, mode 0600)
   * if it does not exist, and locks it until {@link #close}. A symbolic link is followed: the state
   * is kept, and the lock taken, at its target.
   *
   * @throws KeyFileException naming the file: in use by another validator (another process, or
   *     already open in this JVM); the file of another key; damaged (truncated, not JSON, another
   *     format or version, a bad member; it is never reset, since forgetting what was signed allows
   *     double signing); a symbolic link to nothing; a directory that does not exist; or an I/O
   *     error
   */
  public static SlashingProtection open(Path file, PublicKey publicKey) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(publicKey, "publicKey");
    Path target = resolve(file.toAbsolutePath());
    if (!OPEN_FILES.add(target)) {
      throw inUse(target, "pid " + ProcessHandle.current().pid() + ", in this process");
    }
    SlashingProtection protection = null;
    try {
      protection = new SlashingProtection(target, publicKey);
      protection.lock();
      // Looked at under the lock: a validator that ran just before may have created the file.
      boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
      protection.created = !exists;
      try {
        Files.deleteIfExists(protection.temporary);
      } catch (IOException e) {
        // A stale temporary file that cannot be removed now; record says so if it stays in the way.
      }
      if (exists) {
        protection.load();
      } else {
        protection.write(0, Hash.EMPTY);
      }
      return protection;
    } catch (IOException e) {
      closeAfterFailure(protection, target);
      throw new KeyFileException(
          "cannot open slashing protection file " + target + ": " + PrivateFile.describe(e), e);
    } catch (RuntimeException e) {
      closeAfterFailure(protection, target);
      throw e;
    }
  }

  /** The protection file (the target of a symbolic link given to {@link #open}). */
  public Path file() {
    return file;
  }

  /** The key whose signatures this file guards. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** Whether {@link #open} created the file: no signature was recorded in it before. */
  public synchronized boolean created() {
    return created;
  }

  /** The last slot the key signed; 0 before it signed anything. */
  public synchronized long lastSignedSlot() {
    return lastSignedSlot;
  }

  /** The hash of the block it signed for {@link #lastSignedSlot()}; empty before it signed. */
  public synchronized Hash lastSignedHash() {
    return lastSignedHash;
  }

  /**
   * Whether the block {@code hash} of slot {@code slot} may be signed: empty when it may, else the
   * refusal. Allowed when {@code slot > lastSignedSlot()}, or when {@code slot == lastSignedSlot()}
   * and {@code hash.equals(lastSignedHash())}.
   *
   * @throws IllegalArgumentException if {@code slot < 1} (block 0 is signed by no one) or {@code
   *     hash} is empty
   * @throws IllegalStateException if closed
   */
  public synchronized Optional<Refusal> check(long slot, Hash hash) {
    Objects.requireNonNull(hash, "hash");
    if (slot < 1) {
      throw new IllegalArgumentException(
          "a signed block's slot is at least 1 (block 0 is signed by no one), got " + slot);
    }
    if (hash.isEmpty()) {
      throw new IllegalArgumentException("a signed block's hash is 32 bytes, got none");
    }
    requireOpen();
    if (slot > lastSignedSlot || (slot == lastSignedSlot && hash.equals(lastSignedHash))) {
      return Optional.empty();
    }
    Reason reason = slot < lastSignedSlot ? Reason.EARLIER_SLOT : Reason.OTHER_BLOCK_IN_SLOT;
    return Optional.of(new Refusal(reason, slot, hash, lastSignedSlot, lastSignedHash));
  }

  /**
   * Records that the block {@code hash} of slot {@code slot} is signed, durably: when this returns,
   * the file on the device says so, and the signature may be released. Recording the last recorded
   * block again writes nothing.
   *
   * @throws IllegalStateException if {@link #check} refuses the block, or if closed
   * @throws IllegalArgumentException as {@link #check}
   * @throws KeyFileException if the new state cannot be written; the file and this object then keep
   *     the old state, and the signature must not be released
   */
  public synchronized void record(long slot, Hash hash) {
    Optional<Refusal> refusal = check(slot, hash);
    if (refusal.isPresent()) {
      throw new IllegalStateException("refused to record: " + refusal.get().describe());
    }
    if (slot == lastSignedSlot) {
      return;
    }
    try {
      write(slot, hash);
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot record slot "
              + slot
              + " in slashing protection file "
              + file
              + ": "
              + PrivateFile.describe(e)
              + "; the block must not be signed (is the disk full?)",
          e);
    }
  }

  /** Releases the lock; later calls of {@link #check} and {@link #record} throw. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      // The OS releases the lock with the descriptor, or at the latest when the process ends.
    } finally {
      OPEN_FILES.remove(file);
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("slashing protection file " + file + " is closed");
    }
  }

  /** Takes the OS lock on the lock file, or refuses naming the process that holds it. */
  private void lock() throws IOException {
    Path lockFile = sibling(file, LOCK_SUFFIX);
    lockChannel =
        PrivateFile.open(
            lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Held through another channel of this JVM, outside this class.
      lock = null;
    }
    if (lock == null) {
      throw inUse(file, holder(lockFile));
    }
    byte[] pid = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
    lockChannel.truncate(0);
    lockChannel.write(ByteBuffer.wrap(pid), 0);
  }

  /** What the holder of a lock file wrote in it ({@code pid 1234}), or empty. */
  private static String holder(Path lockFile) {
    try {
      byte[] bytes = PrivateFile.read(lockFile, 64);
      return JsonLine.quote(new String(bytes, StandardCharsets.UTF_8).strip());
    } catch (IOException | IllegalArgumentException e) {
      return "";
    }
  }

  private void load() throws IOException {
    byte[] bytes;
    try {
      bytes = PrivateFile.read(file, MAX_BYTES);
    } catch (IllegalArgumentException e) {
      throw damaged(e);
    }
    JsonLine json;
    long slot;
    Hash hash;
    PublicKey owner;
    try {
      json = JsonLine.parse(bytes, MAX_BYTES, FORMAT, VERSION, MEMBERS);
      owner = PublicKey.of(json.hex32("pubkey", false));
      slot = json.decimal("lastSignedSlot", 0, Long.MAX_VALUE);
      String hashText = json.text("lastSignedHash");
      if (slot == 0 && !hashText.isEmpty()) {
        throw new IllegalArgumentException(
            "lastSignedHash must be \"\" while lastSignedSlot is \"0\", got "
                + JsonLine.quote("\"" + hashText + "\""));
      }
      hash = slot == 0 ? Hash.EMPTY : Hash.of(json.hex32("lastSignedHash", false));
    } catch (IllegalArgumentException e) {
      throw damaged(e);
    }
    if (!owner.equals(publicKey)) {
      throw new KeyFileException(
          "slashing protection file "
              + file
              + " belongs to key "
              + owner.hex()
              + ", not to this validator's key "
              + publicKey.hex()
              + ": each key needs its own protection file");
    }
    lastSignedSlot = slot;
    lastSignedHash = hash;
  }

  private KeyFileException damaged(IllegalArgumentException e) {
    return new KeyFileException(
        "slashing protection file "
            + file
            + " is damaged: "
            + e.getMessage()
            + ". It is not reset, because a validator that forgets what it signed can sign two"
            + " blocks for one slot. Restore it from a backup; only if this key never signed a"
            + " block of this chain, move it away (mv "
            + file
            + " "
            + file
            + ".damaged) and start again",
        e);
  }

  private void write(long slot, Hash hash) throws IOException {
    String text =
        "{\"format\":\""
            + FORMAT
            + "\",\"version\":"
            + VERSION
            + ",\"pubkey\":\""
            + publicKey.hex()
            + "\",\"lastSignedSlot\":\""
            + slot
            + "\",\"lastSignedHash\":\""
            + hash.hex()
            + "\"}\n";
    PrivateFile.replace(file, temporary, text.getBytes(StandardCharsets.US_ASCII));
    lastSignedSlot = slot;
    lastSignedHash = hash;
  }

  /**
   * The path the state is kept at: {@code file}'s real path if it exists (a symbolic link is
   * followed, so that renaming over it keeps the link), else its directory's real path and its
   * name.
   */
  private static Path resolve(Path file) {
    try {
      if (Files.exists(file)) {
        if (!Files.isRegularFile(file)) {
          throw new KeyFileException(
              "slashing protection file " + file + " is not a regular file (a directory?)");
        }
        return file.toRealPath();
      }
      if (Files.isSymbolicLink(file)) {
        throw new KeyFileException(
            "slashing protection file "
                + file
                + " is a symbolic link to "
                + Files.readSymbolicLink(file)
                + ", which does not exist. A new file is not made in its place, since that would"
                + " forget what the key signed: restore the link's target (mount the disk?)");
      }
      return file.getParent().toRealPath().resolve(file.getFileName());
    } catch (NoSuchFileException e) {
      throw new KeyFileException(
          "cannot open slashing protection file "
              + file
              + ": the directory "
              + file.getParent()
              + " does not exist",
          e);
    } catch (IOException e) {
      throw new KeyFileException(
          "cannot open slashing protection file " + file + ": " + PrivateFile.describe(e), e);
    }
  }

  private static Path sibling(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  private static KeyFileException inUse(Path file, String holder) {
    return new KeyFileException(
        "another validator is using "
            + file
            + (holder.isEmpty() ? "" : " (" + holder + ")")
            + ": stop it first; two validators with one key sign two blocks for a slot and are"
            + " slashed");
  }

  private static void closeAfterFailure(SlashingProtection protection, Path target) {
    if (protection != null) {
      protection.close();
    } else {
      OPEN_FILES.remove(target);
    }
  }
}
