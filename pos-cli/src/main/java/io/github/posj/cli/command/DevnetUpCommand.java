package io.github.posj.cli.command;

import io.github.posj.cli.CliEnvironment;
import io.github.posj.cli.CommandFailure;
import io.github.posj.cli.PosCommand;
import io.github.posj.cli.convert.DurationConverter;
import io.github.posj.cli.report.Quantity;
import io.github.posj.net.codec.ReasonText;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pos devnet up}: starts the nodes and validators that {@code DIR/devnet.json} lists as
 * child processes, shows their status until Ctrl-C, then stops them, validators first.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the devnet in DIR (DIR/devnet.json, written by pos devnet init): each node, then each"
          + " validator once its node answers, as child processes of this one, each printing to"
          + " LOGDIR/<name>.log; then prints a status table every --refresh until Ctrl-C.",
      "A child that exits is reported with the end of its log, not restarted. Ctrl-C or SIGTERM"
          + " stops the validators, then the nodes (SIGTERM, SIGKILL after "
          + DevnetUpCommand.STOP_SECONDS
          + " s), and prints each exit code.",
      "Exit codes: 0 stopped by Ctrl-C, 1 a child could not be started or every node exited, 2"
          + " usage error or a DIR without a valid devnet."
    })
public final class DevnetUpCommand implements Callable<Integer> {
  /** How long a group of children (validators, then nodes) is given to stop after SIGTERM. */
  static final int STOP_SECONDS = 10;

  /** How long a node has to answer its status, and to accept the connection for it. */
  static final Duration HTTP_TIMEOUT = Duration.ofSeconds(1);

  /** Lines of a child's log shown when it exits. */
  static final int LOG_LINES = 5;

  /** The status endpoint of a node's HTTP API (docs/api.md). */
  static final String STATUS_PATH = "/posj/v1/node/status";

  /** How often nodes are polled while validators wait for their node to answer. */
  private static final Duration STARTING_POLL = Duration.ofMillis(250);

  private static final long TICK_MILLIS = 50;

  /** The end of a log read to find its last lines. */
  private static final int LOG_TAIL_BYTES = 16 * 1024;

  private static final String MAIN_CLASS = "io.github.posj.cli.Main";

