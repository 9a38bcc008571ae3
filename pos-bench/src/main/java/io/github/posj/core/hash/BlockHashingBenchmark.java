package io.github.posj.core.hash;

import io.github.posj.BenchmarkDefaults;
import io.github.posj.core.block.Block;
import io.github.posj.core.block.BlockEncoding;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.stake.ValidatorId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Block hashing, the whole job and its parts: preimage, SHA-256 (JDK intrinsic vs BouncyCastle),
 * hex, and the job without its encoding (the floor under the whole job).
 *
 * <p>Run: {@code java -jar pos-bench/target/benchmarks.jar BlockHashingBenchmark -prof gc} (build
 * the jar with {@code ./mvnw -P benchmark-jar -pl pos-bench -am package -DskipTests}).
 */
@State(Scope.Thread)
public class BlockHashingBenchmark extends BenchmarkDefaults {
  private Block posjBlock;
  private Block goBlock;
  private byte[] preimage;
  private byte[] scratch;
  private byte[] digestOut;
  private MessageDigest jdk;
  private SHA256Digest bouncyCastle;
  private byte[] digest;

  /** A node-typical block: a UTC Go timestamp, small Index and BPM, real hashes. */
  @Setup
  public void setUp() throws NoSuchAlgorithmException, java.security.DigestException {
    String timestamp = GoTimestamp.format(Instant.parse("2026-11-24T05:37:41.440478369Z"));
    Hash prev = Hash.fromHex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
    ValidatorId validator = ValidatorId.derive("bench".getBytes(StandardCharsets.UTF_8));
    posjBlock = HashScheme.posj().seal(1234, timestamp, 72, prev, validator);
    goBlock = HashScheme.goTutorial().seal(1234, timestamp, 72, prev, validator);
    preimage = BlockEncoding.encode(posjBlock);
    scratch = new byte[BlockEncoding.MAX_LENGTH];
    digestOut = new byte[32];
    jdk = MessageDigest.getInstance("SHA-256");
    bouncyCastle = new SHA256Digest();
    digest = posjBlock.hash().toByteArray();
    // The floor must do the same job: the same hash, from the same bytes.
    if (!digestAndResult().equals(posjScheme())) {
      throw new IllegalStateException("digestAndResult and posjScheme disagree");
    }
  }

  /** The whole job with the default scheme: preimage, SHA-256, hex. */
  @Benchmark
  public String posjScheme() {
    return HashScheme.posj().hash(posjBlock).hex();
  }

  /** The whole job with the original's formula (rune conversion, hex PrevHash). */
  @Benchmark
  public String goTutorialScheme() {
    return HashScheme.goTutorial().hash(goBlock).hex();
  }

  /** A straightforward Java port of the tutorial: string concat, UTF-8, digest, HexFormat. */
  @Benchmark
  public String naiveStringPipeline() {
    String record =
        goBlock.index() + goBlock.timestamp() + goBlock.bpm() + goBlock.prevHash().hex();
    jdk.update(record.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(jdk.digest());
  }

  /** Building the posj preimage alone. */
  @Benchmark
  public int posjPreimage() {
    return BlockEncoding.encodeInto(
        scratch,
        posjBlock.index(),
        posjBlock.timestamp(),
        posjBlock.bpm(),
        posjBlock.prevHash(),
        posjBlock.validator());
  }

  /**
   * SHA-256 of the posj preimage with the JDK (an intrinsic using SHA extensions where present).
   */
  @Benchmark
  public byte[] jdkSha256() throws java.security.DigestException {
    jdk.update(preimage, 0, preimage.length);
    jdk.digest(digestOut, 0, 32);
    return digestOut;
  }

  /**
   * Issue #15's floor: the least an implementation of the whole job that returns this result does.
   * The preimage is ready (copied into a buffer, not encoded), then SHA-256 with the JDK into a new
   * array, the {@code Hash} and its hex {@code String}, as {@link #posjScheme} makes them. {@code
   * posjScheme} can be no faster than this; the distance between the two is what encoding the block
   * and posj's two per-thread lookups (its buffer, its digest) cost in the job.
   */
  @Benchmark
  public String digestAndResult() throws java.security.DigestException {
    System.arraycopy(preimage, 0, scratch, 0, preimage.length);
    jdk.update(scratch, 0, preimage.length);
    byte[] out = new byte[Hash.LENGTH];
    jdk.digest(out, 0, Hash.LENGTH);
    return Hash.wrap(out).hex();
  }

  /** SHA-256 of the posj preimage with BouncyCastle's pure-Java digest. */
  @Benchmark
  public byte[] bouncyCastleSha256() {
    bouncyCastle.update(preimage, 0, preimage.length);
    bouncyCastle.doFinal(digestOut, 0);
    return digestOut;
  }

  /** Hex encoding of a 32-byte digest (a fresh Hash, so nothing is cached). */
  @Benchmark
  public String hex() {
    return Hash.of(digest).hex();
  }
}
