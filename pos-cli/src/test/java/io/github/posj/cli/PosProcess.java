package io.github.posj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code pos} as a child JVM from the test classpath ({@code io.github.posj.cli.Main}), for
 * what only a real process shows: the log level, signals, exit codes. Its standard output and error
 * are collected separately. Closing it kills the process.
 */
public final class PosProcess implements AutoCloseable {
  private final Process process;
  private final StringBuffer out = new StringBuffer();
  private final StringBuffer err = new StringBuffer();

  private final List<Thread> readers;

  private PosProcess(Process process) {
    this.process = process;
    this.readers =
        List.of(
            collect(process.getInputStream(), out, "pos-stdout"),
            collect(process.getErrorStream(), err, "pos-stderr"));
  }

  /**
   * Starts {@code pos args} in {@code directory} with this test JVM's environment, minus every
   * variable {@code pos} reads ({@code POS_*}, {@code PORT}, {@code ADDR}), plus {@code variables}.
   */
  /**
   * The arguments of a {@code pos server} on any free port with 0.2 s rounds, keeping its chain in
   * {@code dataDir}: what the process tests that kill or stop a forging server run.
   */
  public static String[] fastServer(String dataDir) {
    return new String[] {"server", "--port", "0", "--round-seconds", "0.2", "--data-dir", dataDir};
  }

  public static PosProcess start(Path directory, Map<String, String> variables, String... args)
      throws IOException {
    return start(directory, List.of(), variables, args);
  }

  /**
   * Starts {@code pos args} as {@link #start(Path, Map, String...)} does, with {@code jvmOptions}
   * (such as {@code -Xmx256m}) before the main class, as {@code POS_JAVA_OPTS} is for {@code
   * ./pos}.
   */
  public static PosProcess start(
      Path directory, List<String> jvmOptions, Map<String, String> variables, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(key -> key.startsWith("POS_") || key.equals("PORT") || key.equals("ADDR"));
    builder.environment().putAll(variables);
    return new PosProcess(builder.start());
  }

  private static Thread collect(InputStream stream, StringBuffer into, String name) {
    Thread reader =
        new Thread(
            () -> {
              try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                char[] buffer = new char[4096];
                for (int n; (n = in.read(buffer)) != -1; ) {
                  into.append(buffer, 0, n);
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            name);
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /**
   * Waits, at most {@code timeout}, until standard output matches {@code regex}; the match.
   *
   * @throws AssertionError on timeout or if the process exits first, with both outputs
   */
  public Matcher awaitOut(String regex, Duration timeout) {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = pattern.matcher(out());
      if (matcher.find()) {
        return matcher;
      }
      if (!process.isAlive() && !pattern.matcher(out()).find()) {
        break;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new AssertionError(
        "no /" + regex + "/ in the output; exited: " + !process.isAlive() + "\n" + out() + err());
  }

  /**
   * Sends SIGTERM (Ctrl-C's SIGINT starts the same shutdown) and waits, at most {@code timeout};
   * the exit code. Through the process handle: {@link Process#destroy()} would also close our end
   * of its output pipes, losing what it prints while it stops.
   */
  public int terminate(Duration timeout) throws InterruptedException {
    process.toHandle().destroy();
    return waitFor(timeout);
  }

  /** Waits for the exit, at most {@code timeout}; the exit code. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "\n" + out() + err());
    }
    // The readers reach the end of both streams right after the exit.
    for (Thread reader : readers) {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    }
    return process.exitValue();
  }

  /** The process id, e.g. to read {@code /proc/<pid>/status}. */
  public long pid() {
    return process.pid();
  }

  /** Standard output so far. */
  public String out() {
    return out.toString();
  }

  /** Standard error so far. */
  public String err() {
    return err.toString();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
