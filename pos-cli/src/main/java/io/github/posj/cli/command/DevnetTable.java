package io.github.posj.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The status table of {@code pos devnet up}: one row per node (what its HTTP status says), then one
 * per validator. Pure functions of their arguments. Immutable; thread-safe.
 */
final class DevnetTable {
  /** The head hash is shown by its first this many hex characters. */
  static final int HEAD_HEX = 16;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

  private DevnetTable() {}

  /** Where a child process is in its life. */
  enum Phase {
    /** A validator not started yet: its node has not answered yet. */
    WAITING,
    /** A node started that has not answered its HTTP status yet. */
    STARTING,
    /** A node that answered the last poll. */
    UP,
    /** A node that answered before, but not the last poll. */
    DOWN,
    /** A validator's process is alive. */
    RUNNING,
    /** The process ended; see the exit code. */
    EXITED
  }

  /**
   * What a node's {@code GET /posj/v1/node/status} said.
   *
   * @param height the chain's height
   * @param head the head block's hash, 64 hex characters
   * @param finalizedHeight the finalized height, when the node reports one
   * @param peers connected peers, when the node reports them
   * @param slot the node's current slot
   */
  record NodeReport(
      long height, String head, OptionalLong finalizedHeight, OptionalLong peers, long slot) {
    /** Checks the hash. */
    NodeReport {
      if (!HASH.matcher(head).matches()) {
        throw new IllegalArgumentException("a head hash is 64 hex characters, got " + head);
      }
      Objects.requireNonNull(finalizedHeight, "finalizedHeight");
      Objects.requireNonNull(peers, "peers");
    }
  }

  /**
   * One validator's row.
   *
   * @param keyFile its key file's name
   * @param pid its process id, once started
   * @param phase {@link Phase#WAITING}, {@link Phase#RUNNING} or {@link Phase#EXITED}
   * @param exitCode its exit code when {@link Phase#EXITED}
   */
  record ValidatorStatus(String keyFile, OptionalLong pid, Phase phase, int exitCode) {
    /** Checks presence. */
    ValidatorStatus {
      Objects.requireNonNull(keyFile, "keyFile");
      Objects.requireNonNull(pid, "pid");
      Objects.requireNonNull(phase, "phase");
    }
  }

  /**
   * One node's row and its validators'.
   *
   * @param name the node's name in the manifest
   * @param pid its process id
   * @param port its {@code --port}
   * @param phase {@link Phase#STARTING}, {@link Phase#UP}, {@link Phase#DOWN} or {@link
   *     Phase#EXITED}
   * @param exitCode its exit code when {@link Phase#EXITED}
   * @param report what it answered when {@link Phase#UP}
   * @param validators its validators
   */
  record NodeStatus(
      String name,
      long pid,
      int port,
      Phase phase,
      int exitCode,
      Optional<NodeReport> report,
      List<ValidatorStatus> validators) {
    /** Checks presence and copies the list. */
    NodeStatus {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(phase, "phase");
      Objects.requireNonNull(report, "report");
      validators = List.copyOf(validators);
    }
  }

  /**
   * The table's lines: a header and a row per node (port, state, height, head, finalized height,
   * peers, slot), then a header and a row per validator (its node, state); columns aligned, no
   * trailing spaces. A value a node did not report is {@code -}.
   */
  static List<String> render(List<NodeStatus> nodes) {
    List<List<String>> nodeRows = new ArrayList<>();
    nodeRows.add(
        List.of("node", "pid", "port", "state", "height", "head", "finalized", "peers", "slot"));
    List<List<String>> validatorRows = new ArrayList<>();
    validatorRows.add(List.of("validator", "pid", "node", "state"));
    for (NodeStatus node : nodes) {
      List<String> row = new ArrayList<>();
      row.add(node.name());
      row.add(Long.toString(node.pid()));
      row.add(Integer.toString(node.port()));
      row.add(word(node.phase(), node.exitCode()));
      node.report()
          .filter(report -> node.phase() == Phase.UP)
          .ifPresent(
              report -> {
                row.add(Long.toString(report.height()));
                row.add(report.head().substring(0, HEAD_HEX));
                row.add(shown(report.finalizedHeight()));
                row.add(shown(report.peers()));
                row.add(Long.toString(report.slot()));
              });
      nodeRows.add(row);
      for (ValidatorStatus validator : node.validators()) {
        validatorRows.add(
            List.of(
                validator.keyFile(),
                shown(validator.pid()),
                node.name(),
                word(validator.phase(), validator.exitCode())));
      }
    }
    List<String> lines = new ArrayList<>(aligned(nodeRows));
    if (validatorRows.size() > 1) {
      lines.addAll(aligned(validatorRows));
    }
    return lines;
  }

  /** The words for a phase: {@code up}, {@code exited(1)}. */
  static String word(Phase phase, int exitCode) {
    return switch (phase) {
      case WAITING -> "waiting";
      case STARTING -> "starting";
      case UP -> "up";
      case DOWN -> "down";
      case RUNNING -> "running";
      case EXITED -> "exited(" + exitCode + ")";
    };
  }

  private static String shown(OptionalLong value) {
    return value.isPresent() ? Long.toString(value.getAsLong()) : "-";
  }

  /** Rows with each column as wide as its widest cell, two spaces apart. */
  private static List<String> aligned(List<List<String>> rows) {
    List<Integer> widths = new ArrayList<>();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        if (widths.size() <= i) {
          widths.add(0);
        }
        widths.set(i, Math.max(widths.get(i), row.get(i).length()));
      }
    }
    List<String> lines = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          line.append("  ");
        }
        line.append(row.get(i));
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths.get(i) - row.get(i).length()));
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /**
   * What a node's status answer says: {@code data.height}, {@code data.head.hash}, {@code
   * data.slot} (decimal strings; the answer is unusable without them) and, when present, {@code
   * data.finalized_height} and {@code data.peers.connected}.
   *
   * @return empty for an answer that is not such JSON
   */
  static Optional<NodeReport> parseStatus(String body) {
    JsonNode data;
    try {
      data = JSON.readTree(body).path("data");
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    OptionalLong height = decimal(data.path("height"));
    OptionalLong slot = decimal(data.path("slot"));
    // The API writes the block's members in lower case ("hash"); the chain file's form is "Hash".
    JsonNode head = data.path("head").path("hash");
    if (head.isMissingNode()) {
      head = data.path("head").path("Hash");
    }
    if (height.isEmpty()
        || slot.isEmpty()
        || !head.isTextual()
        || !HASH.matcher(head.asText()).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new NodeReport(
            height.getAsLong(),
            head.asText(),
            decimal(data.path("finalized_height")),
            decimal(data.path("peers").path("connected")),
            slot.getAsLong()));
  }

  private static OptionalLong decimal(JsonNode value) {
    if (!value.isTextual() || !DECIMAL.matcher(value.asText()).matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.asText()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
