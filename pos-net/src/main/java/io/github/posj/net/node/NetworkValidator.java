package io.github.posj.net.node;

import io.github.posj.core.block.GoTimestamp;
import io.github.posj.core.block.SignedBlock;
import io.github.posj.core.crypto.Login;
import io.github.posj.core.crypto.SigningKey;
import io.github.posj.core.hash.Hash;
import io.github.posj.core.hash.Preimage;
import io.github.posj.core.schedule.HashOnion;
import io.github.posj.core.text.UntrustedText;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * A validator in network mode ({@code docs/network.md} section 12): connects to a node, checks that
 * it serves the expected chain, logs in with its key, and in each of its duty slots signs a block
 * on the node's head and proposes it, after its {@link SigningGuard} has recorded it. What happens
 * goes to a {@link ValidatorListener}, one call per event; there is no reconnect: when the
 * connection ends, {@link ValidatorListener#onClosed} says why and the validator is done.
 *
 * <p>Threads: a daemon reader thread reads the node's lines (at most {@value #MAX_LINE_BYTES} bytes
 * each) and decodes them; a single daemon event thread owns all state: it handles each message,
 * each alarm of the {@link Scheduler}, signs, sends and calls the listener. At most {@value
 * #MAX_QUEUED_LINES} lines wait for the event thread; a node that sends more is cut off.
 *
 * <p>Thread-safe: {@link #close()} and {@link #awaitClosed} may be called from any thread.
 */
public final class NetworkValidator implements AutoCloseable {
  /*
   * Implementation notes. Time comes from the injected clock only; the scheduler wakes the event
   * thread at the start (plus the configured delay) of the next duty slot, and every wake reads the
   * clock again, so an early or late alarm does no harm: a duty whose slot is over by the clock is
   * reported as skipped, never signed. The head is the last block the node announced (the node
   * announces only blocks it made its head), so the validator needs neither the chain nor
   * get-blocks. The node sends "slot s" after every announcement of slot s - 1, so at the start of
   * its slot s the validator proposes at once if it has seen "slot s" or a head at s - 1, and
   * otherwise waits for one of them, at most headWait. The onion position moves when the node
   * accepts or announces one of this key's blocks, whichever comes first.
   */

  /** The longest line read from a node, in bytes ({@code docs/network.md} section 11). */
  public static final int MAX_LINE_BYTES = NodeMessage.MAX_LINE_BYTES;

  /** The most lines read from the node that the event thread has not handled yet. */
  public static final int MAX_QUEUED_LINES = 1024;

  /** The most future duty slots kept (the node sends at most two epochs' worth). */
  public static final int MAX_DUTIES = 65_536;

  private static final long NONE = -1;
  private static final long READER_STACK_BYTES = 256 * 1024;

  private enum Phase {
    AWAITING_WELCOME,
    AWAITING_LOGIN,
    ACTIVE,
    CLOSED
  }

  private record Pending(long slot, Hash hash, Hash reveal) {}

  private final ValidatorConfig config;
  private final SigningKey key;
  private final HashOnion onion;
  private final SigningGuard guard;
  private final LongSupplier bpm;
  private final ValidatorListener listener;
  private final InstantSource clock;
  private final Socket socket;
  private final OutputStream out;
  private final ExecutorService events;
  private final Scheduler scheduler;
  private final AtomicInteger queued = new AtomicInteger();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean closing;

  // Confined to the event thread.
  private Phase phase = Phase.AWAITING_WELCOME;
  private NodeMessage.Welcome welcome;
  private long headIndex;
  private Hash headHash;
  private long headSlot;
  private long nodeSlot = NONE;
  private final TreeSet<Long> duties = new TreeSet<>();
  private long lastAttempted = NONE;
  private long waitingSlot = NONE;
  private Instant nextWake;
  private int onionLayer;
  private Hash lastReveal;
  private Hash nextReveal;
  private Pending pending;

  private NetworkValidator(
      ValidatorConfig config,
      SigningKey key,
      HashOnion onion,
      SigningGuard guard,
      LongSupplier bpm,
      ValidatorListener listener,
      InstantSource clock,
      Scheduler scheduler,
      Socket socket)
      throws IOException {
    this.config = config;
    this.key = key;
    this.onion = onion;
    this.guard = guard;
    this.bpm = bpm;
    this.listener = listener;
    this.clock = clock;
    this.scheduler = scheduler;
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.events =
        Executors.newSingleThreadExecutor(
            task -> daemon(task, "posj-validator-" + socket.getLocalPort()));
  }

  /**
   * Connects to the node of {@code config} and starts. Returns once the TCP connection is made; the
   * welcome, the login and every later step follow as events, the first within {@link
   * ValidatorConfig#handshakeTimeout()} or the connection closes.
   *
   * @param key the validator's key: it logs in and signs with it
   * @param onion the validator's hash onion, whose commitment the genesis holds for {@code key}
   * @param guard asked and recorded before every block signature
   * @param bpm the BPM of each block (see {@link #randomBpm})
   * @param listener receives every event, on the event thread
   * @param clock the time of slots and timestamps: {@link java.time.Clock#systemUTC()}, or a test's
   * @param scheduler wakes the validator at instants of {@code clock}: {@link
   *     Scheduler#system(InstantSource)}, or a test's
   * @throws java.net.UnknownHostException if the host cannot be resolved
   * @throws IOException if the node cannot be reached within {@link
   *     ValidatorConfig#connectTimeout()}
   */
  public static NetworkValidator connect(
      ValidatorConfig config,
      SigningKey key,
      HashOnion onion,
      SigningGuard guard,
      LongSupplier bpm,
      ValidatorListener listener,
      InstantSource clock,
      Scheduler scheduler)
      throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(onion, "onion");
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(bpm, "bpm");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    Socket socket = new Socket();
    NetworkValidator validator;
    try {
      socket.setTcpNoDelay(true);
      // Socket takes an int of milliseconds: a longer wait is as good as for ever.
      long connectMillis = Math.max(1, config.connectTimeout().toMillis());
      socket.connect(
          new InetSocketAddress(config.host(), config.port()),
          (int) Math.min(Integer.MAX_VALUE, connectMillis));
      validator =
          new NetworkValidator(config, key, onion, guard, bpm, listener, clock, scheduler, socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    validator.start();
    return validator;
  }

  /** BPMs drawn uniformly from 60 to 100, as the tutorial's heartbeat. */
  public static LongSupplier randomBpm(RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    return () -> 60 + random.nextLong(41);
  }

  /**
   * Closes the connection; idempotent. The listener's {@link ValidatorListener#onClosed} follows
   * (with "closed by the validator" unless the connection had ended already).
   */
  @Override
  public void close() {
    closing = true;
    submit(() -> closeNow("closed by the validator"));
    closeSocket();
  }

  /**
   * Waits until the connection is over and {@link ValidatorListener#onClosed} has returned.
   *
   * @return whether it is over; false if {@code timeout} passed first
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void start() {
    Thread reader =
        new Thread(
            null,
            this::readLoop,
            "posj-validator-reader-" + socket.getLocalPort(),
            READER_STACK_BYTES);
    reader.setDaemon(true);
    reader.start();
    Duration timeout = config.handshakeTimeout();
    scheduler.schedule(
        clock.instant().plus(timeout), () -> submit(() -> handshakeDeadline(timeout)));
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  // ---- the reader thread

  private void readLoop() {
    String reason;
    try {
      reason = readLines(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      reason = "the connection failed: " + e.getMessage();
    }
    String why = reason;
    submit(() -> closeNow(closing ? "closed by the validator" : why));
  }

  /** Reads and hands over lines until the stream ends or must end; returns why. */
  private String readLines(InputStream in) throws IOException {
    byte[] line = new byte[MAX_LINE_BYTES];
    int length = 0;
    while (true) {
      int b = in.read();
      if (b == -1) {
        return length == 0
            ? "the node closed the connection"
            : "the node closed the connection in the middle of a line ("
                + length
                + " bytes without a line end)";
      }
      if (b != '\n') {
        if (length == MAX_LINE_BYTES) {
          return "the node sent a line longer than " + MAX_LINE_BYTES + " bytes";
        }
        line[length++] = (byte) b;
        continue;
      }
      String text = new String(line, 0, length, StandardCharsets.UTF_8);
      length = 0;
      Runnable handling;
      try {
        NodeMessage message = NodeWire.decodeFromNode(text);
        handling = () -> onMessage(message);
      } catch (IllegalArgumentException e) {
        handling = () -> onUnreadable(e.getMessage());
      }
      if (queued.incrementAndGet() > MAX_QUEUED_LINES) {
        return "the node sent more than "
            + MAX_QUEUED_LINES
            + " lines that this validator has not handled yet";
      }
      Runnable task = handling;
      submit(
          () -> {
            queued.decrementAndGet();
            task.run();
          });
    }
  }

  private void submit(Runnable task) {
    try {
      events.execute(() -> run(task));
    } catch (RejectedExecutionException e) {
      // Closed: nothing is handled any more.
    }
  }

  // ---- the event thread

  private void run(Runnable task) {
    if (phase == Phase.CLOSED) {
      return;
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      closeNow("the validator stopped on an unexpected error: " + e);
    }
  }

  private void onUnreadable(String reason) {
    if (phase == Phase.AWAITING_WELCOME) {
      closeNow(
          "not a " + NodeMessage.PROTOCOL + " node: its first line is not a welcome: " + reason);
      return;
    }
    listener.onError("the node sent a line this validator cannot read: " + reason);
  }

  private void onMessage(NodeMessage message) {
    if (message instanceof NodeMessage.Welcome w && phase == Phase.AWAITING_WELCOME) {
      onWelcome(w);
    } else if (phase == Phase.AWAITING_WELCOME) {
      closeNow(
          "not a "
              + NodeMessage.PROTOCOL
              + " node: it sent a "
              + name(message)
              + " message before its welcome");
    } else if (message instanceof NodeMessage.LoggedIn l && phase == Phase.AWAITING_LOGIN) {
      onLoggedIn(l);
    } else if (message instanceof NodeMessage.Duties d && phase == Phase.ACTIVE) {
      addDuties(d.slots());
      listener.onDuties(d.slots());
      wake();
    } else if (message instanceof NodeMessage.Switched w && phase == Phase.ACTIVE) {
      // A block of this key may have been rolled back: its reveal is to be used again.
      pending = null;
      moveOnion(w.lastReveal());
      listener.onSwitched(w.forkIndex());
    } else if (message instanceof NodeMessage.SlotStarted s) {
      onSlot(s.slot());
    } else if (message instanceof NodeMessage.Announced a) {
      onAnnounced(a.block());
    } else if (message instanceof NodeMessage.Accepted a) {
      if (pending != null && pending.hash().equals(a.hash())) {
        moveOnion(pending.reveal());
        pending = null;
      }
      listener.onAccepted(a);
    } else if (message instanceof NodeMessage.Refused r) {
      if (pending != null && pending.slot() == r.slot()) {
        pending = null;
      }
      listener.onRefused(
          new NodeMessage.Refused(
              r.slot(),
              UntrustedText.escape(r.code()),
              r.rule().map(UntrustedText::escape),
              UntrustedText.escape(r.reason())));
    } else if (message instanceof NodeMessage.Error e) {
      listener.onError("the node answered: " + UntrustedText.escape(e.reason()));
    } else if (message instanceof NodeMessage.Closing c) {
      closeNow("the node closed the connection: " + UntrustedText.escape(c.reason()));
    } else {
      listener.onError("the node sent an unexpected " + name(message) + " message; ignored");
    }
  }

  private void onWelcome(NodeMessage.Welcome w) {
    Optional<Hash> expected = config.genesisHash();
    if (expected.isPresent() && !expected.get().equals(w.genesisHash())) {
      closeNow(
          "the node serves the chain \""
              + UntrustedText.escape(w.chainId())
              + "\" with genesis hash "
              + w.genesisHash().hex()
              + ", not the expected "
              + expected.get().hex()
              + ": not logging in, signing nothing");
      return;
    }
    if (w.slotSeconds() < 1 || w.epochSlots() < 1 || w.height() < 0 || w.headSlot() < 0) {
      closeNow(
          "the node's welcome describes no chain: slotSeconds "
              + w.slotSeconds()
              + ", epochSlots "
              + w.epochSlots()
              + ", height "
              + w.height()
              + ", headSlot "
              + w.headSlot());
      return;
    }
    if (config.proposeDelay().compareTo(Duration.ofSeconds(w.slotSeconds())) >= 0) {
      closeNow(
          "the propose delay of "
              + config.proposeDelay().toMillis()
              + " ms is not shorter than the chain's slot of "
              + w.slotSeconds()
              + " s");
      return;
    }
    welcome =
        new NodeMessage.Welcome(
            UntrustedText.escape(w.chainId()),
            w.genesisHash(),
            w.genesisTime(),
            w.slotSeconds(),
            w.epochSlots(),
            w.height(),
            w.head(),
            w.headSlot(),
            w.slot(),
            w.nonce());
    headIndex = w.height();
    headHash = w.head();
    headSlot = w.headSlot();
    nodeSlot = w.slot();
    lastAttempted = w.headSlot();
    phase = Phase.AWAITING_LOGIN;
    listener.onConnected(welcome);
    send(new NodeMessage.Auth(key.publicKey(), Login.sign(key, w.genesisHash(), w.nonce())));
  }

  private void onLoggedIn(NodeMessage.LoggedIn l) {
    if (!l.validator().equals(key.publicKey().address())) {
      closeNow(
          "the node logged in "
              + l.validator().hex()
              + ", not this key's address "
              + key.publicKey().address().hex());
      return;
    }
    OptionalInt layer = onion.indexOf(l.lastReveal());
    if (layer.isEmpty()) {
      closeNow(
          "this key's last reveal on the chain, "
              + l.lastReveal().hex()
              + ", is not in the onion given: is it this key's onion?");
      return;
    }
    if (layer.getAsInt() == 0) {
      closeNow("this key's onion is used up: it can make no more blocks");
      return;
    }
    setOnion(layer.getAsInt());
    phase = Phase.ACTIVE;
    addDuties(l.duties());
    listener.onLoggedIn(l);
    wake();
  }

  private void handshakeDeadline(Duration timeout) {
    if (phase == Phase.AWAITING_WELCOME || phase == Phase.AWAITING_LOGIN) {
      closeNow(
          "the node "
              + (phase == Phase.AWAITING_WELCOME ? "sent no welcome" : "did not answer the login")
              + " within "
              + timeout.toMillis()
              + " ms");
    }
  }

  private void onSlot(long slot) {
    nodeSlot = Math.max(nodeSlot, slot);
    if (waitingSlot != NONE && nodeSlot >= waitingSlot) {
      propose(waitingSlot);
    }
  }

  private void onAnnounced(SignedBlock block) {
    // The node announces only the blocks it makes its head, in order (after a switch, the new
    // chain's): each is the head, even one with a lower Index than the last.
    headIndex = block.index();
    headHash = block.hash();
    headSlot = block.slot();
    if (phase == Phase.ACTIVE && block.publicKey().equals(key.publicKey())) {
      moveOnion(block.reveal());
    }
    listener.onAnnounced(block);
    if (waitingSlot != NONE && headSlot >= waitingSlot - 1) {
      propose(waitingSlot);
    }
  }

  private void addDuties(List<Long> slots) {
    for (long slot : slots) {
      if (slot > lastAttempted) {
        duties.add(slot);
      }
    }
    while (duties.size() > MAX_DUTIES) {
      duties.pollLast();
    }
  }

  /**
   * Acts on the duties that are due by the clock: reports those whose slot is over, starts the one
   * whose slot has begun, and sets the alarm for the next.
   */
  private void wake() {
    if (phase != Phase.ACTIVE) {
      return;
    }
    Instant now = clock.instant();
    long current = slotAt(now);
    if (waitingSlot != NONE && waitingSlot < current) {
      propose(waitingSlot); // reports that its window passed
    }
    while (!duties.isEmpty()) {
      long next = duties.first();
      if (next < current) {
        duties.pollFirst();
        skipped(next, SkipReason.WINDOW_PASSED, "the validator's clock was in slot " + current);
        continue;
      }
      Instant due = slotStart(next).plus(config.proposeDelay());
      if (now.isBefore(due)) {
        alarm(due);
        return;
      }
      // due <= now and the delay is shorter than a slot: next is the current slot.
      duties.pollFirst();
      startDuty(next);
      if (phase != Phase.ACTIVE) {
        return;
      }
    }
  }

  private void alarm(Instant due) {
    if (nextWake != null && !due.isBefore(nextWake)) {
      return;
    }
    nextWake = due;
    scheduler.schedule(
        due,
        () ->
            submit(
                () -> {
                  if (due.equals(nextWake)) {
                    nextWake = null;
                  }
                  wake();
                }));
  }

  private void startDuty(long slot) {
    if (nodeSlot >= slot || headSlot >= slot - 1 || config.headWait().isZero()) {
      propose(slot);
      return;
    }
    // The node has not announced this slot yet: a block of the slot before may be on its way.
    waitingSlot = slot;
    scheduler.schedule(
        clock.instant().plus(config.headWait()),
        () ->
            submit(
                () -> {
                  if (waitingSlot == slot) {
                    propose(slot);
                  }
                }));
  }

  /** Builds, guards, records, signs and sends the block of {@code slot}, if it still may. */
  private void propose(long slot) {
    waitingSlot = NONE;
    lastAttempted = Math.max(lastAttempted, slot);
    Instant now = clock.instant();
    long current = slotAt(now);
    if (current != slot) {
      skipped(slot, SkipReason.WINDOW_PASSED, "the validator's clock was in slot " + current);
      return;
    }
    if (headSlot >= slot) {
      skipped(
          slot, SkipReason.SLOT_TAKEN, "the head, block " + headIndex + ", is at slot " + headSlot);
      return;
    }
    if (nextReveal == null) {
      closeNow("this key's onion is used up: it can make no more blocks");
      return;
    }
    long index = headIndex + 1;
    long value = bpm.getAsLong();
    String timestamp = GoTimestamp.format(now);
    Hash genesisHash = welcome.genesisHash();
    Hash hash =
        Preimage.sha256Of(
            SignedBlock.preimage(
                genesisHash, index, slot, headHash, key.publicKey(), nextReveal, value, timestamp));
    try {
      guard.check(slot, hash);
    } catch (SigningRefusedException e) {
      skipped(slot, SkipReason.GUARD_REFUSED, e.getMessage());
      return;
    } catch (IOException e) {
      closeNow("the slashing protection cannot tell what was signed: " + e.getMessage());
      return;
    }
    try {
      guard.record(slot, hash);
    } catch (IOException e) {
      closeNow(
          "the slashing protection could not record block "
              + hash.hex()
              + " for slot "
              + slot
              + ", so it was not signed: "
              + e.getMessage());
      return;
    }
    SignedBlock block =
        SignedBlock.sign(key, genesisHash, index, slot, headHash, nextReveal, value, timestamp);
    pending = new Pending(slot, block.hash(), nextReveal);
    if (send(new NodeMessage.Propose(block))) {
      listener.onProposed(block);
    }
  }

  private void skipped(long slot, SkipReason reason, String detail) {
    listener.onSkipped(slot, reason, detail);
  }

  /** Moves the onion position to {@code reveal}, one of this key's blocks on the chain. */
  private void moveOnion(Hash reveal) {
    if (reveal.equals(lastReveal)) {
      return;
    }
    if (reveal.equals(nextReveal)) {
      setOnion(onionLayer - 1);
      return;
    }
    OptionalInt layer = onion.indexOf(reveal);
    if (layer.isEmpty()) {
      listener.onError(
          "the chain holds a block of this key whose reveal "
              + reveal.hex()
              + " is not in the onion");
      return;
    }
    setOnion(layer.getAsInt());
  }

  private void setOnion(int layer) {
    onionLayer = layer;
    if (layer == 0) {
      lastReveal = onion.secret();
      nextReveal = null;
    } else {
      nextReveal = onion.valueAt(layer - 1);
      lastReveal = HashOnion.next(nextReveal);
    }
  }

  private boolean send(NodeMessage message) {
    byte[] line = (NodeWire.encode(message) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      out.write(line);
      out.flush();
      return true;
    } catch (IOException e) {
      closeNow("could not send to the node: " + e.getMessage());
      return false;
    }
  }

  private void closeNow(String reason) {
    if (phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.CLOSED;
    closing = true;
    closeSocket();
    try {
      listener.onClosed(reason);
    } finally {
      events.shutdown();
      closed.countDown();
    }
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do: the socket is unusable either way.
    }
  }

  private Instant slotStart(long slot) {
    return welcome.genesisTime().plusSeconds(Math.multiplyExact(slot, welcome.slotSeconds()));
  }

  private long slotAt(Instant time) {
    if (time.isBefore(welcome.genesisTime())) {
      return NONE;
    }
    return (time.getEpochSecond() - welcome.genesisTime().getEpochSecond()) / welcome.slotSeconds();
  }

  private static String name(NodeMessage message) {
    return message.getClass().getSimpleName();
  }
}
