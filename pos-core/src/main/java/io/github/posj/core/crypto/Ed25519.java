package io.github.posj.core.crypto;

import java.util.Objects;

/**
 * Ed25519 (RFC 8032, pure: no context, no pre-hash) through BouncyCastle's lightweight API, the one
 * verifier every posj component uses.
 *
 * <p>Verifiers disagree on edge cases (small-order keys and nonces, mixed-order points,
 * non-canonical encodings): the JDK's provider and BouncyCastle give different answers on four of
 * the twelve {@code ed25519-speccheck} vectors, and BouncyCastle itself changed between versions. A
 * chain must be valid or invalid everywhere, so posj pins one library version and checks its
 * answers on those vectors in a test: BouncyCastle 1.87 uses the cofactored equation, rejects
 * {@code S >= L}, non-canonical points and small-order public keys.
 *
 * <p>Stateless; thread-safe.
 */
public final class Ed25519 {
  private Ed25519() {}

  /**
   * Whether {@code signature} is {@code publicKey}'s signature of {@code length} bytes of {@code
   * message} from {@code offset}.
   *
   * <p>An instance of {@link PublicKey} that checks more than one signature keeps its decoded
   * point, and checks the next ones against it (about a fifth less work each): keep the instance (a
   * genesis validator's key) to profit. The answer is the same either way. BouncyCastle 1.87's byte
   * path checks the key's encoding ({@code checkPointFullVar}), decodes it ({@code
   * decodePointVar}), then runs the same equation as its point path, which takes the point decoded
   * by {@code validatePublicKeyFullExport} (those two checks, plus the point's order) and hashes
   * the point's canonical encoding, which for such a key is its encoding; a key without such a
   * point is always checked from its bytes. {@code Ed25519Test} checks both paths agree on every
   * RFC 8032 and speccheck vector and on random mutations.
   */
  public static boolean verify(
      PublicKey publicKey, byte[] message, int offset, int length, Signature signature) {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(signature, "signature");
    Objects.checkFromIndexSize(offset, length, message.length);
    org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point = publicKey.pointForRepeatedChecks();
    if (point != null) {
      return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
          signature.bytes(), 0, point, message, offset, length);
    }
    return verifyFromBytes(publicKey, message, offset, length, signature);
  }

  /** The byte path alone: BouncyCastle decodes the key for this one check (tests compare it). */
  static boolean verifyFromBytes(
      PublicKey publicKey, byte[] message, int offset, int length, Signature signature) {
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
        signature.bytes(), 0, publicKey.bytes(), 0, message, offset, length);
  }

  /** Whether {@code signature} is {@code publicKey}'s signature of {@code message}. */
  public static boolean verify(PublicKey publicKey, byte[] message, Signature signature) {
    Objects.requireNonNull(message, "message");
    return verify(publicKey, message, 0, message.length, signature);
  }

  static boolean isValidPublicKey(byte[] encoding) {
    return org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(encoding, 0);
  }

  static PublicKey publicKeyOf(byte[] seed) {
    byte[] encoding = new byte[PublicKey.LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, encoding, 0);
    return PublicKey.of(encoding);
  }

  static Signature sign(byte[] seed, PublicKey publicKey, byte[] message, int offset, int length) {
    byte[] out = new byte[Signature.LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
        seed, 0, publicKey.bytes(), 0, message, offset, length, out, 0);
    return Signature.of(out);
  }
}
