package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one forked application run produced: its output, its exit code and its cost ledger. */
public final class AgentRun {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int exitCode;
  private final String stdout;
  private final String stderr;
  private final Path ledger;

  AgentRun(int exitCode, String stdout, String stderr, Path ledger) {
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
    this.ledger = ledger;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stdout() {
    return stdout;
  }

  public String stderr() {
    return stderr;
  }

  /** Asserts the application finished normally. */
  public AgentRun succeeded() {
    assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", stdout, stderr).isZero();
    return this;
  }

  /** The application's {@code RESULT key=value} lines, last one winning per key. */
  public Map<String, String> results() {
    Map<String, String> r = new LinkedHashMap<>();
    for (String line : stdout.split("\\R")) {
      if (line.startsWith("RESULT ")) {
        for (String pair : line.substring(7).split(" (?=[a-z_]+=)")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            r.put(pair.substring(0, eq), pair.substring(eq + 1));
          }
        }
      }
    }
    return r;
  }

  public List<String> resultLines() {
    List<String> lines = new ArrayList<>();
    for (String line : stdout.split("\\R")) {
      if (line.startsWith("RESULT ")) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Every ledger line, parsed. */
  public List<JsonNode> ledger() {
    if (!Files.exists(ledger)) {
      return List.of();
    }
    try {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : Files.readAllLines(ledger)) {
        if (!line.isBlank()) {
          nodes.add(JSON.readTree(line));
        }
      }
      return nodes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ledger's {@code call} lines. */
  public List<JsonNode> calls() {
    return ofType("call");
  }

  /** The ledger's {@code task} lines. */
  public List<JsonNode> tasks() {
    return ofType("task");
  }

  private List<JsonNode> ofType(String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : ledger()) {
      if (type.equals(n.path("type").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  public String ledgerText() {
    try {
      return Files.exists(ledger) ? Files.readString(ledger) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonNode singleLedgerLine() {
    List<JsonNode> lines = ledger();
    assertThat(lines).as("ledger lines; stderr:%n%s", stderr).hasSize(1);
    return lines.get(0);
  }
}
