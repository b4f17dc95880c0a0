package dev.aicost.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code aicost report}: a spend table from a JSONL cost ledger. */
final class ReportCommand {

  static final String UNATTRIBUTED = "(unattributed)";
  private static final List<String> ATTRIBUTES =
      Arrays.asList("team", "feature", "customer", "agent", "experiment", "task");
  private static final Set<String> VALUED = CommandLine.names("by");
  private static final Set<String> FLAGS = CommandLine.names("json");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Totals of one group (or of the whole ledger). */
  static final class Totals {
    long calls;
    long priced;
    long inputTokens;
    long outputTokens;
    final Map<String, BigDecimal> cost = new TreeMap<>();

    void add(Call c) {
      calls++;
      inputTokens = Math.addExact(inputTokens, c.inputTokens);
      outputTokens = Math.addExact(outputTokens, c.outputTokens);
      if (c.amount != null) {
        priced++;
        cost.merge(c.currency, c.amount, BigDecimal::add);
      }
    }

    BigDecimal sortKey() {
      BigDecimal sum = BigDecimal.ZERO;
      for (BigDecimal v : cost.values()) {
        sum = sum.add(v);
      }
      return sum;
    }
  }

  /** One parsed call line. */
  static final class Call {
    String group;
    String provider;
    String model;
    long inputTokens;
    long outputTokens;
    BigDecimal amount;
    String currency;
    String unpricedReason;
  }

  private final PrintStream out;
  private final PrintStream err;

  ReportCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) throws UsageError, IOException {
    CommandLine cl = CommandLine.parse("report", args, VALUED, FLAGS);
    if (cl.help()) {
      out.print(Help.report());
      return Main.OK;
    }
    if (cl.positionals().size() != 1) {
      throw new UsageError(
          "report", cl.positionals().isEmpty() ? "give the ledger file (or - for stdin)" : "give one ledger file");
    }
    String by = cl.option("by", "team");
    boolean customKey = by.startsWith("attr.") && by.length() > 5;
    if (!ATTRIBUTES.contains(by) && !by.equals("model") && !by.equals("provider") && !customKey) {
      throw new UsageError(
          "report",
          "--by must be one of " + String.join(", ", ATTRIBUTES) + ", model, provider, attr.KEY; was '" + by + "'");
    }
    TaskStats tasks = new TaskStats();
    String file = cl.positionals().get(0);
    Map<String, Totals> groups = new LinkedHashMap<>();
    Totals total = new Totals();
    Map<String, Long> unpriced = new TreeMap<>();
    Set<String> versions = new LinkedHashSet<>();
    long skippedOtherTypes = 0;
    long malformed = 0;
    try (BufferedReader in =
        file.equals("-")
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8)) {
      String line;
      long number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.trim().isEmpty()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          malformed++;
          err.println("aicost: " + file + " line " + number + ": not JSON (" + e.getOriginalMessage() + "), skipped");
          continue;
        }
        if (!node.isObject()) {
          malformed++;
          err.println("aicost: " + file + " line " + number + ": not a JSON object, skipped");
          continue;
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
          malformed++;
          err.println("aicost: " + file + " line " + number + ": no \"type\", skipped");
          continue;
        }
        if (type.textValue().equals("task")) {
          try {
            tasks.add(node);
          } catch (IllegalArgumentException e) {
            malformed++;
            err.println("aicost: " + file + " line " + number + ": " + e.getMessage() + ", skipped");
          }
          continue;
        }
        if (!type.textValue().equals("call")) {
          skippedOtherTypes++;
          continue;
        }
        Call c;
        try {
          c = call(node, by);
        } catch (IllegalArgumentException e) {
          malformed++;
          err.println("aicost: " + file + " line " + number + ": " + e.getMessage() + ", skipped");
          continue;
        }
        String v = text(node, "catalog_version");
        if (v != null) {
          versions.add(v);
        }
        groups.computeIfAbsent(c.group, k -> new Totals()).add(c);
        total.add(c);
        if (c.amount == null) {
          unpriced.merge(c.provider + '\t' + c.model + '\t' + c.unpricedReason, 1L, Long::sum);
        }
      }
    }
    List<Map.Entry<String, Totals>> sorted = new ArrayList<>(groups.entrySet());
    sorted.sort(
        Comparator.<Map.Entry<String, Totals>, BigDecimal>comparing(e -> e.getValue().sortKey())
            .reversed()
            .thenComparing(Map.Entry::getKey));
    if (cl.flag("json")) {
      ObjectNode o = json(file, by, sorted, total, unpriced, versions, skippedOtherTypes, malformed);
      o.set("tasks", tasks.json());
      out.println(o.toString());
      return Main.OK;
    }
    text(file, by, sorted, total, unpriced, versions, skippedOtherTypes, malformed, tasks);
    return Main.OK;
  }

  /** Reads one {@code call} line; throws {@link IllegalArgumentException} naming what is wrong. */
  static Call call(JsonNode node, String by) {
    Call c = new Call();
    c.provider = orUnknown(text(node, "provider"));
    String response = text(node, "response_model");
    c.model = orUnknown(response != null ? response : text(node, "request_model"));
    if (by.equals("model")) {
      c.group = c.model;
    } else if (by.equals("provider")) {
      c.group = c.provider;
    } else if (by.startsWith("attr.")) {
      JsonNode attribution = node.get("attribution");
      String value = null;
      if (attribution != null && attribution.isObject()) {
        JsonNode custom = attribution.get("attributes");
        if (custom != null && custom.isObject()) {
          value = text(custom, by.substring(5));
        }
      }
      c.group = value == null || value.trim().isEmpty() ? UNATTRIBUTED : value;
    } else {
      JsonNode attribution = node.get("attribution");
      String value = null;
      if (attribution != null && !attribution.isNull()) {
        if (!attribution.isObject()) {
          throw new IllegalArgumentException("\"attribution\" is not an object");
        }
        value = text(attribution, by);
      }
      c.group = value == null || value.trim().isEmpty() ? UNATTRIBUTED : value;
    }
    JsonNode usage = node.get("usage");
    if (usage != null && !usage.isNull()) {
      if (!usage.isObject()) {
        throw new IllegalArgumentException("\"usage\" is not an object");
      }
      c.inputTokens = tokens(usage, "input_tokens");
      c.outputTokens = tokens(usage, "output_tokens");
    }
    JsonNode priced = node.get("priced");
    if (priced == null || !priced.isBoolean()) {
      throw new IllegalArgumentException("\"priced\" is missing or not true/false");
    }
    JsonNode cost = node.get("cost");
    if (priced.booleanValue()) {
      if (cost == null || !cost.isObject()) {
        throw new IllegalArgumentException("priced call without a \"cost\" object");
      }
      c.amount = decimal(cost.get("amount"), "cost.amount");
      String currency = text(cost, "currency");
      if (currency == null) {
        throw new IllegalArgumentException("\"cost.currency\" is missing");
      }
      c.currency = currency;
    } else {
      String reason = text(node, "unpriced_reason");
      c.unpricedReason = reason == null ? "(no reason given)" : reason;
    }
    return c;
  }

  private static BigDecimal decimal(JsonNode v, String field) {
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("\"" + field + "\" is missing");
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      try {
        return new BigDecimal(v.textValue());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException("\"" + field + "\" is not a decimal number: " + v);
  }

  private static long tokens(JsonNode usage, String field) {
    JsonNode v = usage.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < 0) {
      throw new IllegalArgumentException("\"usage." + field + "\" is not a token count: " + v);
    }
    return v.longValue();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString();
  }

  private static String orUnknown(String s) {
    return s == null || s.trim().isEmpty() ? "(unknown)" : s;
  }

  private void text(String file, String by, List<Map.Entry<String, Totals>> sorted, Totals total,
      Map<String, Long> unpriced, Set<String> versions, long skipped, long malformed, TaskStats tasks) {
    Set<String> currencies = total.cost.keySet();
    boolean oneCurrency = currencies.size() <= 1;
    String costHeader = oneCurrency ? "cost " + (currencies.isEmpty() ? "(USD)" : "(" + currencies.iterator().next() + ")") + ">" : "cost>";
    out.println("spend by " + by + " from " + file + ": " + total.calls + (total.calls == 1 ? " call, " : " calls, ")
        + total.priced + " priced" + (versions.isEmpty() ? "" : "; catalog " + String.join(", ", versions)));
    out.println();
    TextTable t = new TextTable(by, "calls>", "priced>", "input tokens>", "output tokens>", costHeader);
    for (Map.Entry<String, Totals> e : sorted) {
      Totals g = e.getValue();
      t.row(e.getKey(), Long.toString(g.calls), Long.toString(g.priced), Formats.tokens(g.inputTokens),
          Formats.tokens(g.outputTokens), cost(g, oneCurrency));
    }
    t.row("total", Long.toString(total.calls), Long.toString(total.priced), Formats.tokens(total.inputTokens),
        Formats.tokens(total.outputTokens), cost(total, oneCurrency));
    t.print(out, "");
    if (!unpriced.isEmpty()) {
      long n = total.calls - total.priced;
      out.println();
      out.println(n + " unpriced " + (n == 1 ? "call" : "calls") + ", not included in cost:");
      TextTable u = new TextTable("calls>", "provider", "model", "reason");
      for (Map.Entry<String, Long> e : unpriced.entrySet()) {
        String[] k = e.getKey().split("\t", 3);
        u.row(Long.toString(e.getValue()), k[0], k[1], k[2]);
      }
      u.print(out, "  ");
    }
    tasks.print(out);
    if (skipped > 0 || malformed > 0) {
      out.println();
      if (skipped > 0) {
        out.println(skipped + " line(s) of other types skipped");
      }
      if (malformed > 0) {
        out.println(malformed + " malformed line(s) skipped (see stderr)");
      }
    }
  }

  /**
   * Unit economics from {@code task} lines: per task type (and currency), how many tasks, their total, mean, median
   * and 95th percentile cost, exactly. Percentiles are nearest-rank over the exact amounts; the mean is rounded to 12
   * decimal places (pico-units). Tasks with unpriced calls have no known cost: they are counted apart, not averaged.
   */
  static final class TaskStats {
    /** Exact costs of complete tasks, by task type and currency. */
    final Map<String, List<BigDecimal>> costs = new TreeMap<>();
    final Map<String, Long> incomplete = new TreeMap<>();
    final Map<String, Long> calls = new TreeMap<>();

    void add(JsonNode node) {
      String name = text(node, "task");
      if (name == null || name.trim().isEmpty()) {
        throw new IllegalArgumentException("task line without \"task\"");
      }
      JsonNode n = node.get("calls");
      long callCount = n != null && n.canConvertToLong() ? n.longValue() : 0;
      JsonNode complete = node.get("cost_complete");
      JsonNode cost = node.get("cost");
      boolean isComplete = complete == null || !complete.isBoolean() || complete.booleanValue();
      if (cost == null || !cost.isObject()) {
        // several currencies ("costs") or no cost: counted, not averaged
        String key = name + '\t' + "-";
        incomplete.merge(key, 1L, Long::sum);
        calls.merge(key, callCount, Long::sum);
        costs.computeIfAbsent(key, k -> new ArrayList<>());
        return;
      }
      BigDecimal amount = decimal(cost.get("amount"), "cost.amount");
      String currency = text(cost, "currency");
      if (currency == null) {
        throw new IllegalArgumentException("\"cost.currency\" is missing");
      }
      String key = name + '\t' + currency;
      calls.merge(key, callCount, Long::sum);
      List<BigDecimal> list = costs.computeIfAbsent(key, k -> new ArrayList<>());
      if (isComplete) {
        list.add(amount);
      } else {
        incomplete.merge(key, 1L, Long::sum);
      }
    }

    boolean isEmpty() {
      return costs.isEmpty();
    }

    static BigDecimal sum(List<BigDecimal> values) {
      BigDecimal s = BigDecimal.ZERO;
      for (BigDecimal v : values) {
        s = s.add(v);
      }
      return s;
    }

    /** Nearest rank: the smallest value with at least {@code p} percent of the values at or below it. */
    static BigDecimal percentile(List<BigDecimal> sorted, int p) {
      int rank = (int) Math.ceil(p / 100.0 * sorted.size());
      return sorted.get(Math.max(0, rank - 1));
    }

    static BigDecimal mean(List<BigDecimal> values) {
      return sum(values).divide(BigDecimal.valueOf(values.size()), 12, java.math.RoundingMode.HALF_EVEN);
    }

    void print(PrintStream out) {
      if (isEmpty()) {
        return;
      }
      out.println();
      out.println("cost per task:");
      TextTable t = new TextTable("task", "tasks>", "calls>", "total>", "mean>", "p50>", "p95>", "currency", "unpriced>");
      for (Map.Entry<String, List<BigDecimal>> e : costs.entrySet()) {
        String[] k = e.getKey().split("\t", 2);
        List<BigDecimal> sorted = new ArrayList<>(e.getValue());
        sorted.sort(null);
        long unknown = incomplete.getOrDefault(e.getKey(), 0L);
        boolean any = !sorted.isEmpty();
        t.row(k[0], Long.toString(sorted.size() + unknown), Long.toString(calls.getOrDefault(e.getKey(), 0L)),
            any ? Formats.money(sum(sorted)) : "-", any ? Formats.money(mean(sorted)) : "-",
            any ? Formats.money(percentile(sorted, 50)) : "-", any ? Formats.money(percentile(sorted, 95)) : "-",
            k[1], Long.toString(unknown));
      }
      t.print(out, "  ");
      if (!incomplete.isEmpty()) {
        out.println("  tasks with unpriced calls (or several currencies) are counted, not included in the statistics");
      }
    }

    ArrayNode json() {
      ArrayNode a = JSON.createArrayNode();
      for (Map.Entry<String, List<BigDecimal>> e : costs.entrySet()) {
        String[] k = e.getKey().split("\t", 2);
        List<BigDecimal> sorted = new ArrayList<>(e.getValue());
        sorted.sort(null);
        ObjectNode o = a.addObject();
        o.put("task", k[0]);
        if (!k[1].equals("-")) {
          o.put("currency", k[1]);
        }
        long unknown = incomplete.getOrDefault(e.getKey(), 0L);
        o.put("tasks", sorted.size() + unknown);
        o.put("calls", calls.getOrDefault(e.getKey(), 0L));
        o.put("incomplete_tasks", unknown);
        if (!sorted.isEmpty()) {
          o.put("total", Formats.money(sum(sorted)));
          o.put("mean", Formats.money(mean(sorted)));
          o.put("p50", Formats.money(percentile(sorted, 50)));
          o.put("p95", Formats.money(percentile(sorted, 95)));
        }
      }
      return a;
    }
  }

  /** The priced cost of a group; {@code -} when none of its calls is priced (never a misleading 0). */
  private static String cost(Totals g, boolean oneCurrency) {
    if (g.cost.isEmpty()) {
      return "-";
    }
    if (oneCurrency) {
      return Formats.money(g.cost.values().iterator().next());
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, BigDecimal> e : g.cost.entrySet()) {
      parts.add(Formats.money(e.getValue()) + ' ' + e.getKey());
    }
    return String.join(" + ", parts);
  }

  private static ObjectNode json(String file, String by, List<Map.Entry<String, Totals>> sorted, Totals total,
      Map<String, Long> unpriced, Set<String> versions, long skipped, long malformed) {
    ObjectNode o = JSON.createObjectNode();
    o.put("ledger", file);
    o.put("by", by);
    ArrayNode vs = o.putArray("catalog_versions");
    versions.forEach(vs::add);
    ArrayNode groups = o.putArray("groups");
    for (Map.Entry<String, Totals> e : sorted) {
      ObjectNode g = groups.addObject();
      g.put("group", e.getKey());
      g.setAll(totals(e.getValue()));
    }
    o.set("total", totals(total));
    ArrayNode u = o.putArray("unpriced");
    for (Map.Entry<String, Long> e : unpriced.entrySet()) {
      String[] k = e.getKey().split("\t", 3);
      ObjectNode n = u.addObject();
      n.put("provider", k[0]);
      n.put("model", k[1]);
      n.put("reason", k[2]);
      n.put("calls", e.getValue());
    }
    o.put("skipped_lines", skipped);
    o.put("malformed_lines", malformed);
    return o;
  }

  private static ObjectNode totals(Totals t) {
    ObjectNode g = JSON.createObjectNode();
    g.put("calls", t.calls);
    g.put("priced_calls", t.priced);
    g.put("input_tokens", t.inputTokens);
    g.put("output_tokens", t.outputTokens);
    ObjectNode cost = g.putObject("cost");
    for (Map.Entry<String, BigDecimal> e : t.cost.entrySet()) {
      cost.put(e.getKey(), Formats.money(e.getValue()));
    }
    return g;
  }
}
