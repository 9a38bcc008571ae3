package io.github.posj.core.genesis;

import io.github.posj.core.crypto.PublicKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.stake.ValidatorId;
import java.util.Objects;

/**
 * One validator of a {@link Genesis}: its key, its stake and the top of its hash onion.
 *
 * <p>Immutable; thread-safe.
 *
 * @param publicKey the validator's Ed25519 key
 * @param stake its stake, positive
 * @param commitment the top of its hash onion ({@link io.github.posj.core.schedule.HashOnion})
 */
public record GenesisValidator(PublicKey publicKey, long stake, Hash commitment) {
  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if the stake is not positive or the commitment is not 32 bytes
   */
  public GenesisValidator {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(commitment, "commitment");
    if (stake <= 0) {
      throw new IllegalArgumentException(
          "a genesis validator's stake is at least 1, got " + stake + " for " + publicKey.hex());
    }
    if (commitment.isEmpty()) {
      throw new IllegalArgumentException(
          "a genesis validator's commitment is 64 hex characters, got \"\" for " + publicKey.hex());
    }
  }

  /** The validator's address: SHA-256 of its key. */
  public ValidatorId address() {
    return publicKey.address();
  }
}
