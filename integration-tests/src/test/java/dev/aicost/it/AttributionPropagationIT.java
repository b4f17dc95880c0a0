package dev.aicost.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aicost.testing.MetricPoint;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Attribution across every path real code takes, in forked JVMs with the agent: executors of every kind, fork/join
 * and parallel streams, {@code CompletableFuture}, virtual threads, Reactor schedulers; pool reuse; nested and
 * argument-bound scopes; tasks; 64 teams at once.
 */
class AttributionPropagationIT extends AgentIntegrationTest {

  static final String APP = "dev.aicost.it.app.AttributionScenarios";
  static final Path JDK_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  private AgentRun run(String scenario) {
    return harness.run(APP, Map.of(), scenario, harness.openai().baseUrl()).succeeded();
  }

  /** Every call of each path landed on the path's own team; nothing is unattributed. */
  private static void assertEveryPathAttributed(AgentRun run) {
    Map<String, String> expected = new TreeMap<>();
    run.results().forEach((k, v) -> {
      if (k.startsWith("path.")) {
        expected.put(k.substring(5), v);
      }
    });
    assertThat(expected).isNotEmpty();
    List<JsonNode> lines = run.ledger();
    Map<String, Long> byFeature = new TreeMap<>();
    for (JsonNode line : lines) {
      JsonNode a = line.get("attribution");
      String feature = a.get("feature").isNull() ? "(none)" : a.get("feature").asText();
      if (!feature.equals("(none)")) {
        assertThat(a.get("team").asText()).as("team of a call in path %s", feature).isEqualTo("team-" + feature);
      }
      byFeature.merge(feature, 1L, Long::sum);
    }
    Map<String, Long> expectedCounts = new TreeMap<>();
    expected.forEach((k, v) -> expectedCounts.put(k, Long.parseLong(v)));
    Map<String, Long> attributed = new TreeMap<>(byFeature);
    attributed.remove("(none)");
    assertThat(attributed).as("calls per path; stderr:%n%s", run.stderr()).isEqualTo(expectedCounts);
  }

  @Test
  void executorsForkJoinParallelStreamsAndCompletableFutures() {
    AgentRun run = run("propagation");
    assertEveryPathAttributed(run);
    assertThat(run.ledger()).allSatisfy(l -> assertThat(l.get("attribution").get("team").asText()).startsWith("team-"));
    assertThat(run.results()).containsKeys(
        "path.execute-lambda", "path.execute-runnable", "path.submit-runnable", "path.submit-callable",
        "path.invoke-all", "path.invoke-any", "path.schedule", "path.schedule-fixed-rate", "path.forkjoin-submit",
        "path.forkjoin-execute", "path.work-stealing", "path.recursive-action", "path.parallel-stream",
        "path.completable-supply-async", "path.completable-then-apply-async", "path.completable-run-async-executor");
  }

  @Test
  void virtualThreadsOnJdk25() {
    Assumptions.assumeTrue(Files.isExecutable(JDK_25), "JDK 25 not installed at " + JDK_25);
    AgentRun run =
        harness
            .run(JDK_25, AgentHarness.applicationClasspath(), APP, Map.of(), "propagation", harness.openai().baseUrl())
            .succeeded();
    assertThat(run.results()).containsEntry("java", "25")
        .containsKeys("path.virtual-thread", "path.virtual-thread-executor", "path.start-virtual-thread");
    assertEveryPathAttributed(run);
  }

  @Test
  void aReusedPoolThreadNeverShowsAPreviousTasksAttributionAndQueuedTasksKeepTheirIdentity() {
    AgentRun run = run("pool-reuse");
    Map<String, Long> byTeam =
        run.ledger().stream()
            .collect(Collectors.groupingBy(l -> l.get("attribution").get("team").asText(), TreeMap::new, Collectors.counting()));
    // per pool (single-thread, scheduled, fork/join, plain ThreadPoolExecutor): a, leaked, then two unscoped tasks
    assertThat(byTeam).containsExactlyInAnyOrderEntriesOf(Map.of("a", 4L, "leaked", 4L, "unattributed", 8L));
    assertThat(run.results()).containsEntry("removed", "true").containsEntry("shutdown_now_identity", "true");
  }

