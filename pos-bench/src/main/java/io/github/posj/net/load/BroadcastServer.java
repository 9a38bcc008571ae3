package io.github.posj.net.load;

import io.github.posj.core.block.Block;
import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.HashScheme;
import io.github.posj.core.chain.AppendResult;
import io.github.posj.core.chain.Chain;
import io.github.posj.core.node.NodeEvent;
import io.github.posj.core.random.RandomnessSource;
import io.github.posj.core.stake.ValidatorId;
import io.github.posj.net.server.ServerConfig;
import io.github.posj.net.server.ServerListener;
import io.github.posj.net.server.ValidatorServer;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The server side of {@link BroadcastLoad}, in its own JVM so that its memory is its own: a {@link
 * ValidatorServer} on 127.0.0.1 that starts from a generated chain of a given length (held in
 * memory, so that a round costs its broadcasts and not a disk's fsync) and runs its rounds on its
 * own schedule, as {@code pos server} does.
 *
 * <p>Protocol on the standard streams: it prints {@code listening PORT}; then, for each round,
 * {@code round N EPOCH_MICROS} with the time the round was resolved, just before its result is sent
 * to every connection. Each line {@code memory} on stdin runs a full GC and prints {@code memory
 * HEAP_USED_BYTES JDK_DIRECT_BYTES NETTY_DIRECT_BYTES} (Netty's counter is -1 when Netty's buffers
 * are the JDK's, counted in the JDK pool); {@code quit} (or end of input) stops it.
 */
public final class BroadcastServer {
  private BroadcastServer() {}

  /** Runs until {@code quit}; args: chain length (blocks), max connections, round millis. */
  public static void main(String[] args) throws Exception {
    int blocks = Integer.parseInt(args[0]);
    int maxConnections = Integer.parseInt(args[1]);
    Duration round = Duration.ofMillis(Long.parseLong(args[2]));
    ServerConfig config =
        ServerConfig.builder()
            .port(0)
            .roundDuration(round)
            .broadcastInterval(round)
            .maxConnections(maxConnections)
            .randomness(() -> RandomnessSource.seeded(1))
            .initialChain(chain(blocks))
            .build();
    ServerListener printRounds =
        new ServerListener() {
          @Override
          public void onEvent(Instant time, NodeEvent event) {
            if (event instanceof NodeEvent.RoundEnded ended) {
              System.out.println("round " + ended.round() + " " + LoadServer.micros(time));
              System.out.flush();
            }
          }
        };
    try (ValidatorServer server = ValidatorServer.start(config, printRounds)) {
      LoadServer.serve(
          server,
          line -> {
            if (line.equals("memory")) {
              System.out.println(memory());
              System.out.flush();
            }
          });
    }
  }

  /** A valid chain of {@code blocks} blocks, genesis included, one proposer, a second apart. */
  static Chain chain(int blocks) {
    HashScheme scheme = HashScheme.posj();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    Chain chain = Chain.genesis(scheme, GoTimestamp.format(start));
    ValidatorId proposer = ValidatorId.derive("BroadcastServer".getBytes(StandardCharsets.UTF_8));
    for (int i = 1; i < blocks; i++) {
      Block next = chain.nextBlock(60 + i % 40, GoTimestamp.format(start.plusSeconds(i)), proposer);
      chain = ((AppendResult.Accepted) chain.append(next)).chain();
    }
    return chain;
  }

  private static String memory() {
    // Two collections: the first may leave what finalizable or reference-queued objects hold.
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long jdkDirect =
        ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct"))
            .mapToLong(BufferPoolMXBean::getMemoryUsed)
            .sum();
    return "memory " + heap + " " + jdkDirect + " " + PlatformDependent.usedDirectMemory();
  }
}
