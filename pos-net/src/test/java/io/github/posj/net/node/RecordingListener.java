package io.github.posj.net.node;

import io.github.posj.core.block.SignedBlock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a validator's events in order; the test waits for the next of a kind, bounded.
 *
 * <p>Thread-safe.
 */
final class RecordingListener implements ValidatorListener {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * One event.
   *
   * @param kind the listener method's name without "on", lower camel case: "proposed", "closed"
   * @param value its argument (the first, for onSkipped: the slot)
   * @param detail the skip reason and detail, or empty
   */
  record Event(String kind, Object value, String detail) {}

  private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  private final List<Event> all = new CopyOnWriteArrayList<>();

  /** The next event of {@code kind}, skipping others (they stay in {@link #all()}). */
  Event await(String kind) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Event event = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new AssertionError("no " + kind + " event within " + WAIT + "; events: " + all);
      }
      if (event.kind().equals(kind)) {
        return event;
      }
    }
  }

  /** The kinds of all events so far, in order. */
  List<String> kinds() {
    return all.stream().map(Event::kind).toList();
  }

  List<Event> all() {
    return List.copyOf(all);
  }

  private void add(String kind, Object value, String detail) {
    Event event = new Event(kind, value, detail);
    all.add(event);
    queue.add(event);
  }

  @Override
  public void onConnected(NodeMessage.Welcome welcome) {
    add("connected", welcome, "");
  }

  @Override
  public void onLoggedIn(NodeMessage.LoggedIn loggedIn) {
    add("loggedIn", loggedIn, "");
  }

  @Override
  public void onDuties(List<Long> slots) {
    add("duties", slots, "");
  }

  @Override
  public void onSwitched(long forkIndex) {
    add("switched", forkIndex, "");
  }

  @Override
  public void onProposed(SignedBlock block) {
    add("proposed", block, "");
  }

  @Override
  public void onAccepted(NodeMessage.Accepted accepted) {
    add("accepted", accepted, "");
  }

  @Override
  public void onRefused(NodeMessage.Refused refused) {
    add("refused", refused, "");
  }

  @Override
  public void onSkipped(long slot, SkipReason reason, String detail) {
    add("skipped", slot, reason + ": " + detail);
  }

  @Override
  public void onAnnounced(SignedBlock block) {
    add("announced", block, "");
  }

  @Override
  public void onError(String reason) {
    add("error", reason, "");
  }

  @Override
  public void onClosed(String reason) {
    add("closed", reason, "");
  }
}