  @Test
  void reactorOperatorsAcrossSchedulers() {
    AgentRun run = run("reactor");
    assertEveryPathAttributed(run);
    List<JsonNode> unscoped =
        run.ledger().stream().filter(l -> l.get("attribution").get("feature").isNull()).toList();
    assertThat(unscoped).hasSize(1);
    assertThat(unscoped.get(0).get("attribution").get("team").asText()).isEqualTo("unattributed");
    assertThat(run.ledger()).noneMatch(l -> l.get("attribution").get("team").asText().equals("declaring-team"));
  }

  @Test
  void parameterBindingAndNestedOverrides() {
    List<JsonNode> lines = run("cost-attribute").ledger();
    assertThat(lines).hasSize(5);
    JsonNode answer = lines.get(0).get("attribution");
    assertThat(answer.get("team").asText()).isEqualTo("support");
    assertThat(answer.get("feature").asText()).isEqualTo("answer");
    assertThat(answer.get("customer").asText()).as("argument beats method and class").isEqualTo("acme");
    assertThat(answer.get("attributes").get("tenant").asText()).isEqualTo("t-1");
    JsonNode nested = lines.get(1).get("attribution");
    assertThat(nested.get("experiment").asText()).as("parameter annotation alone opens a scope").isEqualTo("exp-42");
    assertThat(nested.get("customer").asText()).isEqualTo("acme");
    assertThat(nested.get("attributes").get("tenant").asText()).isEqualTo("t-1");
    JsonNode nullArgument = lines.get(2).get("attribution");
    assertThat(nullArgument.get("customer").asText()).as("null argument leaves the method value").isEqualTo("method-default");
    assertThat(nullArgument.get("attributes").get("tenant").asText()).isEqualTo("t-2");
    assertThat(lines.get(3).get("attribution").get("experiment").asText()).isEqualTo("exp-7");
    JsonNode plain = lines.get(4).get("attribution");
    assertThat(plain.get("customer").asText()).isEqualTo("globex");
    assertThat(plain.get("team").asText()).as("class-level @CostCenter still applies").isEqualTo("support");
  }

