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

  /** CI runs on Linux x86-64, where the native library ships in the build: epoll must load. */
  @Test
  void epollLoadsOnLinuxX86() {
    if (System.getProperty("os.name").startsWith("Linux")
        && System.getProperty("os.arch").equals("amd64")) {
      assertThat(Epoll.isAvailable()).as(String.valueOf(Epoll.unavailabilityCause())).isTrue();
    }
  }
}
