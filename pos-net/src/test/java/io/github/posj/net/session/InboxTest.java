package io.github.posj.net.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Handing work to the owner thread in batches, on EmbeddedChannels (whose event loop runs its tasks
 * when asked) and an owner whose tasks are run by hand.
 */
final class InboxTest {
  private final List<Runnable> ownerTasks = new ArrayList<>();
  private final List<String> ran = new ArrayList<>();

  private static ChannelHandlerContext contextOf(EmbeddedChannel channel) {
    return channel.pipeline().firstContext();
  }

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  }

  private Runnable note(String what) {
    return () -> ran.add(what);
  }

  private void runOwner() {
    List<Runnable> tasks = List.copyOf(ownerTasks);
    ownerTasks.clear();
    tasks.forEach(Runnable::run);
  }

  @Test
  void batching_tasksOfOnePass_reachTheOwnerAsOneTaskAfterThePass() {
    Inbox inbox = Inbox.batching(ownerTasks::add);
    EmbeddedChannel a = channel();
    EmbeddedChannel b = channel();

    inbox.post(contextOf(a), note("a1"));
    inbox.post(contextOf(a), note("a2"));
    inbox.post(contextOf(a), note("a3"));
    int handedDuringThePass = ownerTasks.size();
    a.runPendingTasks();

    assertThat(handedDuringThePass).isZero();
    assertThat(ownerTasks).hasSize(1);
    runOwner();
    assertThat(ran).containsExactly("a1", "a2", "a3");

    inbox.post(contextOf(b), note("b1"));
    b.runPendingTasks();
    runOwner();
    assertThat(ran).containsExactly("a1", "a2", "a3", "b1");
  }

  @Test
  void batching_aTaskThatThrows_doesNotStopTheRestOfItsBatch() {
    Inbox inbox = Inbox.batching(ownerTasks::add);
    EmbeddedChannel a = channel();
    inbox.post(contextOf(a), note("before"));
    inbox.post(
        contextOf(a),
        () -> {
          throw new IllegalStateException("a session's bug");
        });
    inbox.post(contextOf(a), note("after"));

    a.runPendingTasks();
    runOwner();

    assertThat(ran).containsExactly("before", "after");
  }

  @Test
  void batching_atTheBatchLimit_handsOverWithoutWaitingForThePass() {
    Inbox inbox = Inbox.batching(ownerTasks::add);
    EmbeddedChannel a = channel();

    for (int i = 0; i < Inbox.MAX_BATCH; i++) {
      inbox.post(contextOf(a), note("t" + i));
    }

    assertThat(ownerTasks).hasSize(1);
    runOwner();
    assertThat(ran).hasSize(Inbox.MAX_BATCH).startsWith("t0", "t1").endsWith("t1023");
    a.runPendingTasks(); // the scheduled hand-over finds nothing left
    assertThat(ownerTasks).isEmpty();
  }

  @Test
  void batching_ownerRefuses_closesTheConnectionsThatPosted() {
    Executor refusing =
        task -> {
          throw new RejectedExecutionException("shutting down");
        };
    Inbox inbox = Inbox.batching(refusing);
    EmbeddedChannel a = channel();
    inbox.post(contextOf(a), note("never"));

    a.runPendingTasks();

    assertThat(a.isOpen()).isFalse();
    assertThat(ran).isEmpty();
  }

  @Test
  void direct_postsEachTaskAtOnce() {
    Inbox inbox = Inbox.direct(ownerTasks::add);
    EmbeddedChannel a = channel();

    inbox.post(contextOf(a), note("one"));
    inbox.post(contextOf(a), note("two"));

    assertThat(ownerTasks).hasSize(2);
    runOwner();
    assertThat(ran).containsExactly("one", "two");
  }
}