  @Test
  void taskRollUpsEqualTheSumOfTheirCallsExactly() {
    AgentRun run = run("tasks");
    List<JsonNode> lines = run.ledger();
    List<JsonNode> calls = lines.stream().filter(l -> l.get("type").asText().equals("call")).toList();
    List<JsonNode> tasks = lines.stream().filter(l -> l.get("type").asText().equals("task")).toList();
    assertThat(calls).hasSize(3 + 4 + 5 + 3 + 4 + 2);
    assertThat(tasks).extracting(t -> t.get("task").asText())
        .containsExactlyInAnyOrder(
            "answer-ticket", "answer-ticket", "answer-ticket", "answer-ticket", "answer-ticket", "summarize-thread",
            "cache-hit");
    Map<String, List<JsonNode>> callsByTask =
        calls.stream().collect(Collectors.groupingBy(c -> c.get("attribution").get("task_id").asText()));
    for (JsonNode task : tasks) {
      List<JsonNode> own = callsByTask.getOrDefault(task.get("task_id").asText(), List.of());
      BigDecimal sum = own.stream().map(c -> new BigDecimal(c.get("cost").get("amount").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(task.get("calls").asLong()).isEqualTo(own.size());
      assertThat(new BigDecimal(task.get("cost").get("amount").asText())).as("task %s", task).isEqualByComparingTo(sum);
      long input = own.stream().mapToLong(c -> c.get("usage").get("input_tokens").asLong()).sum();
      assertThat(task.get("usage").get("input_tokens").asLong()).isEqualTo(input);
      assertThat(task.get("cost_complete").asBoolean()).isTrue();
      for (JsonNode c : own) {
        assertThat(c.get("attribution").get("task").asText()).isEqualTo(task.get("task").asText());
      }
    }
    assertThat(tasks.stream().filter(t -> t.get("task").asText().equals("answer-ticket")).map(t -> t.get("calls").asLong()))
        .containsExactlyInAnyOrder(3L, 4L, 5L, 3L, 4L);
    JsonNode cacheHit = tasks.stream().filter(t -> t.get("task").asText().equals("cache-hit")).findFirst().orElseThrow();
    assertThat(cacheHit.get("calls").asLong()).isZero();
    assertThat(cacheHit.get("cost").get("amount").asText()).isEqualTo("0");
    assertThat(calls).allSatisfy(c -> assertThat(c.get("attribution").get("task_id").isTextual()).isTrue());
    JsonNode classify =
        calls.stream().filter(c -> "classify".equals(c.get("attribution").get("feature").asText())).findFirst().orElseThrow();
    assertThat(classify.get("attribution").get("task").asText()).as("nested task name ignored").isEqualTo("answer-ticket");
    JsonNode answerTask =
        tasks.stream().filter(t -> t.get("task").asText().equals("answer-ticket")).findFirst().orElseThrow();
    assertThat(answerTask.get("attribution").get("team").asText()).isEqualTo("support");
    assertThat(answerTask.get("attribution").get("agent").asText()).isEqualTo("ticket-bot");

    MetricPoint histogram =
        harness.otlp().awaitMetric("aicost.task.cost", p -> "answer-ticket".equals(p.attribute("aicost.task")), WAIT);
    assertThat(histogram.count()).isEqualTo(5);
    BigDecimal answerTotal =
        tasks.stream()
            .filter(t -> t.get("task").asText().equals("answer-ticket"))
            .map(t -> new BigDecimal(t.get("cost").get("amount").asText()))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(histogram.sum()).isCloseTo(answerTotal.doubleValue(), org.assertj.core.data.Offset.offset(1e-12));
    harness.otlp().awaitSpan(s -> s.name().equals("task summarize-thread"), WAIT);
  }

  @Test
  void sixtyFourThreadsEachSpendOnTheirOwnTeamWithNothingLost() {
    int callsEach = 10;
    AgentRun run =
        harness
            .run(APP, Map.of("calls.each", Integer.toString(callsEach)), "threads-64", harness.openai().baseUrl())
            .succeeded();
    assertThat(run.results()).containsEntry("failures", "0");
    List<JsonNode> lines = run.ledger();
    assertThat(lines).hasSize(64 * callsEach);
    assertThat(harness.openai().requestCount()).isEqualTo(64 * callsEach);
    BigDecimal each = new BigDecimal(lines.get(0).get("cost").get("amount").asText());
    assertThat(lines).allSatisfy(l -> assertThat(new BigDecimal(l.get("cost").get("amount").asText())).isEqualByComparingTo(each));
    BigDecimal expected = each.multiply(BigDecimal.valueOf(callsEach));
    Map<String, BigDecimal> ledgerByTeam = new HashMap<>();
    for (JsonNode l : lines) {
      ledgerByTeam.merge(l.get("attribution").get("team").asText(), new BigDecimal(l.get("cost").get("amount").asText()), BigDecimal::add);
    }
    assertThat(ledgerByTeam).hasSize(64);
    for (int t = 0; t < 64; t++) {
      assertThat(ledgerByTeam.get("team-" + t)).as("team-%d in the ledger", t).isEqualByComparingTo(expected);
    }
    // aicost.spend: the last export (at shutdown) holds the exact running total of every team.
    Map<String, MetricPoint> spend =
        harness.otlp().metricPoints("aicost.spend").stream()
            .collect(Collectors.toMap(p -> (String) p.attribute("aicost.team"), Function.identity(), (a, b) -> b));
    assertThat(spend).hasSize(64);
    for (int t = 0; t < 64; t++) {
      assertThat(spend.get("team-" + t).doubleValue()).as("team-%d in aicost.spend", t).isEqualTo(expected.doubleValue());
    }
  }
}
