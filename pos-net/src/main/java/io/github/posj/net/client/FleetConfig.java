package io.github.posj.net.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ValidatorFleet} connects to and how its members behave.
 *
 * <p>Immutable; thread-safe.
 *
 * @param host the server's host
 * @param port the server's port
 * @param timeout the wait for each connection, welcome and stake answer
 * @param stakes one stake per member, each at least 1; 1 to {@link #MAX_MEMBERS} members
 * @param bpm the BPM every member proposes
 * @param schedule when they propose
 * @param rounds the fleet is done after this many round results; 0 for never
 */
public record FleetConfig(
    String host,
    int port,
    Duration timeout,
    List<Long> stakes,
    long bpm,
    Schedule schedule,
    long rounds) {
  /** The most members one fleet runs (each has a socket and a reader thread). */
  public static final int MAX_MEMBERS = 2000;

  /** Checks the components and copies the stakes. */
  public FleetConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(schedule, "schedule");
    stakes = List.copyOf(stakes);
    if (stakes.isEmpty() || stakes.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "a fleet has 1 to " + MAX_MEMBERS + " members, got " + stakes.size());
    }
    for (long stake : stakes) {
      if (stake < 1) {
        throw new IllegalArgumentException("a stake is at least 1 token, got " + stake);
      }
    }
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must be >= 0, got " + rounds);
    }
  }
}
