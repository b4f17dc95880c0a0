package dev.aicost.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aicost.bootstrap.Attribution;
import dev.aicost.pricing.CostBreakdown;
import dev.aicost.pricing.Usage;
import dev.aicost.sdk.AiCostSettings;
import dev.aicost.sdk.CostRecord;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlCostLedgerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static CostRecord priced(String team, long picosInput) {
    return CostRecord.builder()
        .timestamp(Instant.parse("2026-11-28T23:13:53.123Z"))
        .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
        .spanId("00f067aa0ba902b7")
        .provider("openai")
        .operation("chat")
        .requestModel("gpt-4o")
        .responseModel("gpt-4o-2024-08-06")
        .responseId("chatcmpl-1")
        .finishReasons(List.of("stop"))
        .serviceTier("standard")
        .serverAddress("api.openai.com")
        .durationNanos(412_500_000L)
        .usage(Usage.builder().input(1200).output(80).cacheRead(1024).build())
        .cost(
            CostBreakdown.priced(
                "USD", "openai/gpt-4o", "2026.11.28", "standard", picosInput, 1_280_000_000L, 0, 0, 800_000_000L, 0,
                0, 0, 0, 0))
        .attribution(Attribution.builder().team(team).feature("autocomplete").attribute("tenant", "acme").build())
        .build();
  }

  @Test
  void writesOneJsonObjectPerRecordInTheDocumentedFormat() throws Exception {
    Path file = dir.resolve("sub/ledger.jsonl");
    try (JsonlCostLedger ledger = JsonlCostLedger.open(file, 100)) {
      ledger.accept(priced("search", 440_000_000L));
      ledger.accept(
          CostRecord.builder()
              .timestamp(Instant.parse("2026-11-28T23:14:00Z"))
              .provider("openai")
              .operation("chat")
              .requestModel("gpt-4o")
              .stream(true)
              .usageUnavailableReason("stream_options.include_usage_not_set")
              .cost(CostBreakdown.unpriced("usage_unavailable", "openai/gpt-4o", "2026.11.28"))
              .build());
      ledger.flush();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertThat(lines).hasSize(2);
      JsonNode a = JSON.readTree(lines.get(0));
      assertThat(a.get("type").asText()).isEqualTo("call");
      assertThat(a.get("timestamp").asText()).isEqualTo("2026-11-28T23:13:53.123Z");
      assertThat(a.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(a.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
      assertThat(a.get("kind").asText()).isEqualTo("llm");
      assertThat(a.get("provider").asText()).isEqualTo("openai");
      assertThat(a.get("operation").asText()).isEqualTo("chat");
      assertThat(a.get("request_model").asText()).isEqualTo("gpt-4o");
      assertThat(a.get("response_model").asText()).isEqualTo("gpt-4o-2024-08-06");
      assertThat(a.get("stream").asBoolean()).isFalse();
      assertThat(a.get("duration_ms").decimalValue()).isEqualByComparingTo("412.5");
      assertThat(a.get("usage").get("input_tokens").asLong()).isEqualTo(1200);
      assertThat(a.get("usage").get("cache_read_tokens").asLong()).isEqualTo(1024);
      assertThat(a.get("usage").get("reasoning_tokens").asLong()).isZero();
      assertThat(a.get("cost").get("amount").asText()).isEqualTo("0.00252");
      assertThat(a.get("cost").get("currency").asText()).isEqualTo("USD");
      assertThat(a.get("cost").get("breakdown").get("input").asText()).isEqualTo("0.00044");
      assertThat(a.get("cost").get("breakdown").get("cache_read").asText()).isEqualTo("0.00128");
      assertThat(a.get("cost").get("breakdown").get("output").asText()).isEqualTo("0.0008");
      assertThat(a.get("priced").asBoolean()).isTrue();
      assertThat(a.get("unpriced_reason").isNull()).isTrue();
      assertThat(a.get("pricing_entry").asText()).isEqualTo("openai/gpt-4o");
      assertThat(a.get("attribution").get("team").asText()).isEqualTo("search");
      assertThat(a.get("attribution").get("customer").isNull()).isTrue();
      assertThat(a.get("attribution").get("attributes").get("tenant").asText()).isEqualTo("acme");

      JsonNode b = JSON.readTree(lines.get(1));
      assertThat(b.get("usage").isNull()).isTrue();
      assertThat(b.get("usage_unavailable_reason").asText()).isEqualTo("stream_options.include_usage_not_set");
      assertThat(b.get("cost").isNull()).isTrue();
      assertThat(b.get("priced").asBoolean()).isFalse();
      assertThat(b.get("unpriced_reason").asText()).isEqualTo("usage_unavailable");
      assertThat(b.get("trace_id").isNull()).isTrue();
    }
  }

  /** The ledger writes UTF-8 bytes itself: text outside ASCII, and lines longer than its buffer, come back intact. */
  @Test
  void writesUtf8AndLinesLargerThanTheBuffer() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    String team = "équipe-検索-\uD83D\uDE80-" + "x".repeat(100_000);
    try (JsonlCostLedger ledger = JsonlCostLedger.open(file, 100)) {
      ledger.accept(priced(team, 1L));
      ledger.accept(priced("ünicode", 2L));
      ledger.flush();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertThat(lines).hasSize(2);
      assertThat(JSON.readTree(lines.get(0)).get("attribution").get("team").asText()).isEqualTo(team);
      assertThat(JSON.readTree(lines.get(1)).get("attribution").get("team").asText()).isEqualTo("ünicode");
    }
  }

  @Test
  void closeWritesEverythingAcceptedFromManyThreadsAndAppendsToExistingFile() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    Files.writeString(file, "{\"type\":\"call\",\"existing\":true}\n");
    JsonlCostLedger ledger = JsonlCostLedger.open(file, 100_000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    int perThread = 2_000;
    for (int t = 0; t < 8; t++) {
      String team = "team-" + t;
      pool.execute(() -> {
        for (int i = 0; i < perThread; i++) {
          ledger.accept(priced(team, 1));
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    ledger.close();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1 + 8 * perThread);
    assertThat(ledger.writtenRecords()).isEqualTo(8L * perThread);
    assertThat(ledger.droppedRecords()).isZero();
    for (String line : lines) {
      JSON.readTree(line); // every line is a complete JSON object
    }
  }

  @Test
  void aSmallQueueUnderManyThreadsLosesNothingUncountedAndWritesEverythingAccepted() throws Exception {
    Path file = dir.resolve("small.jsonl");
    JsonlCostLedger ledger = JsonlCostLedger.open(file, 2);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    int perThread = 5_000;
    for (int t = 0; t < 4; t++) {
      pool.execute(() -> {
        for (int i = 0; i < perThread; i++) {
          ledger.accept(priced("t", 1));
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    ledger.close();
    // Nothing is lost without being counted, and nothing counted as written is missing from the file.
    assertThat(ledger.writtenRecords() + ledger.droppedRecords()).isEqualTo(4L * perThread);
    assertThat(Files.readAllLines(file)).hasSize((int) ledger.writtenRecords());
  }

  @Test
  void recordsAfterCloseAreCountedAsDropped() throws Exception {
    JsonlCostLedger ledger = JsonlCostLedger.open(dir.resolve("l.jsonl"), 10);
    ledger.close();
    ledger.accept(priced("x", 1));
    assertThat(ledger.droppedRecords()).isEqualTo(1);
  }

  @Test
  void consolePrinterWritesOneReadableLine() {
    assertThat(ConsoleCostPrinter.format(priced("search", 440_000_000L)))
        .isEqualTo(
            "[aicost] chat gpt-4o-2024-08-06 team=search feature=autocomplete in=1200 (cached 1024) out=80"
                + " cost=0.00252 USD");
  }

  @Test
  void pipelineRejectsBadSettingsByName() {
    assertThatThrownBy(
            () -> AiCostPipeline.create(
                AiCostSettings.of(Map.of("aicost.console.enabled", "yes")), dev.aicost.pricing.CostCalculator.bundled()))
        .hasMessageContaining("aicost.console.enabled")
        .hasMessageContaining("true or false");
    Path blocker = dir.resolve("file");
    assertThatThrownBy(
            () -> {
              Files.writeString(blocker, "x");
              AiCostPipeline.create(
                  AiCostSettings.of(Map.of("aicost.ledger.path", blocker.resolve("ledger.jsonl").toString())),
                  dev.aicost.pricing.CostCalculator.bundled());
            })
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("aicost.ledger.path");
  }

  @Test
  void pipelineWiresLedgerAndRecorder() throws Exception {
    Path file = dir.resolve("p.jsonl");
    System.setProperty("otel.traces.exporter", "none");
    System.setProperty("otel.metrics.exporter", "none");
    System.setProperty("otel.logs.exporter", "none");
    try (AiCostPipeline p =
        AiCostPipeline.create(
            AiCostSettings.of(Map.of("aicost.ledger.path", file.toString())), dev.aicost.pricing.CostCalculator.bundled())) {
      p.recorder()
          .start(dev.aicost.bootstrap.AiCallStart.of("openai", "chat").requestModel("gpt-4o"))
          .usage(1000, 100)
          .end();
      p.flush();
      List<String> lines = new ArrayList<>(Files.readAllLines(file));
      assertThat(lines).hasSize(1);
      assertThat(JSON.readTree(lines.get(0)).get("cost").get("amount").asText()).isEqualTo("0.0035");
    } finally {
      System.clearProperty("otel.traces.exporter");
      System.clearProperty("otel.metrics.exporter");
      System.clearProperty("otel.logs.exporter");
    }
  }

  @Test
  void taskRecordsFollowTheirCallsWithTheExactSum() throws Exception {
    Path file = dir.resolve("tasks.jsonl");
    JsonlCostLedger ledger = JsonlCostLedger.open(file, 100);
    dev.aicost.sdk.AiCallRecorder recorder =
        dev.aicost.sdk.AiCallRecorder.builder(
                io.opentelemetry.api.OpenTelemetry.noop(), dev.aicost.pricing.CostCalculator.bundled())
            .addSink(ledger)
            .serviceName("svc")
            .build();
    dev.aicost.bootstrap.AiCallBridge.install(recorder);
    try {
      try (dev.aicost.sdk.AiCostScope task =
          dev.aicost.sdk.AiCost.attribute().team("support").customer("acme").task("answer-ticket").open()) {
        for (int i = 0; i < 3; i++) {
          dev.aicost.sdk.AiCost.startCall(dev.aicost.bootstrap.AiCallStart.of("openai", "chat").requestModel("gpt-4o"))
              .usage(1000 + i, 100)
              .end();
        }
      }
      dev.aicost.sdk.AiCost.startCall(dev.aicost.bootstrap.AiCallStart.of("openai", "chat").requestModel("gpt-4o"))
          .usage(10, 1)
          .end();
    } finally {
      dev.aicost.bootstrap.AiCallBridge.uninstall(recorder);
      ledger.close();
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).extracting(n -> n.get("type").asText()).containsExactly("call", "call", "call", "task", "call");
    JsonNode task = lines.get(3);
    String taskId = task.get("task_id").asText();
    assertThat(taskId).matches("[0-9a-f]{16}");
    assertThat(task.get("task").asText()).isEqualTo("answer-ticket");
    assertThat(task.get("calls").asLong()).isEqualTo(3);
    assertThat(task.get("priced_calls").asLong()).isEqualTo(3);
    assertThat(task.get("cost_complete").asBoolean()).isTrue();
    assertThat(task.get("usage").get("input_tokens").asLong()).isEqualTo(3003);
    assertThat(task.get("attribution").get("customer").asText()).isEqualTo("acme");
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    for (JsonNode call : lines.subList(0, 3)) {
      assertThat(call.get("attribution").get("task_id").asText()).isEqualTo(taskId);
      sum = sum.add(new java.math.BigDecimal(call.get("cost").get("amount").asText()));
    }
    // (1000 + 1001 + 1002) x 2.50e-6 + 300 x 10e-6 = 0.0105075
    assertThat(new java.math.BigDecimal(task.get("cost").get("amount").asText())).isEqualByComparingTo(sum);
    assertThat(task.get("cost").get("amount").asText()).isEqualTo("0.0105075");
    JsonNode outside = lines.get(4).get("attribution");
    assertThat(outside.get("team").asText()).isEqualTo("unattributed");
    assertThat(outside.get("owner").asText()).isEqualTo("svc");
    assertThat(outside.has("task_id")).isFalse();
  }

  @Test
  void pipelineReadsDefaultAndPropagationSettings() {
    AiCostSettings s =
        AiCostSettings.of(
            Map.of(
                "aicost.default.team", "platform",
                "aicost.attribution.trusted-inbound-keys", "aicost.customer, feature",
                "aicost.attribution.propagate-keys", "team,attr.tenant"));
    assertThat(AiCostPipeline.defaults(s).team()).isEqualTo("platform");
    assertThat(AiCostPipeline.fieldList(s, AiCostPipeline.TRUSTED_INBOUND_KEYS, "")).containsExactly("customer", "feature");
    assertThat(AiCostPipeline.fieldList(s, AiCostPipeline.PROPAGATE_KEYS, "")).containsExactly("team", "attr.tenant");
    assertThatThrownBy(
            () ->
                AiCostPipeline.fieldList(
                    AiCostSettings.of(Map.of("aicost.attribution.trusted-inbound-keys", "team,tenant")),
                    AiCostPipeline.TRUSTED_INBOUND_KEYS,
                    ""))
        .hasMessage(
            "invalid setting aicost.attribution.trusted-inbound-keys (env AICOST_ATTRIBUTION_TRUSTED_INBOUND_KEYS)"
                + " = 'team,tenant': expected a comma-separated list of team, feature, agent, customer, experiment,"
                + " task, attr.<key>, attr.*");
  }
}
