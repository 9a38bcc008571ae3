package io.github.posj.core.crypto;

import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Preimage;
import java.util.Objects;

/**
 * The challenge-response login of network mode ({@code docs/network.md} section 9): a node sends a
 * fresh 32-byte nonce, the validator signs {@code "posj/auth/v1" 0x00 || genesisHash || nonce ||
 * pubkey} (109 bytes). The domain tag keeps a login signature from ever being a block signature
 * (whose preimage starts {@code "posj/block/v2" 0x00}) and the reverse; the genesis hash keeps it
 * to one chain; the nonce, which a node uses once, keeps it from being replayed.
 *
 * <p>Stateless; thread-safe.
 */
public final class Login {
  /** The domain tag. */
  public static final String DOMAIN = "posj/auth/v1";

  /** The length of a nonce in bytes. */
  public static final int NONCE_LENGTH = 32;

  private Login() {}

  /**
   * The 109 bytes a validator signs to log in.
   *
   * @throws IllegalArgumentException if the genesis hash or the nonce is not 32 bytes
   */
  public static byte[] preimage(Hash genesisHash, Hash nonce, PublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    return Preimage.tagged(DOMAIN)
        .hash(genesisHash)
        .hash(nonce)
        .bytes(publicKey.toByteArray())
        .toByteArray();
  }

  /** {@code key}'s answer to {@code nonce} on the chain of {@code genesisHash}. */
  public static Signature sign(SigningKey key, Hash genesisHash, Hash nonce) {
    return key.sign(preimage(genesisHash, nonce, key.publicKey()));
  }

  /** Whether {@code signature} is {@code publicKey}'s answer to {@code nonce}. */
  public static boolean verify(
      PublicKey publicKey, Hash genesisHash, Hash nonce, Signature signature) {
    return Ed25519.verify(publicKey, preimage(genesisHash, nonce, publicKey), signature);
  }
}
