package io.github.posj.cli.command;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Base ports for process-level devnet tests: a node, peer and HTTP port for each node (the layout
 * of {@link DevnetManifest}), all free on the loopback now.
 *
 * <p>They are drawn below the kernel's ephemeral port range: the nodes dial each other, and an
 * outgoing connection's source port comes from that range, so a port in it can be taken between
 * this check and a node's start by another node's dial (seen on CI: a node's HTTP port was the
 * source port of a peer connection). A port taken anyway makes the test fail with the node's log.
 */
final class DevnetPorts {
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** Linux's default first ephemeral port, where the range cannot be read. */
  private static final int DEFAULT_EPHEMERAL_LOW = 32_768;

  private static final int LOWEST = 10_000;

  private DevnetPorts() {}

  /** A base port whose ports for {@code nodeCount} nodes are free and below the ephemeral range. */
  static int freeBasePort(int nodeCount) {
    int lowest = LOWEST;
    int highest = ephemeralLow() - DevnetManifest.HTTP_PORT_OFFSET - nodeCount;
    if (highest - lowest < 1_000) {
      // An unusual range leaves no room below it: any high port, and the small risk above.
      lowest = 20_000;
      highest = 50_000;
    }
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = lowest + random.nextInt(highest - lowest);
      if (allFree(base, nodeCount)) {
        return base;
      }
    }
    throw new AssertionError("no free base port found (seed " + seed + ")");
  }

  private static int ephemeralLow() {
    // Read by lines: Files.readString on this procfs file returned only "3" (JDK 17).
    try {
      String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
      return Integer.parseInt(range[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_LOW;
    }
  }

  private static boolean allFree(int base, int nodeCount) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int offset :
          new int[] {0, DevnetManifest.PEER_PORT_OFFSET, DevnetManifest.HTTP_PORT_OFFSET}) {
        for (int i = 0; i < nodeCount; i++) {
          sockets.add(new ServerSocket(base + offset + i, 1, InetAddress.getLoopbackAddress()));
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // a socket we only bound
        }
      }
    }
  }
}
