package io.github.posj.net.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class TransportTest {
  @Test
  void choose_noProperty_epollWhereItLoads() {
    assertThat(Transport.choose(Optional.empty()))
        .isEqualTo(Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO);
  }

  @Test
  void choose_nio_isNioWhateverThePlatform() {
    assertThat(Transport.choose(Optional.of(" NIO "))).isEqualTo(Transport.NIO);
    assertThat(Transport.NIO.serverChannel()).isEqualTo(NioServerSocketChannel.class);
    assertThat(Transport.NIO.label()).isEqualTo("nio");
  }

  @Test
  void choose_epoll_isEpollOrAClearFailure() {
    if (Epoll.isAvailable()) {
      assertThat(Transport.choose(Optional.of("epoll"))).isEqualTo(Transport.EPOLL);
      assertThat(Transport.EPOLL.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
    } else {
      assertThatThrownBy(() -> Transport.choose(Optional.of("epoll")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("epoll is not available here");
    }
  }

  @Test
  void choose_anythingElse_namesTheChoices() {
    assertThatThrownBy(() -> Transport.choose(Optional.of("kqueue")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("posj.transport is epoll or nio, got \"kqueue\"");
  }

  @Test
  void ioThreads_noProperty_onePerCore() {
    assertThat(Transport.ioThreads(Optional.empty(), 2)).isEqualTo(2);
    assertThat(Transport.ioThreads(Optional.empty(), 16)).isEqualTo(16);
    assertThat(Transport.ioThreads(Optional.empty(), 0)).isEqualTo(1);
  }

  @Test
  void ioThreads_property_decides() {
    assertThat(Transport.ioThreads(Optional.of("4"), 2)).isEqualTo(4);
    assertThat(Transport.ioThreads(Optional.of(" 1 "), 8)).isEqualTo(1);
  }

  @Test
  void ioThreads_badProperty_saysWhatItTakes() {
    for (String bad : new String[] {"0", "-1", "two", "", "1025"}) {
      assertThatThrownBy(() -> Transport.ioThreads(Optional.of(bad), 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "io.netty.eventLoopThreads is a whole number from 1 to 1024, got \"" + bad + "\"");
    }
  }

  /** CI runs on Linux x86-64, where the native library ships in the build: epoll must load. */
  @Test
  void epollLoadsOnLinuxX86() {
    if (System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").equals("amd64")) {
      assertThat(Epoll.isAvailable()).as(String.valueOf(Epoll.unavailabilityCause())).isTrue();
    }
  }
}
