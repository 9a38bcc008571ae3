package io.github.posj.net.client;

import io.github.posj.core.stake.ValidatorId;
import java.util.Objects;

/**
 * One validator of a {@link ValidatorFleet}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param number its position in {@link FleetConfig#stakes()}, from 0
 * @param address its address, as the server registered it
 * @param stake its stake in tokens
 */
public record FleetMember(int number, ValidatorId address, long stake) {
  /** Checks the address. */
  public FleetMember {
    Objects.requireNonNull(address, "address");
  }
}