  private final CliEnvironment environment;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      required = true,
      description = "The devnet's directory, as given to pos devnet init --dir.")
  Path dir;

  @Option(
      names = "--refresh",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "How often the status table is printed (default ${DEFAULT-VALUE}).")
  Duration refresh;

  @Option(
      names = "--log-dir",
      paramLabel = "LOGDIR",
      description = "Where each child's output goes, LOGDIR/<name>.log (default: DIR/logs).")
  Path logDir;

  private final List<NodeChild> nodes = new ArrayList<>();
  private final DateTimeFormatter time =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  DevnetUpCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    Path directory = environment.workingDirectory().resolve(dir);
    DevnetManifest manifest = readManifest(directory);
    NodeCommand.readGenesis(directory.resolve(DevnetInitCommand.GENESIS_FILE));
    Path logs = logDir != null ? logDir : dir.resolve("logs");
    plan(manifest, directory, logs);
    try {
      Files.createDirectories(environment.workingDirectory().resolve(logs));
    } catch (IOException e) {
      throw new CommandFailure("cannot make the log directory " + logs + ": " + e.getMessage());
    }

    CountDownLatch stopped = new CountDownLatch(1);
    // Ctrl-C: the command stops the children in order; should it not finish, or the JVM exit
    // another way, no child is left running.
    Thread hook =
        new Thread(
            () -> {
              try {
                stopped.await(2L * STOP_SECONDS + 5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              for (Child child : children()) {
                child.kill();
              }
            },
            "pos-devnet-children");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      for (NodeChild node : nodes) {
        start(node);
      }
      watch();
      environment.out().println("stopping (Ctrl-C): the validators, then the nodes");
    } finally {
      stopAll();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook runs, and returns at once.
      }
      environment.out().flush();
    }
    return PosCommand.OK;
  }

  /** The manifest in {@code directory}, or a usage failure naming the file and the member. */
  private DevnetManifest readManifest(Path directory) {
    Path shown = dir.resolve(DevnetManifest.FILE);
    String text;
    try {
      text = Files.readString(directory.resolve(DevnetManifest.FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CommandFailure(
          shown
              + " does not exist: "
              + dir
              + " holds no devnet that pos devnet up can start. Make one with pos devnet init"
              + " --nodes N --validators M --dir DIR",
          PosCommand.USAGE);
    } catch (IOException e) {
      throw new CommandFailure("cannot read " + shown + ": " + e.getMessage(), PosCommand.USAGE);
    }
    try {
      return DevnetManifest.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(shown + ": " + e.getMessage(), PosCommand.USAGE);
    }
  }

  /** The children to start, checked: every key file exists, no two logs share a name. */
  private void plan(DevnetManifest manifest, Path directory, Path logs) {
    Map<String, String> logNames = new HashMap<>();
    for (int i = 0; i < manifest.nodes().size(); i++) {
      DevnetManifest.Node node = manifest.nodes().get(i);
      String at = dir.resolve(DevnetManifest.FILE) + ": nodes[" + i + "]";
      logName(logNames, node.name(), at + ".name");
      NodeChild child =
          new NodeChild(
              node, javaCommand(node.nodeArguments(dir)), logs.resolve(node.name() + ".log"));
      for (int j = 0; j < node.validators().size(); j++) {
        String keyFile = node.validators().get(j);
        String where = at + ".validators[" + j + "]";
        if (!Files.isRegularFile(directory.resolve(keyFile))) {
          throw new CommandFailure(
              where + ": the key file " + dir.resolve(keyFile) + " does not exist",
              PosCommand.USAGE);
        }
        String name =
            keyFile.endsWith(".key") ? keyFile.substring(0, keyFile.length() - 4) : keyFile;
        logName(logNames, name, where);
        List<String> arguments = new ArrayList<>(node.validatorArguments(dir, keyFile));
        arguments.addAll(
            List.of("--genesis", dir.resolve(DevnetInitCommand.GENESIS_FILE).toString()));
        child.validators.add(new Child(name, javaCommand(arguments), logs.resolve(name + ".log")));
      }
      nodes.add(child);
    }
  }

  private static void logName(Map<String, String> used, String name, String where) {
    String other = used.putIfAbsent(name, where);
    if (other != null) {
      throw new CommandFailure(
          where + ": its log " + name + ".log would be the log of " + other + " too; rename one",
          PosCommand.USAGE);
    }
  }

  /** {@code java -cp <this classpath> io.github.posj.cli.Main arguments}, this JVM's java. */
  static List<String> javaCommand(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN_CLASS);
    command.addAll(arguments);
    return command;
  }

  private List<Child> children() {
    List<Child> all = new ArrayList<>();
    for (NodeChild node : nodes) {
      all.add(node);
      all.addAll(node.validators);
    }
    return all;
  }

  private List<String> start(Child child) {
    Path log = environment.workingDirectory().resolve(child.log);
    try {
      Files.writeString(
          log,
          "--- pos devnet up, "
              + time.format(Instant.now())
              + ": "
              + DevnetInitCommand.shellWords(child.command)
              + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      child.logStart = Files.size(log);
      Process process =
          new ProcessBuilder(child.command)
              .directory(environment.workingDirectory().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      process.getOutputStream().close();
      child.process = process;
    } catch (IOException e) {
      throw new CommandFailure("cannot start " + child.name + ": " + e.getMessage());
    }
    List<String> lines =
        List.of(
            "started " + child.name + " (pid " + child.process.pid() + "), log " + child.log + ":",
            "  " + DevnetInitCommand.shellWords(child.command));
    if (child instanceof NodeChild) {
      lines.forEach(environment.out()::println);
    }
    return lines;
  }

  /** Polls, starts validators, reports exits and draws the table until a stop is requested. */
  private void watch() throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(HTTP_TIMEOUT)
            .build();
    Screen screen = new Screen(environment.out(), environment.terminal());
    screen.show(List.of(), table());
    long nextTable = System.nanoTime() + refresh.toNanos();
    while (!environment.stop().requested()) {
      poll(http);
      List<String> events = new ArrayList<>();
      for (NodeChild node : nodes) {
        if (node.answered && node.process.isAlive()) {
          for (Child validator : node.validators) {
            if (validator.process == null && !environment.stop().requested()) {
              events.addAll(start(validator));
            }
          }
        }
      }
      // Before the exits are reported: a node that dies in between is reported, then seen.
      boolean anyNode = nodes.stream().anyMatch(node -> node.process.isAlive());
      for (Child child : children()) {
        if (child.process != null && !child.process.isAlive() && !child.exitReported) {
          child.exitReported = true;
          events.addAll(exited(child));
        }
      }
      long now = System.nanoTime();
      boolean due = now - nextTable >= 0;
      if (due || !events.isEmpty() || !anyNode) {
        screen.show(events, due || !anyNode || screen.terminal ? table() : List.of());
        if (due) {
          nextTable = now + refresh.toNanos();
        }
      }
      if (!anyNode) {
        throw new CommandFailure(
            "every node has exited, nothing is left to watch; see their logs in "
                + (logDir != null ? logDir : dir.resolve("logs")));
      }
      boolean waiting =
          nodes.stream()
              .anyMatch(
                  node ->
                      node.process.isAlive()
                          && node.validators.stream().anyMatch(v -> v.process == null));
      long until = waiting ? Math.min(nextTable, now + STARTING_POLL.toNanos()) : nextTable;
      waitUntil(until);
    }
  }

  /** Sleeps until {@code until} ({@link System#nanoTime}), a stop, or a child's exit. */
  private void waitUntil(long until) throws InterruptedException {
    while (System.nanoTime() - until < 0 && !environment.stop().requested()) {
      for (Child child : children()) {
        if (child.process != null && !child.process.isAlive() && !child.exitReported) {
          return;
        }
      }
      Thread.sleep(TICK_MILLIS);
    }
  }

  /** Asks every live node its status, all at once, each for at most {@link #HTTP_TIMEOUT}. */
  private void poll(HttpClient http) throws InterruptedException {
    Map<NodeChild, CompletableFuture<Optional<DevnetTable.NodeReport>>> answers = new HashMap<>();
    for (NodeChild node : nodes) {
      if (!node.process.isAlive()) {
        node.report = Optional.empty();
        continue;
      }
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://" + DevnetManifest.HOST + ":" + node.node.httpPort() + STATUS_PATH))
              .timeout(HTTP_TIMEOUT)
              .GET()
              .build();
      answers.put(
          node,
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .thenApply(
                  response ->
                      response.statusCode() == 200
                          ? DevnetTable.parseStatus(response.body())
                          : Optional.<DevnetTable.NodeReport>empty()));
    }
    for (Map.Entry<NodeChild, CompletableFuture<Optional<DevnetTable.NodeReport>>> answer :
        answers.entrySet()) {
      NodeChild node = answer.getKey();
      try {
        node.report = answer.getValue().get(HTTP_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        answer.getValue().cancel(true);
        node.report = Optional.empty();
      }
      node.answered |= node.report.isPresent();
    }
  }

  /** The lines that report {@code child}'s exit, with the end of its log. */
  private List<String> exited(Child child) {
    List<String> lines = new ArrayList<>();
    lines.add(
        time.format(Instant.now())
            + " "
            + child.name
            + " (pid "
            + child.process.pid()
            + ") exited with code "
            + child.process.exitValue()
            + "; the end of "
            + child.log
            + ":");
    for (String line :
        lastLines(environment.workingDirectory().resolve(child.log), child.logStart, LOG_LINES)) {
      lines.add("  | " + line);
    }
    return lines;
  }

  /**
   * The last {@code count} non-blank lines of {@code file} from byte {@code start} on (what the
   * child wrote), escaped for a terminal; none when it cannot be read.
   */
  static List<String> lastLines(Path file, long start, int count) {
    String text;
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      long from = Math.max(start, size - LOG_TAIL_BYTES);
      if (from > size) {
        return List.of();
      }
      ByteBuffer tail = ByteBuffer.allocate((int) (size - from));
      channel.position(from);
      while (tail.hasRemaining() && channel.read(tail) >= 0) {
        // read to the end
      }
      text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
    List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
    if (lines.size() > count) {
      lines = lines.subList(lines.size() - count, lines.size());
    }
    return lines.stream().map(ReasonText::printable).toList();
  }

  /** The table, its first line the time and how many nodes answered. */
  private List<String> table() {
    List<DevnetTable.NodeStatus> statuses = new ArrayList<>();
    long up = 0;
    for (NodeChild node : nodes) {
      DevnetTable.Phase phase;
      if (!node.process.isAlive()) {
        phase = DevnetTable.Phase.EXITED;
      } else if (node.report.isPresent()) {
        phase = DevnetTable.Phase.UP;
        up++;
      } else {
        phase = node.answered ? DevnetTable.Phase.DOWN : DevnetTable.Phase.STARTING;
      }
      List<DevnetTable.ValidatorStatus> validators = new ArrayList<>();
      for (Child validator : node.validators) {
        Process process = validator.process;
        validators.add(
            process == null
                ? new DevnetTable.ValidatorStatus(
                    validator.name, OptionalLong.empty(), DevnetTable.Phase.WAITING, 0)
                : new DevnetTable.ValidatorStatus(
                    validator.name,
                    OptionalLong.of(process.pid()),
                    process.isAlive() ? DevnetTable.Phase.RUNNING : DevnetTable.Phase.EXITED,
                    process.isAlive() ? 0 : process.exitValue()));
      }
      statuses.add(
          new DevnetTable.NodeStatus(
              node.name,
              node.process.pid(),
              node.node.port(),
              phase,
              phase == DevnetTable.Phase.EXITED ? node.process.exitValue() : 0,
              node.report,
              validators));
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        "devnet "
            + dir
            + " at "
            + time.format(Instant.now())
            + ": "
            + up
            + " of "
            + Quantity.of(nodes.size(), "node")
            + " up (Ctrl-C stops them all)");
    lines.addAll(DevnetTable.render(statuses));
    return lines;
  }

  /** Stops the validators, then the nodes, and prints a line per child with its exit code. */
  private void stopAll() {
    List<Child> validators = new ArrayList<>();
    List<Child> started = new ArrayList<>();
    for (NodeChild node : nodes) {
      node.validators.stream().filter(v -> v.process != null).forEach(validators::add);
      if (node.process != null) {
        started.add(node);
      }
    }
    stop(validators);
    stop(started);
  }

  /** SIGTERM to each live child of {@code group}, then SIGKILL to those left after the wait. */
  private void stop(List<Child> group) {
    PrintStream out = environment.out();
    List<Child> running = new ArrayList<>();
    for (Child child : group) {
      if (child.process.isAlive()) {
        child.process.destroy();
        running.add(child);
      } else {
        out.println(
            child.name
                + " (pid "
                + child.process.pid()
                + ") had exited: exit code "
                + child.process.exitValue());
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
    for (Child child : running) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (child.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          out.println(
              "stopped "
                  + child.name
                  + " (pid "
                  + child.process.pid()
                  + "): exit code "
                  + child.process.exitValue());
          continue;
        }
        child.process.destroyForcibly();
        boolean gone = child.process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        out.println(
            "killed "
                + child.name
                + " (pid "
                + child.process.pid()
                + "): it had not stopped "
                + STOP_SECONDS
                + " s after SIGTERM"
                + (gone ? "; exit code " + child.process.exitValue() : "; it is still running"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        child.kill();
        out.println("killed " + child.name + " (pid " + child.process.pid() + ")");
      }
    }
  }

  /** Prints events, and the table: redrawn in place on a terminal, else a block each time. */
  private static final class Screen {
    private final PrintStream out;
    private final boolean terminal;
    private int drawn;

    Screen(PrintStream out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
    }

    void show(List<String> events, List<String> table) {
      if (terminal && drawn > 0) {
        // Up to the table's first line, then erase from there down.
        out.print("\033[" + drawn + "F\033[J");
      }
      events.forEach(out::println);
      if (!terminal && !table.isEmpty()) {
        out.println();
      }
      table.forEach(out::println);
      drawn = terminal ? table.size() : 0;
      out.flush();
    }
  }

  /** A child process: a node or a validator. Confined to the command's thread but for kill(). */
  private static class Child {
    final String name;
    final List<String> command;
    final Path log;
    volatile Process process;
    boolean exitReported;
    long logStart;

    Child(String name, List<String> command, Path log) {
      this.name = name;
      this.command = List.copyOf(command);
      this.log = log;
    }

    /** SIGKILL, if started and alive; from any thread. */
    void kill() {
      Process started = process;
      if (started != null && started.isAlive()) {
        started.destroyForcibly();
      }
    }
  }

  /** A node, its validators and what it last answered. */
  private static final class NodeChild extends Child {
    final DevnetManifest.Node node;
    final List<Child> validators = new ArrayList<>();
    Optional<DevnetTable.NodeReport> report = Optional.empty();
    boolean answered;

    NodeChild(DevnetManifest.Node node, List<String> command, Path log) {
      super(node.name(), command, log);
      this.node = node;
    }
  }
}
